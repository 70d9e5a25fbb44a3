"""Rendering and storing a plan's PDF: the task a worker runs after each change.

The same path as the report's PDF (``reports.tasks``): the revision is read
before the plan, so a change that commits during a render leaves the file
stale; a failed render is retried, and the next download renders it anyway.
"""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import pdf
from .models import ContinuityPlan, PlanPDF
from .selectors import build_plan

logger = logging.getLogger("resilience.continuity")

RENDER_RETRIES = 2


def plan_pdf_render(*, plan_id: int) -> PlanPDF:
    """Render a plan's PDF now, store it, and delete the file it replaces."""
    stored, _ = PlanPDF.objects.get_or_create(plan_id=plan_id)
    revision = stored.revision
    plan = ContinuityPlan.objects.select_related("organization").get(pk=plan_id)
    # The printed plan carries no consultant comments: it is the business's own document.
    content = pdf.render_plan_pdf(build_plan(plan, with_comments=False))
    stored.file.save(f"plan-{plan_id}.pdf", ContentFile(content), save=False)
    new_name, storage = stored.file.name, stored.file.storage
    with transaction.atomic():
        current = PlanPDF.objects.select_for_update().get(pk=stored.pk)
        if current.rendered_revision > revision:
            storage.delete(new_name)  # a render of a later revision finished first
            return current
        old_name = current.file.name
        current.file.name = new_name
        current.rendered_revision = revision
        current.rendered_at = timezone.now()
        current.save(update_fields=["file", "rendered_revision", "rendered_at"])
    if old_name and old_name != new_name:
        storage.delete(old_name)
    return current


@task()
def render_plan_pdf(plan_id: int, retries_left: int = RENDER_RETRIES) -> None:
    """Render the PDF of a changed plan, unless a download or an earlier task already has."""
    stored = PlanPDF.objects.filter(plan_id=plan_id).first()
    if stored is not None and stored.is_fresh:
        return
    try:
        plan_pdf_render(plan_id=plan_id)
    except Exception:
        logger.exception(
            "PDF of continuity plan %s: the render failed (%s retries left)", plan_id, retries_left
        )
        if retries_left:
            render_plan_pdf.enqueue(plan_id, retries_left - 1)
        raise
