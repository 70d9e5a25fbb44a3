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

ERR_TOO_MANY = (
    "Too many requests from here in the last hour. Wait an hour, then try again; "
    "nothing you entered was sent."
)


def allow(action: str, *, limits: dict[str, int]) -> bool:
    """Count one more ``action`` for each key; False once any key is over its limit this hour.

    ``limits`` maps each key (a client address, an email address) to how
    many requests it may make per PERIOD. Counters are rows in the database
    (``RequestCount``), so every app server shares them and parallel requests
    cannot slip past a limit together.
    """
    allowed = True
    for key, limit in limits.items():
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
        allowed = _count(f"{action}:{digest}") <= limit and allowed
    return allowed


@transaction.atomic
def _count(key: str) -> int:
    """One more request for ``key`` in its hour; the count after it."""
    now = timezone.now()
    counter, created = RequestCount.objects.get_or_create(
        key=key, defaults={"started_at": now, "count": 1}
    )
    if created:
        # Counters of hours long past are of no use: forget them as new ones start.
        RequestCount.objects.filter(started_at__lt=now - timedelta(seconds=2 * PERIOD)).delete()
        return 1
    counters = RequestCount.objects.filter(pk=counter.pk)
    if counters.filter(started_at__lte=now - timedelta(seconds=PERIOD)).update(
        started_at=now, count=1
    ):
        return 1
    counters.update(count=F("count") + 1)
    return counters.values_list("count", flat=True).get()
