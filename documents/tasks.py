"""The tasks a worker (``manage.py db_worker``) runs to render PDFs ahead of their download.

Each task renders only what is stale (``services.pdf_refresh``), so enqueuing
one too many costs a digest, never a render. Renders are coalesced: a
change enqueues a render of a document only if none is waiting already
(``refresh_enqueue``), so a thousand changes in a row queue one render per
document, not a thousand. A failed render is logged with the document's id
and enqueued again, at most RENDER_RETRIES times; after that the next
download (or ``manage.py render_documents``) renders it.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from accounts.models import Organization

from . import services
from .kinds import CONTINUITY_PLAN, REPORT, Document

logger = logging.getLogger("resilience.documents")

RENDER_RETRIES = 2
# A render queued this long ago and not started was lost (a queue emptied by
# hand, a worker's database restored): the next change may queue another.
QUEUED_RENDER_EXPIRES = timedelta(hours=1)


def _stored_rows(document: Document, source_id: int):
    return document.model.objects.filter(**{f"{document.source_field}_id": source_id})


def refresh_enqueue(document: Document, source_ids) -> list[int]:
    """Enqueue a render of each source's PDF unless one waits already; the ids enqueued.

    The claim is one conditional UPDATE of the stored row's
    ``render_queued_at``: of any number of requests at once, one changes the
    row and enqueues, the others change nothing. The task clears the mark as
    it starts, so a change made during a render queues exactly one more.
    """
    ids = list(document.sources().filter(pk__in=source_ids).values_list("pk", flat=True))
    document.model.objects.bulk_create(
        [document.model(**{f"{document.source_field}_id": pk}) for pk in ids],
        ignore_conflicts=True,  # the rows of PDFs stored or claimed before
    )
    task = TASKS[document.name]
    enqueued = []
    for source_id in ids:
        now = timezone.now()
        unclaimed = Q(render_queued_at__isnull=True) | Q(
            render_queued_at__lt=now - QUEUED_RENDER_EXPIRES
        )
        if not _stored_rows(document, source_id).filter(unclaimed).update(render_queued_at=now):
            continue
        try:
            task.enqueue(source_id)
        except Exception:
            _stored_rows(document, source_id).update(render_queued_at=None)
            raise
        enqueued.append(source_id)
    return enqueued


def organization_refresh_enqueue(organization_id: int) -> None:
    """Enqueue (coalesced) a render of every PDF of a business: its reports and its plan."""
    for document in (REPORT, CONTINUITY_PLAN):
        sources = document.sources().filter(organization=organization_id)
        refresh_enqueue(document, sources.values_list("pk", flat=True))


def _refresh(document: Document, source_id: int, retries_left: int) -> None:
    # Taken off the queue: a change from now on may queue the next render.
    _stored_rows(document, source_id).update(render_queued_at=None)
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
            TASKS[document.name].enqueue(source_id, retries_left - 1)
        raise


@task()
def refresh_report_pdf(assessment_id: int, retries_left: int = RENDER_RETRIES) -> None:
    """Render the PDF of a submitted assessment's report if it is stale."""
    _refresh(REPORT, assessment_id, retries_left)


@task()
def refresh_continuity_plan_pdf(plan_id: int, retries_left: int = RENDER_RETRIES) -> None:
    """Render the PDF of a continuity plan if it is stale."""
    _refresh(CONTINUITY_PLAN, plan_id, retries_left)


@task()
def refresh_organization_pdfs(organization_id: int) -> None:
    """Enqueue a refresh of every PDF of a business (kept for tasks queued before coalescing)."""
    if Organization.objects.filter(pk=organization_id).exists():
        organization_refresh_enqueue(organization_id)


TASKS = {REPORT.name: refresh_report_pdf, CONTINUITY_PLAN.name: refresh_continuity_plan_pdf}
DOCUMENTS_BY_TASK = {TASKS[d.name].module_path: d for d in (REPORT, CONTINUITY_PLAN)}


@transaction.atomic
def lost_renders_requeue(worker_id: str) -> list[str]:
    """Queue again the renders that worker ``worker_id`` was running when it died.

    A worker runs one task at a time, so when it starts, any task still
    marked running under its id was cut off (killed, or its host lost):
    db_worker itself never looks at it again, and the PDF would stay stale
    until the next change or the nightly sweep. Each is marked failed and
    its document queued again. Run before the worker starts, with the
    worker's fixed ``--worker-id`` (docs/deployment.md, section 11).
    """
    from django_tasks_db.models import DBTaskResult

    requeued = []
    lost = DBTaskResult.objects.running().filter(task_path__in=DOCUMENTS_BY_TASK)
    for result in lost.select_for_update():
        if result.worker_ids[-1:] != [worker_id]:
            continue  # another worker's, and it may well be alive
        result.status = TaskResultStatus.FAILED
        result.finished_at = timezone.now()
        result.exception_class_path = "documents.tasks.WorkerLost"
        result.traceback = f"Worker {worker_id} stopped during this task; it was queued again."
        result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        document = DOCUMENTS_BY_TASK[result.task_path]
        source_id = result.args_kwargs["args"][0]
        # Queued whatever the row's claim says: the worker may have died before the task
        # cleared it, and a render too many costs only a digest.
        _stored_rows(document, source_id).update(render_queued_at=timezone.now())
        TASKS[document.name].enqueue(source_id)
        logger.warning("%s %s: its worker %s died mid-render; queued again", document.name,
                       source_id, worker_id)  # fmt: skip
        requeued.append(f"{document.name} {source_id}")
    return requeued
