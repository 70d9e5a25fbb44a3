"""Who is asking, and how often they may ask.

Behind the documented proxy every request comes from the proxy's address;
the visitor's is the one the proxy appended to X-Forwarded-For. Only the
last TRUSTED_PROXY_COUNT entries were written by proxies we run: anything
before them came from the visitor and proves nothing.
"""

from django.conf import settings


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
