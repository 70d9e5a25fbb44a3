"""One client: their assessments, review comments, the reviewed mark and the answers export."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from access_log.models import AccessRecord
from access_log.services import access_record
from accounts.decorators import consultant_required
from accounts.models import Membership
from accounts.permissions import get_firm_client_or_404, get_or_404
from action_plans.forms import ActionAddForm, CommentForm
from action_plans.selectors import organization_action_plan
from assessments.models import Assessment
from assessments.selectors import active_framework, assessment_framework, stored_result
from core.views import service_call
from reports.models import ReviewComment

from .. import charts, exports, services
from ..forms import ReviewCommentForm
from ..portfolio import answers_table
from ..selectors import framework_pillars


@dataclass(frozen=True)
class AssessmentRow:
    """One line of the client's assessment history, as the page prints it."""

    assessment: Assessment
    maturity_label: str
    # (pillar name, score) for each pillar of the active framework, None when not scored.
    pillar_scores: list[tuple[str, float | None]]


@dataclass(frozen=True)
class CommentRow:
    comment: ReviewComment
    topic: str


@dataclass(frozen=True)
class SubmissionComments:
    assessment: Assessment
    comments: list[CommentRow]


@require_GET
@consultant_required
def client_detail(request, org_pk):
    organization = get_firm_client_or_404(request.user, org_pk)
    access_record(request.user, organization, AccessRecord.What.CLIENT_PAGE)
    return render(request, "pages/consultants/client.html", client_context(request, organization))


def client_context(
    request, organization, comment_form=None, action_form=None, item_comment_form=None
):
    """The client page's context; a form given back (bound, with errors) replaces its blank one."""
    assessments = list(
        organization.assessments.select_related("framework", "reviewed_by")
        .prefetch_related(
            Prefetch(
                "review_comments",
                queryset=ReviewComment.objects.filter(firm=request.firm_membership.firm)
                .select_related("author")
                .order_by("created_at"),
            )
        )
        .order_by("-started_at", "-pk")
    )
    submitted = [a for a in assessments if a.is_submitted]
    pillar_names = {p.key: p.name for a in assessments for p in assessment_framework(a).pillars}
    active_pillars = framework_pillars(active_framework())
    rows = []
    for a in assessments:
        result = stored_result(a)
        pillars = result.pillars if result else {}
        scores = [
            (p.name, pillars[p.key].score if p.key in pillars else None) for p in active_pillars
        ]
        rows.append(AssessmentRow(a, result.maturity.label if result else "", scores))
    if comment_form is None and submitted:
        comment_form = ReviewCommentForm(
            assessments=submitted,
            pillars=assessment_framework(submitted[0]).pillars,
            initial={"assessment": submitted[0].pk},
        )
    owners = Membership.objects.filter(organization=organization).select_related("user")
    trend = charts.line_chart([(a.submitted_at, a.overall_score) for a in submitted])
    plan = organization_action_plan(organization, firm=request.firm_membership.firm)
    return {
        "organization": organization,
        "plan": plan,
        "plan_rows": [
            (
                row,
                item_comment_form
                if item_comment_form is not None and item_comment_form.item_pk == row.item.pk
                else CommentForm(item=row.item),
            )
            for row in plan.rows
        ],
        "action_form": action_form or ActionAddForm(),
        "assessments": assessments,
        "assessment_rows": rows,
        "submitted": submitted,
        "submission_comments": [
            SubmissionComments(
                a,
                [
                    CommentRow(c, pillar_names.get(c.pillar_key, "Overall"))
                    for c in a.review_comments.all()
                ],
            )
            for a in submitted
        ],
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
        Assessment.objects.submitted()
        .filter(organization=organization)
        .select_related("framework")
        .order_by("-submitted_at", "-pk")
    )
    chosen = next(
        (a for a in submitted if str(a.pk) == request.POST.get("assessment")),
        submitted[0] if submitted else None,
    )
    pillars = assessment_framework(chosen).pillars if chosen else []
    form = ReviewCommentForm(request.POST, assessments=submitted, pillars=pillars)
    if form.is_valid():
        assessment = get_or_404(
            Assessment.objects.of_firm_clients(request.user), form.cleaned_data["assessment"]
        )
        added, _ = service_call(
            request,
            services.review_comment_add,
            form=form,
            assessment=assessment,
            author=request.user,
            text=form.cleaned_data["text"],
            pillar_key=form.cleaned_data["pillar_key"],
        )
        if added:
            messages.success(request, "Comment added. The client sees it in their report.")
            return redirect(f"{reverse('consultants:client', args=[organization.pk])}#comments")
    context = client_context(request, organization, comment_form=form)
    return render(request, "pages/consultants/client.html", context, status=400)


@require_POST
@consultant_required
def comment_delete(request, pk):
    comment = get_object_or_404(
        ReviewComment.objects.select_related("assessment"),
        pk=pk,
        firm=request.firm_membership.firm,
        assessment__in=Assessment.objects.of_firm_clients(request.user).values("pk"),
    )
    if comment.author_id != request.user.pk and request.firm_membership.role != "admin":
        messages.error(request, "Only the comment's author or a firm admin can delete it.")
    else:
        services.review_comment_delete(comment=comment)
        messages.success(request, "Comment deleted.")
    url = reverse("consultants:client", args=[comment.assessment.organization_id])
    return redirect(f"{url}#comments")


@require_POST
@consultant_required
def mark_reviewed(request, pk):
    assessment = get_or_404(Assessment.objects.of_firm_clients(request.user), pk)
    reviewed, _ = service_call(
        request, services.assessment_mark_reviewed, assessment=assessment, user=request.user
    )
    if reviewed:
        submitted = date_format(timezone.localtime(assessment.submitted_at), "j F Y")
        messages.success(request, f"Assessment of {submitted} marked as reviewed.")
    return redirect("consultants:client", org_pk=assessment.organization_id)


@require_GET
@consultant_required
def assessment_export(request, pk, fmt):
    assessment = get_or_404(Assessment.objects.of_firm_clients(request.user), pk)
    table = answers_table(assessment)
    access_record(
        request.user,
        assessment.organization,
        AccessRecord.What.ANSWERS_EXPORT,
        assessment=assessment,
    )
    day = assessment.submitted_at or assessment.started_at
    filename = f"{assessment.organization.slug}-assessment-{timezone.localtime(day):%Y-%m-%d}"
    if fmt == "csv":
        return exports.csv_response(table, filename=filename)
    return exports.xlsx_response(table, filename=filename, sheet="Answers")
