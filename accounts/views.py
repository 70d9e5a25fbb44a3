import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.views import service_call

from . import services, sign_in, throttle
from .forms import OrganizationForm, SignupAfreshForm, SignupForm, YourNameForm
from .permissions import is_consultant, owned_organization, owner_organization
from .throttle import client_ip

logger = logging.getLogger("resilience.accounts")


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("questionnaire:owner_home")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        limits = {client_ip(request): throttle.SIGNUP_LIMIT, email: throttle.SIGNUP_LIMIT}
        if not throttle.allow("signup", limits=limits):
            form.add_error(None, throttle.ERR_TOO_MANY)
            status = 429
        else:
            sent, _ = service_call(
                request,
                services.signup_request,
                form=form,
                email=email,
                password=form.cleaned_data["password1"],
                organization=form.organization_data(),
                base_url=request.build_absolute_uri("/"),
            )
            if sent:
                # The same page whether or not the address already had an account.
                return render(request, "pages/accounts/signup_sent.html", {"email": email})
    return render(request, "pages/accounts/signup.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """The emailed link: a button confirms the address (a mail scanner's GET changes nothing)."""
    user = services.confirmation_user(token)
    if user is not None and request.method == "POST":
        services.email_confirm(user=user)
        messages.success(request, "Thank you: your email address is confirmed.")
        # Through the code step if the account has turned two-step login on.
        return redirect(sign_in.sign_in(request, user, next_url=reverse("accounts:after_login")))
    return render(
        request,
        "pages/accounts/email_confirm.html",
        {
            "valid": user is not None,
            "token": token,
            "organization": user and owner_organization(user),
        },
        status=200 if user is not None else 404,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def email_confirm_afresh(request, token):
    """From the emailed link: the address's owner sets their own password and business.

    For an address someone else signed up with: whatever that person chose
    (password, business) goes, and the account is the mailbox owner's.
    """
    user = services.confirmation_user(token)
    if user is None:
        return render(request, "pages/accounts/email_confirm.html", {"valid": False}, status=404)
    form = SignupAfreshForm(request.POST or None, email=user.email)
    if request.method == "POST" and form.is_valid():
        started, owner = service_call(
            request,
            services.signup_afresh,
            form=form,
            user=user,
            password=form.cleaned_data["password1"],
            organization=form.organization_data(),
        )
        if started:
            messages.success(request, "Your address is confirmed and your account is set up.")
            return redirect(
                sign_in.sign_in(request, owner, next_url=reverse("accounts:after_login"))
            )
    return render(
        request,
        "pages/accounts/email_confirm_afresh.html",
        {"form": form, "email": user.email, "organization": owner_organization(user)},
    )


@login_required
@require_POST
def email_confirm_send(request):
    """Send the confirmation link again, to the signed-in user's own address."""
    user = request.user
    limits = {
        client_ip(request): throttle.CONFIRMATION_LIMIT,
        user.email: throttle.CONFIRMATION_LIMIT,
    }
    if user.email_confirmed:
        messages.info(request, "Your email address is already confirmed.")
    elif not throttle.allow("confirmation", limits=limits):
        messages.error(request, throttle.ERR_TOO_MANY)
    else:
        sent, _ = service_call(
            request,
            services.confirmation_send,
            user=user,
            base_url=request.build_absolute_uri("/"),
        )
        if sent:
            messages.success(request, f"We sent a new confirmation link to {user.email}.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "accounts:after_login"
    return redirect(next_url)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per client address, and silently per email address."""

    def form_valid(self, form):
        limit = throttle.PASSWORD_RESET_LIMIT
        if not throttle.allow("password-reset", limits={client_ip(self.request): limit}):
            form.add_error(None, throttle.ERR_TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not throttle.allow("password-reset-to", limits={form.cleaned_data["email"]: limit}):
            # Anyone may ask for anyone's address, so its limit is kept silently: at most
            # `limit` emails an hour reach the inbox, and the page never refuses the owner.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's password reset; the link came to the user's address, so it is confirmed too."""

    def form_valid(self, form):
        form.user.email_confirmed = True
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request):
    organization = owned_organization(request.user)
    if organization is None:
        if owner_organization(request.user) is None:
            messages.info(request, "Your account is not part of a business.")
        else:
            messages.info(request, "Only the business's owner can edit its profile.")
        return redirect("home")
    # Two forms, each with its own button: the business, and the owner's own name.
    saving_name = "save_name" in request.POST
    posted = request.POST if request.method == "POST" else None
    form = OrganizationForm(None if saving_name else posted, instance=organization)
    name_form = YourNameForm(posted if saving_name else None, instance=request.user)
    bound = name_form if saving_name else form
    if request.method == "POST" and bound.is_valid():
        bound.save()
        messages.success(request, "Your name saved." if saving_name else "Business profile saved.")
        return redirect("questionnaire:owner_home")
    return render(
        request,
        "pages/accounts/organization_form.html",
        {"form": form, "name_form": name_form, "organization": organization},
    )


@login_required
def after_login(request):
    """Send each person to their own workspace after logging in."""
    if is_consultant(request.user):
        return redirect("consultants:dashboard")
    if owner_organization(request.user) is not None:
        return redirect("questionnaire:owner_home")
    return redirect("home")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def sharing(request):
    """The owner sees which firm their business is shared with, and can stop it."""
    # Only the business the user owns can be changed; a member sees theirs read-only.
    owned = owned_organization(request.user)
    organization = owned or owner_organization(request.user)
    if organization is None:
        raise Http404("You are not part of a business.")
    is_owner = owned is not None
    if request.method == "POST":
        if not is_owner:
            raise Http404("Only the owner can change sharing.")
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Tick the box to confirm that you want to stop sharing.")
            return redirect("accounts:sharing")
        firm_name = organization.firm.name if organization.firm else ""
        stopped, _ = service_call(
            request, services.sharing_stop, organization=organization, user=request.user
        )
        if stopped:
            messages.success(request, f"{organization.name} is no longer shared with {firm_name}.")
        return redirect("accounts:sharing")
    return render(
        request,
        "pages/accounts/sharing.html",
        {"organization": organization, "firm": organization.firm, "is_owner": is_owner},
    )
