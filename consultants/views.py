"""The consultant workspace: dashboard, portfolio, client pages, exports, invitations, team.

Every consultant view goes through ``consultant_required``: log in first,
then anyone who is not a consultant gets a plain 404, and every query is
scoped with ``accounts.permissions`` to the consultant's own firm.
"""

import functools
import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import FirmMembership, Membership
from accounts.permissions import (
    firm_assessments,
    firm_clients,
    firm_invitations,
    firm_members,
    get_firm_assessment_or_404,
    get_firm_client_or_404,
    get_firm_membership_or_404,
    owned_organization,
    owner_organization,
)
from assessments.models import Assessment, Pillar
from assessments.selectors import active_framework
from reports.services import report_pdfs_stale
from scoring.engine import MATURITY_LABELS

from . import charts, exports, services
from .forms import (
    ClientInvitationForm,
    ClientSignupForm,
    ConsultantEmailForm,
    ConsultantSignupForm,
    DashboardForm,
    ReviewCommentForm,
)
from .models import Invitation, ReviewComment
from .portfolio import answers_table, portfolio_summary, portfolio_table
from .selectors import (
    apply_dashboard_query,
    client_rows,
    framework_pillars,
    present_rows,
    rows_in_order,
    sort_fields,
)

logger = logging.getLogger("resilience.consultants")

CLIENTS_PER_PAGE = 50
INVITATIONS_SHOWN = 100


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


def _pillars():
    return framework_pillars(active_framework())


# --- Dashboard and portfolio -----------------------------------------------------


@require_GET
@consultant_required
def dashboard(request):
    pillars = _pillars()
    pillar_keys = [p.key for p in pillars]
    form = DashboardForm(request.GET, pillar_keys=pillar_keys)
    query = form.query()
    clients = firm_clients(request.user)
    rows = apply_dashboard_query(client_rows(clients, pillar_keys), query, pillar_keys)
    # Sort and page on ids alone, so the database computes only what the order and
    # filters need for every client; the full row is then read for the page's 50.
    paginator = Paginator(rows.values_list("pk", flat=True), CLIENTS_PER_PAGE)
    requested_page = request.GET.get("page", "")
    page = paginator.get_page(requested_page)
    page_notice = ""
    if requested_page and requested_page != str(page.number):
        page_notice = (
            f"There is no page “{requested_page[:20]}” of this list; "
            f"showing page {page.number} of {paginator.num_pages}."
        )
    client_list = present_rows(
        rows_in_order(clients, list(page.object_list), pillar_keys), pillar_keys
    )
    columns = _columns(pillars, query.sort)
    filtered = bool(query.q or query.sector or query.maturity or query.status)
    return render(
        request,
        "pages/consultants/dashboard.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "page_notice": page_notice,
            "rows": client_list,
            "pillars": pillars,
            "columns": columns,
            "sort_label": next(
                (f"{c['label'].lower()} ({c['aria_sort']})" for c in columns if c["active"]), ""
            ),
            "filtered": filtered,
            "firm": request.firm_membership.firm,
            "total_clients": clients.count() if filtered else paginator.count,
        },
    )


def _columns(pillars, current_sort):
    """The sortable column headers: label, sort key, and the state for aria-sort."""
    labels = [
        ("name", "Organization"),
        ("sector", "Sector"),
        ("status", "Status"),
        ("score", "Overall"),
        ("maturity", "Maturity"),
        *((p.key, p.name.replace(" resilience", "")) for p in pillars),
        ("activity", "Last activity"),
    ]
    keys = sort_fields([p.key for p in pillars])
    columns = []
    for key, label in labels:
        if key not in keys:
            continue
        active = current_sort.lstrip("-") == key
        descending = current_sort.startswith("-")
        if active:
            aria, next_sort = ("descending", key) if descending else ("ascending", f"-{key}")
        else:
            # Names read A→Z first; scores and dates are most useful highest/latest first.
            aria, next_sort = "none", key if key in ("name", "sector") else f"-{key}"
        columns.append(
            {
                "key": key,
                "label": label,
                "aria_sort": aria,
                "next_sort": next_sort,
                "active": active,
                "numeric": key not in ("name", "sector", "status", "maturity", "activity"),
            }
        )
    return columns


@require_GET
@consultant_required
def portfolio(request):
    pillars = _pillars()
    rows = client_rows(firm_clients(request.user), [p.key for p in pillars]).order_by("name")
    summary = portfolio_summary(rows, pillars)
    return render(
        request,
        "pages/consultants/portfolio.html",
        {
            "summary": summary,
            "pillars": pillars,
            "chart": charts.bar_chart(summary.maturity_distribution),
            "firm": request.firm_membership.firm,
        },
    )


@require_GET
@consultant_required
def portfolio_export(request, fmt):
    """The dashboard's clients (with its filters and sort, when given) as CSV or XLSX."""
    pillars = _pillars()
    pillar_keys = [p.key for p in pillars]
    query = DashboardForm(request.GET, pillar_keys=pillar_keys).query()
    rows = apply_dashboard_query(
        client_rows(firm_clients(request.user), pillar_keys), query, pillar_keys
    )
    table = portfolio_table(present_rows(list(rows), pillar_keys), pillars)
    firm = request.firm_membership.firm
    filename = f"{firm.slug}-portfolio-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return exports.csv_response(table, filename=filename)
    return exports.xlsx_response(table, filename=filename, sheet="Portfolio")


# --- One client ------------------------------------------------------------------


@require_GET
@consultant_required
def client_detail(request, org_pk):
    organization = get_firm_client_or_404(request.user, org_pk)
    return render(request, "pages/consultants/client.html", _client_context(request, organization))


def _client_context(request, organization, comment_form=None):
    assessments = list(
        organization.assessments.select_related("framework", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "review_comments",
                queryset=ReviewComment.objects.select_related("author").order_by("created_at"),
            )
        )
        .order_by("-started_at", "-pk")
    )
    submitted = [a for a in assessments if a.is_submitted]
    frameworks = {a.framework_id for a in assessments}
    pillars_by_framework = {}
    for pillar in Pillar.objects.filter(framework__in=frameworks).order_by("position"):
        pillars_by_framework.setdefault(pillar.framework_id, []).append(pillar)
    pillar_names = {p.key: p.name for pillars in pillars_by_framework.values() for p in pillars}
    active_pillars = _pillars()
    for a in assessments:
        pillar_results = (a.result or {}).get("pillars", {})
        a.pillar_scores = [
            (p.name, (pillar_results.get(p.key) or {}).get("score")) for p in active_pillars
        ]
        a.maturity_label = MATURITY_LABELS[a.maturity_index] if a.maturity_index is not None else ""
        for comment in a.review_comments.all():
            comment.topic = pillar_names.get(comment.pillar_key, "Overall")
    if comment_form is None and submitted:
        comment_form = ReviewCommentForm(
            assessments=submitted,
            pillars=pillars_by_framework.get(submitted[0].framework_id, []),
            initial={"assessment": submitted[0].pk},
        )
    owners = Membership.objects.filter(organization=organization).select_related("user")
    trend = charts.line_chart([(a.submitted_at, a.overall_score) for a in submitted])
    return {
        "organization": organization,
        "assessments": assessments,
        "submitted": submitted,
        "active_pillars": active_pillars,
        "comment_form": comment_form,
        "owners": owners,
        "trend": trend,
        "firm": request.firm_membership.firm,
    }


@require_POST
@consultant_required
def comment_add(request, org_pk):
    organization = get_firm_client_or_404(request.user, org_pk)
    submitted = list(
        organization.assessments.filter(status=Assessment.Status.SUBMITTED)
        .select_related("framework")
        .order_by("-submitted_at", "-pk")
    )
    chosen = next(
        (a for a in submitted if str(a.pk) == request.POST.get("assessment")),
        submitted[0] if submitted else None,
    )
    pillars = list(Pillar.objects.filter(framework=chosen.framework_id)) if chosen else []
    form = ReviewCommentForm(request.POST, assessments=submitted, pillars=pillars)
    if form.is_valid():
        assessment = get_firm_assessment_or_404(request.user, form.cleaned_data["assessment"])
        try:
            services.review_comment_add(
                assessment=assessment,
                author=request.user,
                text=form.cleaned_data["text"],
                pillar_key=form.cleaned_data["pillar_key"],
            )
        except services.WorkspaceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Comment added. The client sees it in their report.")
            return redirect(f"{reverse('consultant_client', args=[organization.pk])}#comments")
    context = _client_context(request, organization, comment_form=form)
    return render(request, "pages/consultants/client.html", context, status=400)


@require_POST
@consultant_required
def comment_delete(request, pk):
    comment = get_object_or_404(
        ReviewComment.objects.select_related("assessment"),
        pk=pk,
        assessment__in=firm_assessments(request.user).values("pk"),
    )
    if comment.author_id != request.user.pk and request.firm_membership.role != "admin":
        messages.error(request, "Only the comment's author or a firm admin can delete it.")
    else:
        comment.delete()
        report_pdfs_stale(assessment=comment.assessment)
        messages.success(request, "Comment deleted.")
    url = reverse("consultant_client", args=[comment.assessment.organization_id])
    return redirect(f"{url}#comments")


@require_POST
@consultant_required
def mark_reviewed(request, pk):
    assessment = get_firm_assessment_or_404(request.user, pk)
    try:
        services.assessment_mark_reviewed(assessment=assessment, user=request.user)
    except services.WorkspaceError as exc:
        messages.error(request, exc.message)
    else:
        submitted = date_format(timezone.localtime(assessment.submitted_at), "j F Y")
        messages.success(request, f"Assessment of {submitted} marked as reviewed.")
    return redirect("consultant_client", org_pk=assessment.organization_id)


@require_GET
@consultant_required
def assessment_export(request, pk, fmt):
    assessment = get_firm_assessment_or_404(request.user, pk)
    table = answers_table(assessment)
    day = assessment.submitted_at or assessment.started_at
    filename = f"{assessment.organization.slug}-assessment-{timezone.localtime(day):%Y-%m-%d}"
    if fmt == "csv":
        return exports.csv_response(table, filename=filename)
    return exports.xlsx_response(table, filename=filename, sheet="Answers")


# --- Invitations -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@consultant_required
def invitations(request):
    firm = request.firm_membership.firm
    form = ClientInvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                issued = services.invitation_create(
                    firm=firm,
                    email=form.cleaned_data["email"],
                    invited_by=request.user,
                    base_url=request.build_absolute_uri("/"),
                )
            except services.WorkspaceError as exc:
                form.add_error("email", exc.message)
            else:
                messages.success(
                    request,
                    f"Invitation sent to {issued.invitation.email}. "
                    f"The link works once, until "
                    f"{date_format(timezone.localtime(issued.invitation.expires_at), 'j F Y')}.",
                )
                return redirect("consultant_invitations")
        status = 400
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


@require_POST
@consultant_required
def invitation_revoke(request, pk):
    invitation = get_object_or_404(firm_invitations(request.user), pk=pk)
    if (
        invitation.kind == Invitation.Kind.CONSULTANT
        and request.firm_membership.role != FirmMembership.Role.ADMIN
    ):
        raise Http404("No such invitation.")
    try:
        services.invitation_revoke(invitation=invitation, user=request.user)
    except services.WorkspaceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    if invitation.kind == Invitation.Kind.CONSULTANT:
        return redirect("consultant_team")
    return redirect("consultant_invitations")


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The emailed link: sign up, or (logged in) accept; a clear page when it cannot be used."""
    try:
        invitation = services.invitation_check(token)
    except services.InvitationError as exc:
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
    if is_client and organization is None:
        error = services.ERR_NOT_AN_OWNER
    if request.method == "POST" and error is None:
        try:
            services.invitation_accept(token=token, user=request.user)
        except services.WorkspaceError as exc:
            error = exc.message
        else:
            if is_client:
                messages.success(
                    request,
                    f"{organization.name} now shares its assessments with {invitation.firm.name}.",
                )
                return redirect("sharing")
            messages.success(request, f"Welcome to {invitation.firm.name}.")
            return redirect("consultant_dashboard")
    return render(
        request,
        "pages/consultants/invitation_accept.html",
        {"invitation": invitation, "organization": organization, "error": error},
        status=400 if error and request.method == "POST" else 200,
    )


def _accept_by_signing_up(request, token, invitation):
    from accounts.models import User

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
        try:
            accepted = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                organization=(
                    form.organization_data() if invitation.kind == Invitation.Kind.CLIENT else None
                ),
            )
        except services.WorkspaceError as exc:
            form.add_error(None, exc.message)
        else:
            login(request, accepted.accepted_by, backend="accounts.backends.RoleAwareModelBackend")
            if invitation.kind == Invitation.Kind.CLIENT:
                messages.success(
                    request,
                    f"Welcome! Your business is set up and shared with {invitation.firm.name}.",
                )
                return redirect("owner_home")
            messages.success(request, f"Welcome to {invitation.firm.name}.")
            return redirect("consultant_dashboard")
    return render(
        request,
        "pages/consultants/invitation_signup.html",
        {"invitation": invitation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


# --- The firm's team (firm admins) ----------------------------------------------------


@require_GET
@firm_admin_required
def team(request):
    return render(request, "pages/consultants/team.html", _team_context(request))


def _team_context(request, add_form=None, invite_form=None):
    firm = request.firm_membership.firm
    return {
        "firm": firm,
        "members": firm_members(request.user).select_related("user").order_by("user__email"),
        "pending": firm_invitations(request.user)
        .pending()
        .filter(kind=Invitation.Kind.CONSULTANT)
        .select_related("invited_by"),
        "add_form": add_form or ConsultantEmailForm(prefix="add"),
        "invite_form": invite_form or ConsultantEmailForm(prefix="invite"),
    }


@require_POST
@firm_admin_required
def team_add(request):
    form = ConsultantEmailForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            membership = services.consultant_add(
                firm=request.firm_membership.firm,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                added_by=request.user,
            )
        except services.WorkspaceError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, f"{membership.user.email} joined the firm.")
            return redirect("consultant_team")
    return render(
        request, "pages/consultants/team.html", _team_context(request, add_form=form), status=400
    )


@require_POST
@firm_admin_required
def team_invite(request):
    form = ConsultantEmailForm(request.POST, prefix="invite")
    if form.is_valid():
        try:
            issued = services.invitation_create(
                firm=request.firm_membership.firm,
                email=form.cleaned_data["email"],
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
                kind=Invitation.Kind.CONSULTANT,
                role=form.cleaned_data["role"],
            )
        except services.WorkspaceError as exc:
            form.add_error("email", exc.message)
        else:
            messages.success(request, f"Invitation sent to {issued.invitation.email}.")
            return redirect("consultant_team")
    return render(
        request,
        "pages/consultants/team.html",
        _team_context(request, invite_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
@firm_admin_required
def team_remove(request, pk):
    membership = get_object_or_404(firm_members(request.user).select_related("user", "firm"), pk=pk)
    if request.method == "POST":
        try:
            services.consultant_remove(membership=membership, removed_by=request.user)
        except services.WorkspaceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{membership.user.email} no longer works for the firm.")
            if membership.user_id == request.user.pk:
                return redirect("home")
        return redirect("consultant_team")
    return render(
        request,
        "pages/consultants/team_remove.html",
        {"membership": membership, "firm": membership.firm},
    )


# --- The owner's side: who sees my business? ----------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def sharing(request):
    """The owner sees which firm their business is shared with, and can stop it."""
    organization = owner_organization(request.user)
    if organization is None:
        raise Http404("You are not part of a business.")
    is_owner = owned_organization(request.user) is not None
    if request.method == "POST":
        if not is_owner:
            raise Http404("Only the owner can change sharing.")
        if request.POST.get("confirm") != "yes":
            messages.error(request, "Tick the box to confirm that you want to stop sharing.")
            return redirect("sharing")
        firm_name = organization.firm.name if organization.firm else ""
        try:
            services.sharing_stop(organization=organization, user=request.user)
        except services.WorkspaceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{organization.name} is no longer shared with {firm_name}.")
        return redirect("sharing")
    return render(
        request,
        "pages/consultants/sharing.html",
        {"organization": organization, "firm": organization.firm, "is_owner": is_owner},
    )
