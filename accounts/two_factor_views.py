"""The person's own two-step login: set it up, new recovery codes, turn it off."""

from base64 import b32encode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.views import service_call

from . import throttle, two_factor
from .forms import CodeForm, SetupCodeForm
from .login_views import ERR_TOO_MANY_CODES


@require_GET
@never_cache
@login_required
def two_factor_home(request):
    """Whether two-step login is on, and what the person can do about it."""
    user = request.user
    return render(
        request,
        "pages/accounts/two_factor.html",
        {
            "on": two_factor.has_device(user),
            "required": two_factor.required_for(user),
            "codes_left": two_factor.recovery_codes_left(user),
            "off_form": CodeForm(submit_label="Turn off two-step login"),
            "next": _next_url(request, default=""),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan the QR code (or type the key), confirm with a code, then see the recovery codes once."""
    user = request.user
    if two_factor.has_device(user) and not user.is_verified():
        # Replacing an app needs the old one first: else a stolen password would do.
        return redirect(f"{reverse('accounts:login_code')}?next={request.path}")
    next_url = _next_url(request, default=reverse("accounts:after_login"))
    if request.method == "POST" and "start" in request.POST:
        two_factor.setup_start(user=user)
        return redirect(f"{request.path}?next={next_url}")
    device = two_factor.pending_setup(user)
    if device is None:
        return redirect("accounts:two_factor")
    form = SetupCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if not throttle.code_attempt_allowed(user):
            form.add_error("code", ERR_TOO_MANY_CODES)
            status = 429
        else:
            confirmed, codes = service_call(
                request, two_factor.setup_confirm, form=form, device=device, code=form.data["code"]
            )
            if confirmed:
                device.refresh_from_db()
                django_otp.login(request, device)
                return _show_codes(request, codes, next_url, first_time=True)
            status = 400
    key = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "pages/accounts/two_factor_setup.html",
        {
            "form": form,
            # segno's own SVG of the otpauth URL: no user input reaches it unescaped.
            "qr_svg": mark_safe(  # noqa: S308
                qr.svg_inline(scale=5, light="#fff", title="QR code of your two-step login key")
            ),
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
            "next": next_url,
        },
        status=status,
    )


@never_cache
@login_required
@require_POST
def two_factor_recovery_codes(request):
    """Ten new recovery codes, shown once; the old ones stop working."""
    if not request.user.is_verified():
        return redirect(f"{reverse('accounts:login_code')}?next={reverse('accounts:two_factor')}")
    made, codes = service_call(request, two_factor.recovery_codes_new, user=request.user)
    if not made:
        return redirect("accounts:two_factor")
    return _show_codes(request, codes, reverse("accounts:two_factor"), first_time=False)


@never_cache
@login_required
@require_POST
def two_factor_off(request):
    """Turn two-step login off, with a code to prove it is the person; not when it is required."""
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type a code from your app, or a recovery code, to turn it off.")
    elif not throttle.code_attempt_allowed(request.user):
        messages.error(request, ERR_TOO_MANY_CODES)
    else:
        done, _ = service_call(
            request, two_factor.turn_off, user=request.user, code=form.cleaned_data["code"]
        )
        if done:
            messages.success(request, "Two-step login is off: your password alone signs you in.")
    return redirect("accounts:two_factor")


def _show_codes(request, codes: list[str], next_url: str, *, first_time: bool):
    """The recovery codes, in this response only: they are never shown again."""
    return render(
        request,
        "pages/accounts/recovery_codes.html",
        {
            "codes": [f"{code[:4]}-{code[4:]}" for code in codes],
            "next": next_url,
            "first_time": first_time,
        },
    )


def _next_url(request, *, default: str) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return next_url
    return default
