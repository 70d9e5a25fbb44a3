"""Who is asking, and how often they may ask.

Behind the documented proxy every request comes from the proxy's address;
the visitor's is the one the proxy appended to X-Forwarded-For. Only the
last TRUSTED_PROXY_COUNT entries were written by proxies we run: anything
before them came from the visitor and proves nothing.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


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
    many requests it may make per PERIOD. Counters live in Django's cache,
    so every app server sharing the cache shares them.
    """
    allowed = True
    for key, limit in limits.items():
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
        cache_key = f"throttle:{action}:{digest}"
        cache.add(cache_key, 0, PERIOD)  # starts the hour on the first request
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, PERIOD)
            count = 1
        allowed = allowed and count <= limit
    return allowed
