from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from accounts.models import FirmMembership


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


class ReviewComment(models.Model):
    """A consultant's comment, shown in the client's report under "Consultant comments"."""

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The firm the author worked for: a client that moves to another firm keeps
    # every comment in its report, but each firm sees and deletes only its own.
    firm = models.ForeignKey(
        "accounts.Firm",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_comments",
    )
    pillar_key = models.SlugField(
        max_length=40, blank=True, help_text="The pillar the comment is about; blank for overall."
    )
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table keeps the name it had when the model lived in the consultants app.
        db_table = "consultants_reviewcomment"
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment by {self.author} on {self.assessment_id}"

    def save(self, *args, **kwargs):
        if self.firm_id is None and self.author_id is not None:
            membership = FirmMembership.objects.filter(user=self.author_id).first()
            self.firm_id = membership.firm_id if membership else None
        super().save(*args, **kwargs)
