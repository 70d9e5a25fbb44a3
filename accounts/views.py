import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reports.services import report_pdfs_stale

from . import services
from .forms import OrganizationForm, SignupForm
from .permissions import is_consultant, owner_organization

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
    organization = owner_organization(request.user)
    if organization is None:
        messages.info(request, "Your account is not part of a business.")
        return redirect("home")
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        report_pdfs_stale(organization=organization)
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
