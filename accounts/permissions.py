"""Who may see what: every view scopes its queries through these functions.

An owner (any member of an organization) sees their organization and its
assessments. A consultant sees the organizations that share with their firm.
Everything else answers 404, so other tenants' objects do not even reveal
that they exist.
"""

import logging

from django.db.models import Case, Exists, OuterRef, QuerySet, When
from django.http import Http404

from assessments.models import Assessment
from plans.models import ActionItem

from .models import FirmMembership, Membership, Organization

logger = logging.getLogger("resilience.access")


def is_consultant(user) -> bool:
    return user.is_authenticated and FirmMembership.objects.filter(user=user).exists()


def _is_member(user):
    """True where the user belongs to the assessment's organization (for ``filter``)."""
    return Exists(Membership.objects.filter(organization=OuterRef("organization"), user=user))


def _is_firm_consultant(user):
    """True where the assessment's organization shares with the user's firm."""
    return Exists(FirmMembership.objects.filter(firm=OuterRef("organization__firm"), user=user))


def visible_assessments(user) -> QuerySet[Assessment]:
    """Assessments the user may read (results, reports, answers)."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(_is_member(user) | _is_firm_consultant(user))


def editable_assessments(user) -> QuerySet[Assessment]:
    """Assessments the user may answer: only members of the organization, never consultants."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    return Assessment.objects.filter(_is_member(user))


def get_visible_assessment(user, pk) -> Assessment:
    return _get_or_404(visible_assessments(user).select_related("organization", "framework"), pk)


def get_editable_assessment(user, pk) -> Assessment:
    return _get_or_404(editable_assessments(user).select_related("organization", "framework"), pk)


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
    return Assessment.objects.filter(_is_firm_consultant(user))


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


# --- Action plans ------------------------------------------------------------------
# Members of an organization track its plan; the firm it shares with reads it,
# adds actions and comments. Another organization's item ids answer 404.


def get_member_action_item_or_404(user, pk) -> ActionItem:
    """An item of the plan of an organization the user belongs to."""
    if not user.is_authenticated:
        raise _refused(ActionItem, pk)
    items = ActionItem.objects.filter(_is_member(user)).select_related("organization")
    return _get_or_404(items, pk)


def get_firm_action_item_or_404(user, pk) -> ActionItem:
    """An item of the plan of one of the user's firm's clients."""
    if not user.is_authenticated:
        raise _refused(ActionItem, pk)
    items = ActionItem.objects.filter(_is_firm_consultant(user)).select_related("organization")
    return _get_or_404(items, pk)
