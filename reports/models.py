from django.db import models


class ReportPDF(models.Model):
    """The stored PDF of a submitted assessment's report, and which state of the report it shows.

    ``revision`` counts the changes to the report (bumped by
    ``services.report_pdfs_stale`` in the transaction that makes the
    change); ``rendered_revision`` is the revision the stored file was
    rendered from. A render reads ``revision`` before it reads the report,
    so a change that commits while it runs leaves the file stale, never
    fresh with old content.
    """

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="report_pdf"
    )
    revision = models.PositiveIntegerField(default=1)
    rendered_revision = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="reports/", blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "report PDF"
        verbose_name_plural = "report PDFs"

    def __str__(self):
        return f"PDF of assessment {self.assessment_id} (revision {self.rendered_revision})"

    @property
    def is_fresh(self) -> bool:
        return bool(self.file) and self.rendered_revision == self.revision
