"""The tasks a worker (``manage.py db_worker``) runs to render PDFs ahead of their download.

Each task renders only what is stale (``services.pdf_refresh``), so enqueuing
one too many costs a digest, never a render. A failed render is logged with
the document's id and enqueued again, at most RENDER_RETRIES times; after
that the next download (or ``manage.py render_documents``) renders it.
"""

import logging

from django_tasks import task

from accounts.models import Organization

from . import services
from .kinds import CONTINUITY_PLAN, REPORT, Document

logger = logging.getLogger("resilience.documents")

RENDER_RETRIES = 2


def _refresh(document: Document, source_id: int, retries_left: int, retry) -> None:
    source = document.sources().filter(pk=source_id).first()
    if source is None:  # deleted, or not a document (any more) since the task was enqueued
        return
    try:
        services.pdf_refresh(document, source)
    except Exception:
        logger.exception(
            "%s %s: the render failed (%s retries left)", document.name, source_id, retries_left
        )
        if retries_left:
            retry.enqueue(source_id, retries_left - 1)
        raise


@task()
def refresh_report_pdf(assessment_id: int, retries_left: int = RENDER_RETRIES) -> None:
    """Render the PDF of a submitted assessment's report if it is stale."""
    _refresh(REPORT, assessment_id, retries_left, refresh_report_pdf)


@task()
def refresh_continuity_plan_pdf(plan_id: int, retries_left: int = RENDER_RETRIES) -> None:
    """Render the PDF of a continuity plan if it is stale."""
    _refresh(CONTINUITY_PLAN, plan_id, retries_left, refresh_continuity_plan_pdf)


@task()
def refresh_organization_pdfs(organization_id: int) -> None:
    """Enqueue a refresh of every PDF of a business: its reports and its continuity plan."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return
    for pk in REPORT.sources().filter(organization=organization).values_list("pk", flat=True):
        refresh_report_pdf.enqueue(pk)
    for pk in (
        CONTINUITY_PLAN.sources().filter(organization=organization).values_list("pk", flat=True)
    ):
        refresh_continuity_plan_pdf.enqueue(pk)
