"""Who may see what: the one access rule, which every view's queries go through.

An owner (any member of an organization) sees their organization and what
belongs to it. A consultant sees the organizations that share with their
firm. Everything else answers 404, so other tenants' objects do not even
reveal that they exist.

The rule is written once, as the two conditions ``member_of`` and
``consultant_of``; the apps above apply them on their models' querysets
(``Assessment.objects.visible_to(user)``, ``ActionItem.objects.editable_by(user)``),
so this module knows no model above ``accounts``.
"""

import logging

from django.db.models import Case, Exists, OuterRef, QuerySet, When
from django.http import Http404

from .models import FirmMembership, Membership, Organization

logger = logging.getLogger("resilience.access")


def is_consultant(user) -> bool:
    return user.is_authenticated and FirmMembership.objects.filter(user=user).exists()


def member_of(user, organization: str = "organization") -> Exists:
    """True where the user belongs to the row's organization (``organization`` names the field).

    For ``filter()`` on a queryset of any model that belongs to an organization.
    The user must be authenticated (the querysets return ``none()`` otherwise).
    """
    return Exists(Membership.objects.filter(organization=OuterRef(organization), user=user))


def consultant_of(user, organization: str = "organization") -> Exists:
    """True where the row's organization shares with the user's firm."""
    return Exists(FirmMembership.objects.filter(firm=OuterRef(f"{organization}__firm"), user=user))


def get_or_404(queryset: QuerySet, pk):
    """The object if the scoped queryset holds it; otherwise 404, logged for audit.

    ``pk`` comes from the URL or a form, so anything that is not a whole
    number answers 404 as well.
    """
    try:
        return queryset.get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, queryset.model.DoesNotExist):
        logger.warning("refused access to %s %r", queryset.model._meta.label, pk)
        raise Http404("Not found.") from None


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


def firm_clients(user) -> QuerySet[Organization]:
    """The organizations sharing with the user's firm; none for anyone else."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(firm__memberships__user=user)


def get_firm_client_or_404(user, pk) -> Organization:
    return get_or_404(firm_clients(user).select_related("firm"), pk)


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
