"""What the report prints beside the stored result: the consultants' review comments."""

from django.conf import settings
from django.db import models

from accounts.models import FirmMembership, Sector

# Bounds (docs/deployment.md, "Bounds"): far above what a review needs, low enough that
# the report stays a document someone reads and its PDF prints in reasonable time.
REVIEW_COMMENTS_MAX = 100  # per assessment, all firms together (the report prints them all)
REVIEW_COMMENT_MAX_LENGTH = 5000


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
    text = models.TextField(max_length=REVIEW_COMMENT_MAX_LENGTH)
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


class SectorBenchmark(models.Model):
    """A sector's published benchmark figures, as the daily ``rebuild_benchmarks`` left them.

    Stored, not computed on each page, so that no single submission moves
    what is shown until the next rebuild (``reports.benchmark`` says why the
    figures are coarse).
    """

    sector = models.CharField(max_length=20, choices=Sector.choices, unique=True)
    # {"overall" or a pillar key: [lower quartile, median, upper quartile]}, each given as
    # the lower edge of its 25-point band; a column appears only when enough businesses count.
    bands = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["sector"]

    def __str__(self):
        return f"{self.get_sector_display()} benchmark of {self.computed_at:%Y-%m-%d %H:%M}"
