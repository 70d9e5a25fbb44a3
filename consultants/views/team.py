"""The firm's team, managed by its admins."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import firm_admin_required
from accounts.permissions import firm_members
from core.views import service_call

from .. import services
from ..forms import ConsultantEmailForm
from ..models import Invitation
from ..selectors import firm_invitations
from .invitations import invitation_send_allowed


@require_GET
@firm_admin_required
def team(request):
    return render(request, "pages/consultants/team.html", _team_context(request))


def _team_context(request, invite_form=None):
    firm = request.firm_membership.firm
    return {
        "firm": firm,
        "members": firm_members(request.user).select_related("user").order_by("user__email"),
        "pending": firm_invitations(request.user)
        .pending()
        .filter(kind=Invitation.Kind.CONSULTANT)
        .select_related("invited_by"),
        "invite_form": invite_form or ConsultantEmailForm(prefix="invite"),
    }


@require_POST
@firm_admin_required
def team_invite(request):
    form = ConsultantEmailForm(request.POST, prefix="invite")
    status = 400
    if form.is_valid() and not invitation_send_allowed(request, form):
        status = 429
    elif form.is_valid():
        sent, issued = service_call(
            request,
            services.invitation_create,
            form=form,
            firm=request.firm_membership.firm,
            email=form.cleaned_data["email"],
            invited_by=request.user,
            base_url=request.build_absolute_uri("/"),
            kind=Invitation.Kind.CONSULTANT,
            role=form.cleaned_data["role"],
        )
        if sent:
            messages.success(request, f"Invitation sent to {issued.invitation.email}.")
            return redirect("consultants:team")
    return render(
        request,
        "pages/consultants/team.html",
        _team_context(request, invite_form=form),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@firm_admin_required
def team_remove(request, pk):
    membership = get_object_or_404(firm_members(request.user).select_related("user", "firm"), pk=pk)
    if request.method == "POST":
        removed, _ = service_call(
            request, services.consultant_remove, membership=membership, removed_by=request.user
        )
        if removed:
            messages.success(request, f"{membership.user.email} no longer works for the firm.")
            if membership.user_id == request.user.pk:
                return redirect("home")
        return redirect("consultants:team")
    return render(
        request,
        "pages/consultants/team_remove.html",
        {"membership": membership, "firm": membership.firm},
    )


@require_POST
@firm_admin_required
def team_two_factor_reset(request, pk):
    """Reset a member's two-step login: they set it up again at their next login."""
    membership = get_object_or_404(firm_members(request.user).select_related("user", "firm"), pk=pk)
    reset, _ = service_call(
        request,
        services.two_factor_reset,
        membership=membership,
        reset_by=request.user,
        base_url=request.build_absolute_uri("/"),
    )
    if reset:
        messages.success(
            request,
            f"Two-step login of {membership.user.email} is reset: they set it up again "
            "at their next login, and we emailed them to say so.",
        )
    return redirect("consultants:team")
