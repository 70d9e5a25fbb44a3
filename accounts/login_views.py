"""Logging in: the password step with its limit per account, the emailed link, the code step."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import sign_in, throttle, two_factor
from .forms import CodeForm, EmailAuthenticationForm, SignInLinkForm
from .throttle import client_ip

ERR_ACCOUNT_LIMITED = (
    "There have been many failed log-ins to this email address in the last hour, so for "
    "its safety a password alone no longer signs it in. We can email a sign-in link to the "
    "address instead."
)


class LoginView(auth_views.LoginView):
    """Django's login, with a limit per account on top of django-axes' limit per address.

    Past LOGIN_FAILURES_PER_ACCOUNT failures in an hour, from any addresses,
    the password alone no longer signs the account in, even a right one: the
    page offers a sign-in link emailed to the account's address. A stranger
    can so slow the guessing on someone's account, never lock its owner out.
    Failures are counted for addresses without an account too, and the page
    reads the same, so it never says whether an address has an account.
    """

    template_name = "pages/accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        email = form.cleaned_data["username"]
        if throttle.reached("login-failed", key=email, limit=throttle.LOGIN_FAILURES_PER_ACCOUNT):
            return self.limited(email)
        return HttpResponseRedirect(
            sign_in.sign_in(self.request, form.get_user(), next_url=self.get_success_url())
        )

    def form_invalid(self, form):
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            email = form.cleaned_data["username"]
            limits = {email: throttle.LOGIN_FAILURES_PER_ACCOUNT}
            if not throttle.allow("login-failed", limits=limits):
                return self.limited(email)
        return super().form_invalid(form)

    def limited(self, email: str):
        """The same page whether the password was right, wrong, or the address unknown."""
        context = self.get_context_data(
            form=self.get_form_class()(self.request, initial={"username": email}),
            limited=True,
            limited_message=ERR_ACCOUNT_LIMITED,
            link_form=SignInLinkForm(initial={"email": email}),
        )
        return self.render_to_response(context, status=429)


@require_POST
def login_link_send(request):
    """Email a sign-in link; the answer reads alike whether or not the address has an account."""
    form = SignInLinkForm(request.POST)
    if not form.is_valid():
        return render(request, "pages/accounts/sign_in_link_form.html", {"form": form}, status=400)
    email = form.cleaned_data["email"]
    limit = throttle.LOGIN_LINKS_PER_ADDRESS
    if not throttle.allow("sign-in-link", limits={client_ip(request): limit}):
        form.add_error(None, throttle.ERR_TOO_MANY)
        return render(request, "pages/accounts/sign_in_link_form.html", {"form": form}, status=429)
    # Anyone may ask for anyone's address, so its limit is kept silently, as for
    # password resets: a few links an hour reach the inbox, and the page never refuses.
    if throttle.allow("sign-in-link-to", limits={email: throttle.LOGIN_LINKS_PER_EMAIL}):
        sign_in.link_send(email=email, base_url=request.build_absolute_uri("/"))
    return render(
        request,
        "pages/accounts/sign_in_link_sent.html",
        {"email": email, "valid_minutes": sign_in.LINK_VALID_FOR // 60},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def login_link(request, token):
    """The emailed link: a button signs in (a mail scanner's GET changes nothing)."""
    user = sign_in.link_use(token) if request.method == "POST" else sign_in.link_user(token)
    if user is None:
        return render(request, "pages/accounts/sign_in_link.html", {"valid": False}, status=404)
    if request.method == "POST":
        return redirect(sign_in.sign_in(request, user, next_url="accounts:after_login"))
    return render(request, "pages/accounts/sign_in_link.html", {"valid": True})


ERR_TOO_MANY_CODES = (
    "Too many codes tried for this account. Wait 15 minutes, then try again, "
    "or use the password-reset link if you have lost your phone and your recovery codes."
)


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second step: a code from the app, or a recovery code, after the password."""
    user, next_url = sign_in.pending_user(request)
    if user is None and _signed_in_unverified(request.user):
        # Signed in before their app was set up, or by a way in that skipped this step.
        user, next_url = request.user, request.GET.get("next", "")
    if user is None:
        return redirect("accounts:login")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("accounts:after_login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not throttle.code_attempt_allowed(user):
            form.add_error("code", ERR_TOO_MANY_CODES)
            status = 429
        elif (device := two_factor.verify(user, form.cleaned_data["code"])) is None:
            form.add_error("code", two_factor.ERR_WRONG_CODE)
            status = 400
        else:
            sign_in.finish_sign_in(request, user, device)
            if device.name == two_factor.CODES_DEVICE_NAME:
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. If you have lost your phone, "
                    "set up the app again from Two-step login.",
                )
            return redirect(next_url)
    return render(
        request,
        "pages/accounts/login_code.html",
        {"form": form, "email": user.email},
        status=status,
    )


def _signed_in_unverified(user) -> bool:
    return user.is_authenticated and not user.is_verified() and two_factor.has_device(user)
