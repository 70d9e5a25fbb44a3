"""The stored PDFs: each is fresh exactly when its digest is that of what it would print now."""

from django.core.files.base import ContentFile
from django.db import models, transaction


class StoredPDF(models.Model):
    """A PDF rendered from something that changes (a report, a plan), kept on file.

    ``digest`` is taken of everything the render read (the HTML, the print
    stylesheet, WeasyPrint's version: ``services.digest_of``), so nothing has
    to announce a change: a download or the worker compares it with the
    digest of what the document prints now. ``rendered_at`` is when the
    render read its HTML; it orders two renders that race.
    ``render_queued_at`` is set when a render is enqueued and cleared when
    the worker starts it, so however many changes arrive, at most one render
    of a document waits in the queue (``tasks.refresh_enqueue``). Subclasses
    add the source and the ``file``.
    """

    digest = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_queued_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def store(self, *, content: bytes, name: str, digest: str, read_at):
        """Keep ``content``, printed from HTML read at ``read_at``; delete the file it replaces.

        Returns the row as stored: if a render that read its HTML later
        finished first, or one of the same HTML did, that file is kept and
        this one is thrown away.
        """
        self.file.save(name, ContentFile(content), save=False)
        new_name, storage = self.file.name, self.file.storage
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            newer = current.rendered_at is not None and current.rendered_at > read_at
            if newer or (current.digest == digest and storage.exists(current.file.name)):
                storage.delete(new_name)
                return current
            old_name = current.file.name
            current.file.name = new_name
            current.digest = digest
            current.rendered_at = read_at
            current.save(update_fields=["file", "digest", "rendered_at"])
        if old_name and old_name != new_name:  # the same name when the old file was lost
            storage.delete(old_name)
        return current


class ReportPDF(StoredPDF):
    """The stored PDF of a submitted assessment's report."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="report_pdf"
    )
    file = models.FileField(upload_to="reports/", blank=True)

    class Meta:
        verbose_name = "report PDF"
        verbose_name_plural = "report PDFs"

    def __str__(self):
        return f"PDF of the report of assessment {self.assessment_id}"


class ContinuityPlanPDF(StoredPDF):
    """The stored PDF of a business's continuity plan."""

    plan = models.OneToOneField(
        "continuity.ContinuityPlan", on_delete=models.CASCADE, related_name="pdf"
    )
    file = models.FileField(upload_to="continuity-plans/", blank=True)

    class Meta:
        verbose_name = "continuity plan PDF"
        verbose_name_plural = "continuity plan PDFs"

    def __str__(self):
        return f"PDF of continuity plan {self.plan_id}"
