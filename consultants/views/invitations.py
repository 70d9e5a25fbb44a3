"""Client invitations sent by consultants, and the emailed link that accepts one."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import throttle
from accounts.decorators import consultant_required
from accounts.models import FirmMembership, User
from accounts.permissions import owned_organization
from accounts.throttle import client_ip
from core.errors import ServiceError
from core.views import service_call

from .. import services
from ..forms import ClientInvitationForm, ClientSignupForm, ConsultantSignupForm
from ..models import Invitation
from ..selectors import firm_invitations

INVITATIONS_SHOWN = 100


@require_http_methods(["GET", "POST"])
@consultant_required
def invitations(request):
    firm = request.firm_membership.firm
    form = ClientInvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and not invitation_send_allowed(request, form):
            status = 429
        elif form.is_valid():
            sent, issued = service_call(
                request,
                services.invitation_create,
                form=form,
                firm=firm,
                email=form.cleaned_data["email"],
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
            if sent:
                messages.success(
                    request,
                    f"Invitation sent to {issued.invitation.email}. "
                    f"The link works once, until "
                    f"{date_format(timezone.localtime(issued.invitation.expires_at), 'j F Y')}.",
                )
                return redirect("consultants:invitations")
    sent = (
        firm_invitations(request.user)
        .filter(kind=Invitation.Kind.CLIENT)
        .select_related("invited_by", "organization")[:INVITATIONS_SHOWN]
    )
    return render(
        request,
        "pages/consultants/invitations.html",
        {"form": form, "invitations": sent, "firm": firm},
        status=status,
    )


def invitation_send_allowed(request, form) -> bool:
    """Throttle invitation emails per sender's address and per invited address."""
    limits = {
        client_ip(request): throttle.INVITATIONS_PER_ADDRESS,
        form.cleaned_data["email"]: throttle.INVITATIONS_PER_EMAIL,
    }
    if throttle.allow("invitation", limits=limits):
        return True
    form.add_error("email", throttle.ERR_TOO_MANY)
    return False


@require_POST
@consultant_required
def invitation_revoke(request, pk):
    invitation = get_object_or_404(firm_invitations(request.user), pk=pk)
    if (
        invitation.kind == Invitation.Kind.CONSULTANT
        and request.firm_membership.role != FirmMembership.Role.ADMIN
    ):
        raise Http404("No such invitation.")
    revoked, _ = service_call(
        request, services.invitation_revoke, invitation=invitation, user=request.user
    )
    if revoked:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    if invitation.kind == Invitation.Kind.CONSULTANT:
        return redirect("consultants:team")
    return redirect("consultants:invitations")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The emailed link: sign up, or (logged in) accept; a clear page when it cannot be used."""
    try:
        invitation = services.invitation_check(token)
    except ServiceError as exc:
        return render(
            request,
            "pages/consultants/invitation_invalid.html",
            {"message": exc.message, "gone": exc.status == 410},
            status=exc.status,
        )
    if request.user.is_authenticated:
        return _accept_as_user(request, token, invitation)
    return _accept_by_signing_up(request, token, invitation)


def _accept_as_user(request, token, invitation):
    is_client = invitation.kind == Invitation.Kind.CLIENT
    organization = owned_organization(request.user) if is_client else None
    error = None
    wrong_account = request.user.email.lower() != invitation.email
    if wrong_account:
        error = services.ERR_WRONG_ACCOUNT.format(email=invitation.email)
    elif not request.user.email_confirmed:
        error = services.ERR_EMAIL_NOT_CONFIRMED
    elif is_client and organization is None:
        error = services.ERR_NOT_AN_OWNER
    if request.method == "POST" and error is None:
        try:
            services.invitation_accept(token=token, user=request.user)
        except ServiceError as exc:
            error = exc.message
        else:
            if is_client:
                messages.success(
                    request,
                    f"{organization.name} now shares its assessments with {invitation.firm.name}.",
                )
                return redirect("accounts:sharing")
            messages.success(request, f"Welcome to {invitation.firm.name}.")
            return redirect("consultants:dashboard")
    return render(
        request,
        "pages/consultants/invitation_accept.html",
        {
            "invitation": invitation,
            "organization": organization,
            "error": error,
            "wrong_account": wrong_account,
            "unconfirmed": error == services.ERR_EMAIL_NOT_CONFIRMED,
        },
        status=400 if error and request.method == "POST" else 200,
    )


def _accept_by_signing_up(request, token, invitation):

    if User.objects.filter(email=invitation.email).exists():
        return render(
            request,
            "pages/consultants/invitation_login.html",
            {"invitation": invitation, "next": request.get_full_path()},
        )
    form_class = (
        ClientSignupForm if invitation.kind == Invitation.Kind.CLIENT else ConsultantSignupForm
    )
    form = form_class(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        signed_up, accepted = service_call(
            request,
            services.invitation_accept,
            form=form,
            token=token,
            password=form.cleaned_data["password1"],
            organization=(
                form.organization_data() if invitation.kind == Invitation.Kind.CLIENT else None
            ),
        )
        if signed_up:
            login(request, accepted.accepted_by, backend="accounts.backends.RoleAwareModelBackend")
            if invitation.kind == Invitation.Kind.CLIENT:
                messages.success(
                    request,
                    f"Welcome! Your business is set up and shared with {invitation.firm.name}.",
                )
                return redirect("questionnaire:owner_home")
            messages.success(request, f"Welcome to {invitation.firm.name}.")
            return redirect("consultants:dashboard")
    return render(
        request,
        "pages/consultants/invitation_signup.html",
        {"invitation": invitation, "form": form},
        status=400 if request.method == "POST" else 200,
    )
