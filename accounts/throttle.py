"""Who is asking, and how often they may ask.

Behind the documented proxy every request comes from the proxy's address;
the visitor's is the one the proxy appended to X-Forwarded-For. Only the
last TRUSTED_PROXY_COUNT entries were written by proxies we run: anything
before them came from the visitor and proves nothing.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import RequestCount


def client_ip(request) -> str:
    """The visitor's address (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if proxies and forwarded:
        return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")


# How many of each action one address, or one email address, may ask for per hour.
SIGNUP_LIMIT = 5
PASSWORD_RESET_LIMIT = 5
CONFIRMATION_LIMIT = 5
INVITATIONS_PER_ADDRESS = 30
INVITATIONS_PER_EMAIL = 5
PERIOD = 60 * 60
# Failed logins per account (any address) before the password alone stops signing it
# in: well above what a person mistyping makes, far below what guessing needs.
LOGIN_FAILURES_PER_ACCOUNT = 20
# Emailed sign-in links, per client address and (silently) per email address.
LOGIN_LINKS_PER_ADDRESS = 5
LOGIN_LINKS_PER_EMAIL = 3
# Codes of the second step tried per account, in a shorter period.
LOGIN_CODES_PER_ACCOUNT = 5
LOGIN_CODE_PERIOD = 15 * 60

ERR_TOO_MANY = (
    "Too many requests from here in the last hour. Wait an hour, then try again; "
    "nothing you entered was sent."
)


def allow(action: str, *, limits: dict[str, int], period: int = PERIOD) -> bool:
    """Count one more ``action`` for each key; False once any key is over its limit this period.

    ``limits`` maps each key (a client address, an email address) to how
    many requests it may make per ``period`` seconds. Counters are rows in
    the database (``RequestCount``), so every app server shares them and
    parallel requests cannot slip past a limit together.
    """
    allowed = True
    for key, limit in limits.items():
        allowed = _count(_counter_key(action, key), period) <= limit and allowed
    return allowed


def reached(action: str, *, key: str, limit: int, period: int = PERIOD) -> bool:
    """Whether ``key`` has asked for ``action`` ``limit`` times this period; counts nothing."""
    return RequestCount.objects.filter(
        key=_counter_key(action, key),
        started_at__gt=timezone.now() - timedelta(seconds=period),
        count__gte=limit,
    ).exists()


def _counter_key(action: str, key: str) -> str:
    return f"{action}:{hashlib.sha256(key.strip().lower().encode()).hexdigest()}"


@transaction.atomic
def _count(key: str, period: int = PERIOD) -> int:
    """One more request for ``key`` in its period; the count after it."""
    now = timezone.now()
    counter, created = RequestCount.objects.get_or_create(
        key=key, defaults={"started_at": now, "count": 1}
    )
    if created:
        # Counters of hours long past are of no use: forget them as new ones start.
        RequestCount.objects.filter(started_at__lt=now - timedelta(seconds=2 * PERIOD)).delete()
        return 1
    counters = RequestCount.objects.filter(pk=counter.pk)
    if counters.filter(started_at__lte=now - timedelta(seconds=period)).update(
        started_at=now, count=1
    ):
        return 1
    counters.update(count=F("count") + 1)
    return counters.values_list("count", flat=True).get()


def code_attempt_allowed(user) -> bool:
    """Count one more second-step code typed for ``user``; False past the limit.

    One count per account over the code step, set-up and turning it off, so
    six guesses cannot be spread over three pages.
    """
    return allow(
        "login-code", limits={user.email: LOGIN_CODES_PER_ACCOUNT}, period=LOGIN_CODE_PERIOD
    )
