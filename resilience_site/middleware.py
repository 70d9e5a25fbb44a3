"""Site-wide response headers for private data."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Forbid caches from keeping any page: every dynamic page may hold private answers.

    Static files never reach this middleware (WhiteNoise answers them first),
    so they stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
