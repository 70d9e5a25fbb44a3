"""Account workflows that write several rows at once."""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from core.email import EmailNotSent, email_send
from core.errors import ServiceError

from . import two_factor
from .models import Membership, Organization, User

logger = logging.getLogger("resilience.accounts")

CONFIRMATION_SALT = "accounts.email-confirmation"
CONFIRMATION_VALID_FOR = 3 * 24 * 60 * 60  # seconds

ERR_NOT_SHARED = "Your business is not shared with any consultancy."
ERR_ALREADY_CONFIRMED = "This address is confirmed already: log in instead."
ERR_EMAIL_FAILED = "The email could not be sent, so nothing was saved. Try again in a few minutes."


@transaction.atomic
def owner_signup(*, email: str, password: str, organization: dict, confirmed: bool = True) -> User:
    """Create an owner and their organization together, or neither."""
    user = User.objects.create_user(email=email, password=password, email_confirmed=confirmed)
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
        raise ServiceError(ERR_NOT_SHARED)
    logger.info(
        "organization %s stopped sharing with firm %s (user %s)",
        organization.pk,
        organization.firm_id,
        user.pk,
    )
    organization.firm = None
    organization.save(update_fields=["firm", "updated_at"])
    return organization


@transaction.atomic
def signup_request(*, email: str, password: str, organization: dict, base_url: str) -> None:
    """Public sign-up, which answers alike whether or not the address has an account.

    A new address gets an unconfirmed account and a confirmation link; an
    address that already has an account gets an email saying so instead.
    Without the email nothing is kept.
    """
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        # The one deliberate password hash a new account costs, spent here too, so the
        # answer takes as long either way and its timing tells no one the address exists.
        make_password(password)
        if existing.email_confirmed:
            _send(
                existing,
                "signup_existing",
                {"login_url": base_url.rstrip("/") + reverse("accounts:login")},
            )
        else:
            # Nobody has confirmed the address: perhaps a stranger took it, perhaps its
            # owner lost the first link. Nothing typed here is kept (it may be the stranger
            # again); the address gets a fresh link, from which its owner confirms the
            # account as it is or starts afresh (signup_afresh).
            confirmation_send(user=existing, base_url=base_url)
        return
    user = owner_signup(email=email, password=password, organization=organization, confirmed=False)
    confirmation_send(user=user, base_url=base_url)


def confirmation_send(*, user: User, base_url: str) -> None:
    """Email a link that confirms the user's address (signed, valid for three days)."""
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=CONFIRMATION_SALT)
    url = base_url.rstrip("/") + reverse("accounts:email_confirm", args=[token])
    _send(user, "email_confirm", {"url": url, "valid_days": CONFIRMATION_VALID_FOR // 86400})


def confirmation_user(token: str) -> User | None:
    """The unconfirmed user a link stands for; None if it is forged, expired or already used."""
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_VALID_FOR)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return User.objects.filter(
        pk=data.get("user"), email=data.get("email"), email_confirmed=False, is_active=True
    ).first()


def email_confirm(*, user: User) -> User:
    User.objects.filter(pk=user.pk).update(email_confirmed=True)
    user.email_confirmed = True
    logger.info("user %s confirmed their email address", user.pk)
    return user


@transaction.atomic
def signup_afresh(*, user: User, password: str, organization: dict) -> User:
    """The owner of an unconfirmed address takes the account back from whoever signed it up.

    The password and business are theirs now; the business made at sign-up is
    deleted when the account was its only member (otherwise the account just
    leaves it), and any authenticator app the squatter set up goes too.
    Changing the password ends the other sessions of the account.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed:
        raise ServiceError(ERR_ALREADY_CONFIRMED)
    for membership in user.memberships.select_related("organization"):
        business = membership.organization
        if business.memberships.count() == 1:
            business.delete()
        else:
            membership.delete()
    two_factor.remove_all(user=user)
    user.set_password(password)
    user.email_confirmed = True
    user.save(update_fields=["password", "email_confirmed"])
    org = Organization(**organization)
    org.full_clean(exclude=["slug"])
    org.save()
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER)
    logger.info("user %s confirmed their address and started afresh", user.pk)
    return user


@dataclass(frozen=True)
class Unconfirmed:
    """An account past the grace period, with the businesses it alone belongs to."""

    user: User
    businesses: list[Organization]  # deleted with it
    kept_because: str = ""  # set when the account stays: a business of it has other members


def unconfirmed_accounts(*, older_than: timedelta) -> list[Unconfirmed]:
    """Accounts nobody confirmed, signed up more than ``older_than`` ago."""
    found = []
    users = (
        User.objects.filter(email_confirmed=False, date_joined__lt=timezone.now() - older_than)
        .annotate(firms=Count("firm_memberships"))
        .prefetch_related("memberships__organization__memberships")
        .order_by("date_joined")
    )
    for user in users:
        shared = [
            m.organization
            for m in user.memberships.all()
            if len(m.organization.memberships.all()) > 1
        ]
        businesses = [m.organization for m in user.memberships.all()]
        if shared:
            found.append(Unconfirmed(user, [], f"{shared[0].name} has other members"))
        elif user.firms:
            found.append(Unconfirmed(user, [], "it belongs to a consultancy firm"))
        else:
            found.append(Unconfirmed(user, businesses))
    return found


@transaction.atomic
def unconfirmed_accounts_remove(*, older_than: timedelta) -> list[Unconfirmed]:
    """Delete the unconfirmed accounts past the grace period that can go, with their businesses."""
    found = unconfirmed_accounts(older_than=older_than)
    for account in found:
        if account.kept_because:
            continue
        user_id = account.user.pk
        for business in account.businesses:
            business.delete()
        account.user.delete()
        logger.info("unconfirmed user %s removed after the grace period", user_id)
    return found


def _send(user: User, template: str, context: dict) -> None:
    try:
        email_send(
            to=user.email,
            subject_template=f"emails/{template}_subject.txt",
            body_template=f"emails/{template}.txt",
            context={**context, "email": user.email},
        )
    except EmailNotSent as exc:
        logger.warning("%s email to user %s failed: %s", template, user.pk, exc)
        raise ServiceError(ERR_EMAIL_FAILED) from exc
