"""The PDF downloads: a submitted assessment's report, and the continuity plan (owner, consultant).

Each looks its source up exactly as the page it prints does (the same
access helpers, so other tenants answer 404), then serves the stored PDF
if it prints what the page shows now, else renders it on the spot when it
is short enough to print within the on-demand budget (``services``). A
longer one is queued for the worker, and the download answers a page that
says so and offers the last stored PDF with its date (``?stored=1``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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

from . import services, tasks
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


PREPARING_TEMPLATE = "pages/documents/preparing.html"


def _attachment(file, filename: str) -> FileResponse:
    return FileResponse(file, as_attachment=True, filename=filename, content_type="application/pdf")


def _download(request, document, source, filename: str, *, what: str, back_url: str):
    """The PDF of ``source``; when it is stale and long, a page while the worker prints it."""
    if request.GET.get("stored"):
        stored = services.stored_pdf(document, source)
        if stored is None:
            raise Http404("No PDF of this document has been stored yet.")
        return _attachment(stored.file.open("rb"), filename)
    pdf = services.pdf_file(document, source)
    if not isinstance(pdf, services.Preparing):
        return _attachment(pdf, filename)
    tasks.refresh_enqueue(document, [source.pk])
    context = {"what": what, "stored": pdf.stored, "url": request.path, "back_url": back_url}
    # 202 Accepted: the request is taken on, its result (the new PDF) is not there yet.
    return render(request, PREPARING_TEMPLATE, context, status=202)


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
    back_url = reverse("reports:results", args=[assessment.pk])
    if firm is not None and assessment.review_comments.exclude(firm=firm).exists():
        # The stored PDF is the owner's, with every firm's comments; a consultant
        # whose client came from another firm gets one with their firm's alone.
        html = report_html(assessment, comments_of_firm=firm)
        if services.is_long(html):  # never stored, so never prepared ahead: the page instead
            context = {"what": "report", "unprintable": True, "back_url": back_url}
            return render(request, PREPARING_TEMPLATE, context)
        response = HttpResponse(services.render(REPORT, html), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    return _download(request, REPORT, assessment, filename, what="report", back_url=back_url)


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
    return _download(
        request,
        CONTINUITY_PLAN,
        plan,
        continuity_plan_filename(plan),
        what="plan",
        back_url=reverse("continuity:plan"),
    )


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
    return _download(
        request,
        CONTINUITY_PLAN,
        plan,
        continuity_plan_filename(plan),
        what="plan",
        back_url=reverse("continuity:consultant_plan", args=[organization.pk]),
    )
