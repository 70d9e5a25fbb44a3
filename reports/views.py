"""The results page of one assessment and the comparison of two (``documents`` serves the PDF).

Both are private business data: every response says ``Cache-Control:
no-store`` (never_cache), and both views look the assessment up through
``Assessment.objects.visible_to`` so other tenants' assessments answer 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from access_log.models import AccessRecord
from access_log.services import access_record
from accounts.permissions import get_or_404
from action_plans.forms import TargetsForm
from action_plans.selectors import default_target
from assessments.models import Assessment
from assessments.selectors import assessment_framework, not_asked, stored_result

from .benchmark import sector_benchmark
from .comparison import build_comparison, submission_trend
from .selectors import build_report, consultant_firm

ERR_COMPARE_SAME = "Choose two different assessments to compare."
ERR_COMPARE_IN_PROGRESS = (
    "Only submitted assessments can be compared: the one started on {date} is still in progress."
)
NOTHING_TO_COMPARE = "There is nothing to compare yet: it takes two submitted assessments."


@never_cache
@login_required
@require_safe
def results(request, pk):
    assessment = get_or_404(Assessment.objects.visible_to(request.user), pk)
    firm = consultant_firm(request.user, assessment)
    report = build_report(assessment, comments_of_firm=firm)
    is_member = firm is None
    if not is_member:
        access_record(
            request.user, assessment.organization, AccessRecord.What.REPORT, assessment=assessment
        )
    can_answer = not assessment.is_submitted and is_member
    benchmark = None
    if assessment.is_submitted:
        benchmark = sector_benchmark(
            assessment, assessment_framework(assessment), stored_result(assessment)
        )
    return render(
        request,
        "pages/reports/results.html",
        {
            "assessment": assessment,
            "report": report,
            "can_answer": can_answer,
            "benchmark": benchmark,
            "not_asked": not_asked(assessment),
            "targets_form": _targets_form(report) if is_member and report.plan else None,
        },
    )


def _targets_form(report):
    """The owner's targets: as set, else one level above today in each pillar."""
    chosen = {t.pillar_key: t for t in report.plan.targets}
    initial = {
        f"target_{p.key}": chosen[p.key].target_index
        if p.key in chosen
        else default_target(p.maturity_index)
        for p in report.pillars
    }
    initial["target_date"] = next((t.target_date for t in report.plan.targets), None)
    return TargetsForm(initial=initial, pillars=report.pillars)


@never_cache
@login_required
@require_safe
def compare(request, pk):
    """Two submitted assessments of one organization side by side, and the trend of all.

    ``pk`` names the organization (through one of its assessments, which the
    owner or the firm's consultant may see); ``before`` and ``after`` in the
    query string pick the two to compare, by default the latest submission
    and the one before it.
    """
    anchor = get_or_404(Assessment.objects.visible_to(request.user), pk)
    submitted = list(
        Assessment.objects.submitted()
        .filter(organization=anchor.organization_id)
        .select_related("framework")
        .order_by("submitted_at")
    )
    error, comparison = "", None
    after = _picked(request, "after", anchor) or (
        anchor if anchor.is_submitted else (submitted[-1] if submitted else None)
    )
    before = _picked(request, "before", anchor) or next(
        (a for a in reversed(submitted) if after and a.submitted_at < after.submitted_at), None
    )
    unfinished = next((a for a in (before, after) if a and not a.is_submitted), None)
    if unfinished is not None:
        error = ERR_COMPARE_IN_PROGRESS.format(date=f"{unfinished.started_at:%-d %B %Y}")
    elif before is None or after is None:
        error = NOTHING_TO_COMPARE
    elif before.pk == after.pk:
        error = ERR_COMPARE_SAME
    else:
        comparison = build_comparison(before, after)
    latest = submitted[-1] if submitted else anchor
    access_record(request.user, anchor.organization, AccessRecord.What.COMPARISON)
    return render(
        request,
        "pages/reports/compare.html",
        {
            "assessment": anchor,
            "organization": anchor.organization,
            "submitted": submitted,
            "before": before,
            "after": after,
            "error": error,
            "comparison": comparison,
            "trend": submission_trend(anchor.organization, assessment_framework(latest)),
        },
        status=400 if error and error != NOTHING_TO_COMPARE else 200,
    )


def _picked(request, name, anchor):
    """The assessment the query string names; 404 unless it is one of the anchor's organization."""
    raw = request.GET.get(name)
    if not raw:
        return None
    picked = get_or_404(Assessment.objects.visible_to(request.user), raw)
    if picked.organization_id != anchor.organization_id:
        raise Http404("Not found.")
    return picked
