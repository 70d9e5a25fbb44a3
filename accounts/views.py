import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services
from .forms import OrganizationForm, SignupForm
from .permissions import is_consultant, owned_organization, owner_organization

logger = logging.getLogger("resilience.accounts")


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("owner_home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.owner_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            organization=form.organization_data(),
        )
        login(request, user, backend="accounts.backends.RoleAwareModelBackend")
        messages.success(request, "Welcome! Your account and business profile are ready.")
        return redirect("owner_home")
    return render(request, "pages/accounts/signup.html", {"form": form})


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
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Business profile saved.")
        return redirect("owner_home")
    return render(
        request,
        "pages/accounts/organization_form.html",
        {"form": form, "organization": organization},
    )


@login_required
def after_login(request):
    """Send each person to their own workspace after logging in."""
    if is_consultant(request.user):
        return redirect("consultant_dashboard")
    if owner_organization(request.user) is not None:
        return redirect("owner_home")
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
            return redirect("sharing")
        firm_name = organization.firm.name if organization.firm else ""
        try:
            services.sharing_stop(organization=organization, user=request.user)
        except services.AccountError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{organization.name} is no longer shared with {firm_name}.")
        return redirect("sharing")
    return render(
        request,
        "pages/accounts/sharing.html",
        {"organization": organization, "firm": organization.firm, "is_owner": is_owner},
    )
