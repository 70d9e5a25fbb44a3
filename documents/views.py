"""The PDF downloads: a submitted assessment's report, and the continuity plan (owner, consultant).

Each looks its source up exactly as the page it prints does (the same
access helpers, so other tenants answer 404), then serves the stored PDF
if it prints what the page shows now, else renders it on the spot.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from access_log.models import AccessRecord
from access_log.services import access_record
from accounts.permissions import (
    get_firm_client_or_404,
    get_firm_membership_or_404,
    get_or_404,
    owner_organization,
)
from assessments.models import Assessment
from continuity.models import ContinuityPlan
from reports.selectors import consultant_firm

from . import services
from .kinds import (
    CONTINUITY_PLAN,
    REPORT,
    continuity_plan_filename,
    report_filename,
    report_html,
)

PDF_NOT_READY = (
    "The PDF report is available once the assessment is submitted. "
    "The results below are provisional."
)


def _attachment(file, filename: str) -> FileResponse:
    return FileResponse(file, as_attachment=True, filename=filename, content_type="application/pdf")


@never_cache
@login_required
@require_safe
def report_pdf(request, pk):
    assessment = get_or_404(Assessment.objects.visible_to(request.user), pk)
    if not assessment.is_submitted:
        # Never a PDF that looks final for answers that may still change.
        messages.info(request, PDF_NOT_READY)
        return redirect("reports:results", pk=assessment.pk)
    filename = report_filename(assessment)
    firm = consultant_firm(request.user, assessment)
    if firm is not None:
        access_record(
            request.user,
            assessment.organization,
            AccessRecord.What.REPORT_PDF,
            assessment=assessment,
        )
    if firm is not None and assessment.review_comments.exclude(firm=firm).exists():
        # The stored PDF is the owner's, with every firm's comments; a consultant
        # whose client came from another firm gets one with their firm's alone.
        html = report_html(assessment, comments_of_firm=firm)
        response = HttpResponse(services.render(REPORT, html), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    return _attachment(services.pdf_file(REPORT, assessment), filename)


@never_cache
@login_required
@require_safe
def continuity_plan_pdf(request):
    organization = owner_organization(request.user)
    if organization is None:
        raise Http404("You are not part of a business.")
    plan = ContinuityPlan.objects.select_related("organization").filter(organization=organization)
    plan = plan.first()
    if plan is None:  # not drafted yet: the plan page offers the "Draft my plan" button
        return redirect("continuity:plan")
    return _attachment(services.pdf_file(CONTINUITY_PLAN, plan), continuity_plan_filename(plan))


@require_safe
@login_required
@never_cache
def consultant_continuity_plan_pdf(request, org_pk):
    get_firm_membership_or_404(request.user)  # anyone but a consultant: a plain 404
    organization = get_firm_client_or_404(request.user, org_pk)
    plan = (
        ContinuityPlan.objects.select_related("organization")
        .filter(organization=organization)
        .first()
    )
    if plan is None:
        raise Http404("This client has not started a plan.")
    access_record(request.user, organization, AccessRecord.What.CONTINUITY_PLAN_PDF)
    return _attachment(services.pdf_file(CONTINUITY_PLAN, plan), continuity_plan_filename(plan))
