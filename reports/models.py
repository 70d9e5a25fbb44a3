from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone


class StoredPDF(models.Model):
    """A PDF rendered from something that changes (a report, a plan), kept on file.

    ``revision`` counts the changes to the source (bumped in the transaction
    that makes the change); ``rendered_revision`` is the revision the stored
    file was rendered from. A render reads ``revision`` before it reads the
    source, so a change that commits while it runs leaves the file stale,
    never fresh with old content. Subclasses add the source and the ``file``.
    """

    revision = models.PositiveIntegerField(default=1)
    rendered_revision = models.PositiveIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_fresh(self) -> bool:
        return bool(self.file) and self.rendered_revision == self.revision

    @staticmethod
    def open_fresh(stored, render):
        """``stored``'s file opened, or ``render()``'s if it is missing, stale or lost on disk.

        ``render`` renders the PDF now and returns the stored row: a download
        never depends on a worker being up.
        """
        if stored is None or not stored.is_fresh:
            stored = render()
        try:
            return stored.file.open("rb")
        except FileNotFoundError:  # the row outlived its file: a wiped or restored disk
            return render().file.open("rb")

    def store(self, *, content: bytes, name: str, revision: int):
        """Keep ``content``, rendered from ``revision``, and delete the file it replaces.

        Returns the row as stored: if a render of a later revision finished
        first, its file is kept and this one is thrown away.
        """
        self.file.save(name, ContentFile(content), save=False)
        new_name, storage = self.file.name, self.file.storage
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if current.rendered_revision > revision:
                storage.delete(new_name)
                return current
            old_name = current.file.name
            current.file.name = new_name
            current.rendered_revision = revision
            current.rendered_at = timezone.now()
            current.save(update_fields=["file", "rendered_revision", "rendered_at"])
        if old_name and old_name != new_name:  # the same name when the old file was lost
            storage.delete(old_name)
        return current


class ReportPDF(StoredPDF):
    """The stored PDF of a submitted assessment's report (``services.report_pdfs_stale``)."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="report_pdf"
    )
    file = models.FileField(upload_to="reports/", blank=True)

    class Meta:
        verbose_name = "report PDF"
        verbose_name_plural = "report PDFs"

    def __str__(self):
        return f"PDF of assessment {self.assessment_id} (revision {self.rendered_revision})"
