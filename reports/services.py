"""Keeping each submitted report's stored PDF in step with the report."""

from functools import partial

from django.core.files import File
from django.db import transaction
from django.db.models import F

from accounts.models import Organization
from assessments.models import Assessment

from .models import ReportPDF
from .tasks import render_report_pdf, report_pdf_render


def report_pdfs_stale(
    *, assessment: Assessment | None = None, organization: Organization | None = None
) -> None:
    """Mark the PDFs of a changed report (or of all an organization's reports) stale.

    Call it in the transaction that changes what the report prints: the
    revision bump then commits with the change. Once it has committed, a
    render is enqueued for each report, so a worker never reads the report
    before the change.
    """
    submitted = Assessment.objects.filter(status=Assessment.Status.SUBMITTED)
    if assessment is not None:
        submitted = submitted.filter(pk=assessment.pk)
    if organization is not None:
        submitted = submitted.filter(organization=organization)
    ids = list(submitted.values_list("pk", flat=True))
    ReportPDF.objects.bulk_create(
        [ReportPDF(assessment_id=pk) for pk in ids], ignore_conflicts=True
    )
    ReportPDF.objects.filter(assessment_id__in=ids).update(revision=F("revision") + 1)
    for pk in ids:
        transaction.on_commit(partial(render_report_pdf.enqueue, pk))


def report_pdf_file(assessment: Assessment) -> File:
    """The stored PDF of a submitted assessment, opened; rendered now if it is missing or stale."""
    return ReportPDF.open_fresh(
        ReportPDF.objects.filter(assessment=assessment).first(),
        partial(report_pdf_render, assessment_id=assessment.pk),
    )
