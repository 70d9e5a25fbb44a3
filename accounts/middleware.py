"""Consultants and site admins pass the second step before they see anything."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from . import two_factor

# What a person who still owes their second factor may open: the set-up, the
# code step, and the way out.
OPEN_BEFORE_SECOND_STEP = {
    "accounts:two_factor",
    "accounts:two_factor_setup",
    "accounts:login_code",
    "accounts:logout",
    "healthz",
}


class TwoFactorRequiredMiddleware:
    """With TWO_FACTOR_REQUIRED on, send an unverified consultant or admin to the second step.

    Every page but those above, the admin site and client data included: one
    rule at the door rather than a decorator each view could forget. Those
    who have set up an app go to the code step, the others to the set-up.
    Owners are never required (``two_factor.required_for``); an owner who
    turned it on passes the code step when signing in (``accounts.sign_in``).
    Goes after django-otp's OTPMiddleware, which tells whether a session is
    verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not two_factor.required_for(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_STEP:
            return None
        step = "accounts:login_code" if two_factor.has_device(user) else "accounts:two_factor"
        return redirect_to_login(request.get_full_path(), reverse(step))
