"""Account workflows that write several rows at once."""

import logging

from django.db import transaction

from .models import Membership, Organization, User

logger = logging.getLogger("resilience.accounts")

ERR_NOT_SHARED = "Your business is not shared with any consultancy."


class AccountError(Exception):
    """A request about an account or a business that breaks a rule; ``message`` is for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def owner_signup(*, email: str, password: str, organization: dict) -> User:
    """Create an owner and their organization together, or neither."""
    user = User.objects.create_user(email=email, password=password)
    org = Organization(**organization)
    org.full_clean(exclude=["slug"])
    org.save()
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER)
    return user


@transaction.atomic
def sharing_stop(*, organization: Organization, user: User) -> Organization:
    """The owner stops sharing their business with its consultancy firm."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.firm_id is None:
        raise AccountError(ERR_NOT_SHARED)
    logger.info(
        "organization %s stopped sharing with firm %s (user %s)",
        organization.pk,
        organization.firm_id,
        user.pk,
    )
    organization.firm = None
    organization.save(update_fields=["firm", "updated_at"])
    return organization
