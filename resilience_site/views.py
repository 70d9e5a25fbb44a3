from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    """For load balancers, and the bare baseline view in the HTTP benchmark: no database."""
    return HttpResponse("ok", content_type="text/plain")
