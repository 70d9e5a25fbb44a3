"""Who may open a consultant page.

Every consultant view goes through ``consultant_required``: log in first,
then anyone who is not a consultant gets a plain 404, and every query is
scoped with ``accounts.permissions`` to the consultant's own firm.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .models import FirmMembership
from .permissions import get_firm_membership_or_404


def consultant_required(view):
    """Log in, be a consultant (else 404), never cached; the membership is on the request."""

    @functools.wraps(view)
    @login_required
    @never_cache
    def wrapped(request, *args, **kwargs):
        request.firm_membership = get_firm_membership_or_404(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def firm_admin_required(view):
    """A consultant page only the firm's admins may use; other consultants get a 403 page."""

    @functools.wraps(view)
    @consultant_required
    def wrapped(request, *args, **kwargs):
        if request.firm_membership.role != FirmMembership.Role.ADMIN:
            return render(request, "pages/consultants/admin_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
