"""The admin site: one login for the whole site, and the second step for staff when required."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from . import two_factor


class SiteAdmin(admin.AdminSite):
    """Django's admin, which staff reach only verified when two-step login is required.

    django-otp's OTPAdminSite asks for the code on its own login form and
    always requires it; here the code is asked by the site's one login (so
    the limit per account and the code step apply to admins too) and only
    when TWO_FACTOR_REQUIRED is on, so the local demo keeps its password-only
    admin login.
    """

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.satisfied(request.user)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in without the admin's permission: sending them to log in would loop.
            raise PermissionDenied
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("accounts:login")
        )
