import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.http import require_GET

# What psycopg and sqlite3 raise while the database cannot be reached: a restart, a failover,
# a full connection table. Not IntegrityError and the like, which are bugs or refusals.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5
ERR_UNAVAILABLE = (
    "The service is unavailable for a moment: what you just sent was not saved, and nothing "
    "saved before is lost. Try again in a few seconds."
)


@require_GET
def healthz(request):
    """For load balancers, and the bare baseline view in the HTTP benchmark: no database."""
    return HttpResponse("ok", content_type="text/plain")


def server_error(request):
    """handler500: a database out of reach answers 503 with Retry-After, anything else 500.

    During a database restart every request fails, most of them in middleware
    (reading the session) before any view runs, so this is the one place that
    sees them all. A 503 tells the owner, autosave.js and any load balancer
    that trying again shortly is right; a bare 500 says the app is broken. The
    request's transaction was rolled back, so nothing reports success.
    """
    if not isinstance(sys.exc_info()[1], DATABASE_UNREACHABLE):
        return defaults.server_error(request)
    if request.headers.get("X-Requested-With") == "fetch":
        response = JsonResponse({"status": "unavailable", "message": ERR_UNAVAILABLE}, status=503)
    else:
        page = render_to_string("503.html", {"message": ERR_UNAVAILABLE})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
