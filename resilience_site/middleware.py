"""Site-wide middleware: response headers for private data, and session upkeep."""

import time

from django.conf import settings
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


class SessionRefreshMiddleware:
    """Keep a signed-in session alive while it is used, writing it at most once a minute.

    Sessions end after SESSION_COOKIE_AGE without activity. Django's
    SESSION_SAVE_EVERY_REQUEST would rewrite the session row on every page
    view and autosave, which on SQLite takes the database's single write lock
    each time and queues every other owner's request behind it. Refreshing
    the expiry only when SESSION_REFRESH_SECONDS have passed since the last
    refresh keeps the same rule to within that interval, for one write a
    minute per active owner instead of one per request.
    """

    TOUCHED_KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A request that never read the session (static files, /healthz/) says
        # nothing about the owner being active, and an empty session is no login.
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        touched = session.get(self.TOUCHED_KEY)
        if not isinstance(touched, int) or now - touched >= settings.SESSION_REFRESH_SECONDS:
            session[self.TOUCHED_KEY] = now  # marks it modified: SessionMiddleware saves it
        return response
