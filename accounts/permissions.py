"""Who may see what: every view scopes its queries through these functions.

An owner (any member of an organization) sees their organization and its
assessments. A consultant sees the organizations that share with their firm.
Everything else answers 404, so other tenants' objects do not even reveal
that they exist.
"""

import logging

from django.db import connection
from django.db.models import Case, Q, QuerySet, When
from django.http import Http404

from assessments.models import Assessment, FrameworkVersion
from resilience_site.sql import JoinedModels

from .models import Firm, FirmMembership, Membership, Organization

logger = logging.getLogger("resilience.access")


def member_organizations(user) -> QuerySet[Organization]:
    """Organizations the user belongs to (may answer for)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user)


def user_firm(user) -> Firm | None:
    """The consultancy firm a user works for, if any (one firm per consultant)."""
    if not user.is_authenticated:
        return None
    membership = FirmMembership.objects.select_related("firm").filter(user=user).first()
    return membership.firm if membership else None


def is_consultant(user) -> bool:
    return user.is_authenticated and FirmMembership.objects.filter(user=user).exists()


def visible_organizations(user) -> QuerySet[Organization]:
    """Organizations the user may read: their own, plus their firm's clients."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        Q(memberships__user=user) | Q(firm__memberships__user=user)
    ).distinct()


def visible_assessments(user) -> QuerySet[Assessment]:
    """Assessments the user may read (results, reports, answers)."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(
        Q(organization__memberships__user=user) | Q(organization__firm__memberships__user=user)
    ).distinct()


def editable_assessments(user) -> QuerySet[Assessment]:
    """Assessments the user may answer: only members of the organization, never consultants."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(organization__memberships__user=user)


def get_visible_assessment(user, pk) -> Assessment:
    return _get_or_404(visible_assessments(user).select_related("organization", "framework"), pk)


_EDITABLE_ROW = JoinedModels((Assessment, "a"), (Organization, "o"), (FrameworkVersion, "f"))
# The largest id a database integer column holds; a bigger number is no id.
_MAX_ID = 2**63 - 1


def get_editable_assessment(user, pk) -> Assessment:
    """The assessment, with organization and framework, if the user may answer it; else 404.

    The rule is ``editable_assessments``'s. Every questionnaire page and
    every autosave runs this, so the query is written out: the ORM took
    about ten times longer to build it than the database took to answer
    (resilience_site/sql.py). tests/test_written_out_sql.py holds it to the
    ORM version.
    """
    try:
        number = int(pk)
    except (ValueError, TypeError):
        number = 0
    row = None
    if user.is_authenticated and 0 < number <= _MAX_ID:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_EDITABLE_ROW.columns()}"  # noqa: S608 - names from the models, values bound
                f" FROM {Assessment._meta.db_table} a"
                f" JOIN {Organization._meta.db_table} o ON o.id = a.organization_id"
                f" JOIN {FrameworkVersion._meta.db_table} f ON f.id = a.framework_id"
                f" WHERE a.id = %s AND EXISTS (SELECT 1 FROM {Membership._meta.db_table} m"
                "  WHERE m.organization_id = a.organization_id AND m.user_id = %s)",
                [number, user.pk],
            )
            row = cursor.fetchone()
    if row is None:
        raise _refused(Assessment, pk)
    assessment, organization, framework = _EDITABLE_ROW.read(row)
    assessment.organization, assessment.framework = organization, framework
    return assessment


def owner_organization(user) -> Organization | None:
    """The organization a person works in: the one they own, else the first they joined.

    Pages that change the business (its profile, its sharing) act only on
    ``owned_organization``; this one is for reading.
    """
    owner_first = Case(When(role=Membership.Role.OWNER, then=0), default=1)
    membership = (
        Membership.objects.select_related("organization", "organization__firm")
        .filter(user=user)
        .order_by(owner_first, "created_at")
        .first()
        if user.is_authenticated
        else None
    )
    return membership.organization if membership else None


def _get_or_404(queryset, pk):
    """The object if the scoped queryset holds it; otherwise 404, logged for audit."""
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, queryset.model.DoesNotExist):
        raise _refused(queryset.model, pk) from None


def _refused(model, pk) -> Http404:
    """The 404 for an object the user may not see (or that does not exist), logged for audit."""
    logger.warning("refused access to %s %r", model._meta.label, pk)
    return Http404("Not found.")


# --- The consultant side --------------------------------------------------------
# A consultant belongs to one firm and sees the organizations that share with
# it (Organization.firm), nothing else. Views call these helpers, never filter
# by firm themselves, so the rule lives in one place.


def firm_membership(user) -> FirmMembership | None:
    """The user's place in their consultancy firm (with the firm), or None."""
    if not user.is_authenticated:
        return None
    return FirmMembership.objects.select_related("firm").filter(user=user).first()


def get_firm_membership_or_404(user) -> FirmMembership:
    """For consultant pages: anyone who is not a consultant gets a plain 404."""
    membership = firm_membership(user)
    if membership is None:
        raise Http404("No such page.")
    return membership


def is_firm_admin(user) -> bool:
    membership = firm_membership(user)
    return membership is not None and membership.role == FirmMembership.Role.ADMIN


def firm_clients(user) -> QuerySet[Organization]:
    """The organizations sharing with the user's firm; none for anyone else."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(firm__memberships__user=user)


def get_firm_client_or_404(user, pk) -> Organization:
    try:
        return firm_clients(user).select_related("firm").get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, Organization.DoesNotExist):
        raise Http404("No such client.") from None


def firm_assessments(user) -> QuerySet[Assessment]:
    """Assessments of the firm's clients: what a consultant may read, comment and review."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(organization__firm__memberships__user=user)


def get_firm_assessment_or_404(user, pk) -> Assessment:
    return _get_or_404(firm_assessments(user).select_related("organization", "framework"), pk)


def owned_organization(user) -> Organization | None:
    """The organization the user owns (role owner): the one whose sharing they control."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("organization", "organization__firm")
        .filter(user=user, role=Membership.Role.OWNER)
        .order_by("created_at")
        .first()
    )
    return membership.organization if membership else None


def firm_members(user) -> QuerySet[FirmMembership]:
    """The team of the user's firm (its memberships); nobody's for anyone else."""
    if not user.is_authenticated:
        return FirmMembership.objects.none()
    return FirmMembership.objects.filter(firm__memberships__user=user)


def firm_invitations(user):
    """Invitations sent in the name of the user's firm."""
    # Imported here: the consultants app builds on accounts, not the other way round.
    from consultants.models import Invitation

    if not user.is_authenticated:
        return Invitation.objects.none()
    return Invitation.objects.filter(firm__memberships__user=user)
