"""The results page and the PDF report of one assessment.

Both are private business data: every response says ``Cache-Control:
no-store`` (never_cache), and both views look the assessment up through
``get_visible_assessment`` so other tenants' assessments answer 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.permissions import editable_assessments, firm_membership, get_visible_assessment
from consultants.models import ReviewComment
from plans.forms import TargetsForm
from plans.selectors import default_target

from . import pdf, services
from .selectors import build_report

PDF_NOT_READY = (
    "The PDF report is available once the assessment is submitted. "
    "The results below are provisional."
)


@never_cache
@login_required
@require_safe
def results(request, pk):
    assessment = get_visible_assessment(request.user, pk)
    firm = consultant_firm(request.user, assessment)
    report = build_report(assessment, comments_of_firm=firm)
    is_member = firm is None
    can_answer = not assessment.is_submitted and is_member
    return render(
        request,
        "pages/reports/results.html",
        {
            "assessment": assessment,
            "report": report,
            "can_answer": can_answer,
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
def report_pdf(request, pk):
    assessment = get_visible_assessment(request.user, pk)
    if not assessment.is_submitted:
        # Never a PDF that looks final for answers that may still change.
        messages.info(request, PDF_NOT_READY)
        return redirect("results", pk=assessment.pk)
    filename = pdf.report_filename(assessment)
    firm = consultant_firm(request.user, assessment)
    if (
        firm is not None
        and ReviewComment.objects.filter(assessment=assessment).exclude(firm=firm).exists()
    ):
        # The stored PDF is the owner's, with every firm's comments; a consultant
        # whose client came from another firm gets one with their firm's alone.
        report = build_report(assessment, comments_of_firm=firm)
        response = HttpResponse(pdf.render_report_pdf(report), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    return FileResponse(
        services.report_pdf_file(assessment),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )


def consultant_firm(user, assessment):
    """The firm of a consultant looking at a client's report; None for the business's people."""
    if editable_assessments(user).filter(pk=assessment.pk).exists():
        return None
    return firm_membership(user).firm
