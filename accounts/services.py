"""Account workflows that write several rows at once."""

from django.db import transaction

from .models import Membership, Organization, User


@transaction.atomic
def owner_signup(*, email: str, password: str, organization: dict) -> User:
    """Create an owner and their organization together, or neither."""
    user = User.objects.create_user(email=email, password=password)
    org = Organization(**organization)
    org.full_clean(exclude=["slug"])
    org.save()
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER)
    return user
