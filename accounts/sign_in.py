"""Signing a person in: the step after a password or an emailed link, and the link itself.

Every way in (the password form, the emailed sign-in link, a confirmation
link) ends in ``sign_in``, so an account with a second factor always goes
through the code step, whichever door it came in by. Until the code is
right the visitor is not logged in at all: the session only holds who is
waiting, for a few minutes.
"""

import logging
import secrets
import time

import django_otp
from django.contrib.auth import login
from django.core import signing
from django.urls import reverse

from core.email import EmailNotSent, email_send

from . import throttle, two_factor
from .models import User

logger = logging.getLogger("resilience.accounts")

BACKEND = "accounts.backends.RoleAwareModelBackend"

# The password (or link) is proved, the code not yet: who is waiting, kept in the session.
PENDING_SESSION_KEY = "accounts.pending_sign_in"
PENDING_VALID_FOR = 10 * 60  # seconds to type the code

LINK_SALT = "accounts.sign-in-link"
# Short-lived, and used once: its nonce is counted (link_use), and a count lasts
# throttle.PERIOD, so the link must expire within that period.
LINK_VALID_FOR = 15 * 60


def sign_in(request, user: User, *, next_url: str) -> str:
    """Log ``user`` in, or, if they have a second factor, hold them at the code step.

    Returns where to send them next.
    """
    if two_factor.has_device(user):
        # A new session key for the half-signed-in visitor, as login() gives a full one.
        request.session.cycle_key()
        request.session[PENDING_SESSION_KEY] = {
            "user": user.pk,
            "since": int(time.time()),
            "next": next_url,
        }
        return reverse("accounts:login_code")
    login(request, user, backend=BACKEND)
    return next_url


def pending_user(request) -> tuple[User | None, str]:
    """The user waiting at the code step and where they were going; (None, "") if nobody."""
    pending = request.session.get(PENDING_SESSION_KEY) or {}
    if time.time() - pending.get("since", 0) > PENDING_VALID_FOR:
        return None, ""
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending.get("next", "")


def finish_sign_in(request, user: User, device) -> None:
    """The code was right: log the waiting user in (if not yet), verified by ``device``."""
    request.session.pop(PENDING_SESSION_KEY, None)
    if not request.user.is_authenticated:
        login(request, user, backend=BACKEND)
    django_otp.login(request, device)


def link_send(*, email: str, base_url: str) -> None:
    """Email a sign-in link to ``email`` if it has an active account; nothing otherwise.

    The caller answers alike either way, so the page says nothing about
    whether the address has an account.
    """
    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is None:
        return
    token = signing.dumps(
        {"user": user.pk, "email": user.email, "nonce": secrets.token_urlsafe(12)},
        salt=LINK_SALT,
    )
    url = base_url.rstrip("/") + reverse("accounts:login_link", args=[token])
    try:
        email_send(
            to=user.email,
            subject_template="emails/sign_in_link_subject.txt",
            body_template="emails/sign_in_link.txt",
            context={"url": url, "valid_minutes": LINK_VALID_FOR // 60, "email": user.email},
        )
    except EmailNotSent as exc:
        # Said to nobody: the page must read the same as for an address without an account.
        logger.warning("sign-in link email to user %s failed: %s", user.pk, exc)


def link_user(token: str) -> User | None:
    """The active user a sign-in link stands for; None if forged, expired or for another address."""
    data = _link_data(token)
    if data is None or throttle.reached("sign-in-link-used", key=data["nonce"], limit=1):
        return None
    return User.objects.filter(pk=data.get("user"), email=data.get("email"), is_active=True).first()


def link_use(token: str) -> User | None:
    """Like ``link_user``, and spends the link: a second use, even at once, gets None."""
    user = link_user(token)
    if user is None:
        return None
    if not throttle.allow("sign-in-link-used", limits={_link_data(token)["nonce"]: 1}):
        return None
    return user


def _link_data(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_VALID_FOR)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return data if isinstance(data, dict) and data.get("nonce") else None
