"""Rendering and storing a report's PDF: the task a worker runs after each change.

``manage.py db_worker`` runs the task off the request. A failed render is
logged with the assessment id and enqueued again, at most RENDER_RETRIES
times; after that the PDF stays stale, and the next download (or
``manage.py render_report_pdfs``) renders it.
"""

import logging

from django_tasks import task

from assessments.models import Assessment

from . import pdf
from .models import ReportPDF
from .selectors import build_report

logger = logging.getLogger("resilience.reports")

RENDER_RETRIES = 2


def report_pdf_render(*, assessment_id: int) -> ReportPDF:
    """Render a submitted assessment's PDF now, store it, and delete the file it replaces."""
    stored, _ = ReportPDF.objects.get_or_create(assessment_id=assessment_id)
    # Read before the report, so a change that commits during the render leaves the file stale.
    revision = stored.revision
    assessment = Assessment.objects.select_related("organization", "framework").get(
        pk=assessment_id, status=Assessment.Status.SUBMITTED
    )
    content = pdf.render_report_pdf(build_report(assessment))
    return stored.store(content=content, name=f"assessment-{assessment_id}.pdf", revision=revision)


@task()
def render_report_pdf(assessment_id: int, retries_left: int = RENDER_RETRIES) -> None:
    """Render the PDF of a changed report, unless a download or an earlier task already has."""
    stored = ReportPDF.objects.filter(assessment_id=assessment_id).first()
    if stored is not None and stored.is_fresh:
        return
    try:
        report_pdf_render(assessment_id=assessment_id)
    except Exception:
        logger.exception(
            "PDF report of assessment %s: the render failed (%s retries left)",
            assessment_id,
            retries_left,
        )
        if retries_left:
            render_report_pdf.enqueue(assessment_id, retries_left - 1)
        raise
