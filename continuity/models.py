"""The business's own continuity plan: seven short parts, each kept and reviewed on its own.

A part's content is the cleaned data of its form (``forms.PART_FORMS``),
stored as JSON: the form is the one definition of what a part holds, and a
part is written whole, so one row per part keeps every save all-or-nothing
and gives the stale-write check one revision to compare.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# A part not reviewed for this long is flagged on the plan and the owner home.
REVIEW_EVERY = timedelta(days=365)

# Bounds (docs/deployment.md, "Bounds"): far above what a business writes in a one-to-four
# page plan, low enough that its pages and PDF stay a sensible size.
ROWS_PER_PART_MAX = 100  # contacts, suppliers, activities or disruptions in one part
PART_TEXT_MAX = 20_000  # characters in one part, all its fields and rows together
EXERCISES_PER_PLAN_MAX = 100  # walk-throughs recorded
COMMENTS_PER_PLAN_MAX = 200  # consultants' comments, every part together


class ContinuityPlan(models.Model):
    organization = models.OneToOneField(
        "accounts.Organization", on_delete=models.CASCADE, related_name="continuity_plan"
    )
    drafted_from = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The submitted assessment the first draft was written from.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "continuity plan"

    def __str__(self):
        return f"Continuity plan of {self.organization}"


class PlanPart(models.Model):
    class Key(models.TextChoices):
        # In the order the plan page lists them.
        ACTIVITIES = "activities", "Critical activities"
        CONTACTS = "contacts", "People and contacts"
        SUPPLIERS = "suppliers", "Key suppliers and customers"
        DATA = "data", "Data and systems"
        PREMISES = "premises", "Premises"
        CHECKLISTS = "checklists", "First hour, first day, first week"
        COMMUNICATIONS = "communications", "Communications"

    plan = models.ForeignKey(ContinuityPlan, on_delete=models.CASCADE, related_name="parts")
    key = models.CharField(max_length=20, choices=Key.choices)
    content = models.JSONField(default=dict)
    # Drafted from the answers and not yet saved or confirmed by anyone in the business.
    is_draft = models.BooleanField(default=True)
    # Bumped on every save, so a tab holding an older copy can be told it is stale.
    revision = models.PositiveIntegerField(default=0)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="one_plan_part_per_key"),
        ]

    def __str__(self):
        return f"{self.get_key_display()} ({self.plan.organization})"

    @property
    def needs_review(self) -> bool:
        """The business's own, but never reviewed, or last reviewed more than twelve months ago."""
        if self.is_draft:
            return False
        return self.reviewed_at is None or timezone.now() - self.reviewed_at > REVIEW_EVERY


class PlanExercise(models.Model):
    """A walk through the plan with the team: when, who took part, what was learned."""

    plan = models.ForeignKey(ContinuityPlan, on_delete=models.CASCADE, related_name="exercises")
    held_on = models.DateField("date of the walk-through")
    participants = models.CharField("who took part", max_length=500)
    lessons = models.TextField("what you learned or changed", max_length=3000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"Walk-through of {self.held_on:%Y-%m-%d} ({self.plan.organization})"


class PlanComment(models.Model):
    """A consultant's comment on one part of a client's plan.

    As with review comments, the firm is kept: the client sees every
    comment, each firm only its own.
    """

    plan = models.ForeignKey(ContinuityPlan, on_delete=models.CASCADE, related_name="comments")
    part_key = models.CharField(max_length=20, choices=PlanPart.Key.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    firm = models.ForeignKey(
        "accounts.Firm", on_delete=models.SET_NULL, null=True, related_name="plan_comments"
    )
    text = models.TextField(max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Comment by {self.author} on {self.part_key} of plan {self.plan_id}"
