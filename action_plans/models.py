"""The improvement loop: an organization's target maturity per pillar and its tracked actions.

Recommended actions come from the ranked gaps of the organization's latest
submitted assessment (``question_code`` says which); owners and their
consultants may add their own (blank ``question_code``).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import dateformat, timezone

from accounts.permissions import consultant_of, member_of

# Bounds on what people add (docs/deployment.md, "Bounds"): far above what a business
# writes, low enough that the plan page, the client page and the report stay a sensible
# size. Actions from the assessment are bounded by the question bank, not by these.
OWN_ACTIONS_MAX = 200  # actions added by hand (by the business or its consultant) per plan
COMMENTS_PER_ACTION_MAX = 200  # consultants' comments on one action


class Target(models.Model):
    """The maturity an organization aims for in one pillar, and by when."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="targets"
    )
    pillar_key = models.SlugField(max_length=40)
    # 1 Fundamentals, 2 Intermediate, 3 Advanced: the rungs of scoring.MATURITY_LABELS.
    maturity_index = models.PositiveSmallIntegerField()
    target_date = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["organization_id", "pillar_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "pillar_key"], name="one_target_per_pillar"
            ),
            models.CheckConstraint(
                condition=models.Q(maturity_index__gte=1, maturity_index__lte=3),
                name="target_is_a_maturity_level",
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.pillar_key} → {self.maturity_index}"


class ActionItemQuerySet(models.QuerySet):
    """Action items as each person may reach them (the rule: ``accounts.permissions``)."""

    def editable_by(self, user):
        """Items of the plan of an organization the user belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(member_of(user)).select_related("organization")

    def of_firm_clients(self, user):
        """Items of the plans of the user's firm's clients."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(consultant_of(user)).select_related("organization")


class ActionItem(models.Model):
    """One action of an organization's plan, tracked from "to do" to "done" (or "won't do")."""

    class Status(models.TextChoices):
        TODO = "todo", "To do"
        DOING = "doing", "Doing"
        DONE = "done", "Done"
        WONT_DO = "wont_do", "Won't do"

    TITLE_MAX_LENGTH = 200
    TEXT_MAX_LENGTH = 2000

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="action_items"
    )
    question_code = models.CharField(
        max_length=40,
        blank=True,
        help_text="The question whose gap this closes; blank for own actions.",
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TODO)
    assignee = models.CharField("who does it", max_length=100, blank=True)
    due_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    reason = models.CharField("why not", max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when a consultant added the action: the plan shows it as theirs.
    firm = models.ForeignKey(
        "accounts.Firm", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change, so a form from an older copy of the page is refused.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "question_code"],
                condition=~models.Q(question_code=""),
                name="one_action_per_question",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done", done_at__isnull=False)
                | (~models.Q(status="done") & models.Q(done_at__isnull=True)),
                name="done_action_has_date",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status", "due_date"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.TODO, self.Status.DOING)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class ActionItemEvent(models.Model):
    """An item's audit trail: each change and consultant's comment, with author and date.

    A model of our own rather than django-simple-history: one small table
    holds what people need to see (who changed what, when, to what), without a
    shadow copy of every field on every save.
    """

    class Kind(models.TextChoices):
        STATUS = "status", "Status change"
        EDIT = "edit", "Change of who, due date or note"
        COMMENT = "comment", "Comment"

    # Fields an edit records, as [before, after]; dates as ISO strings.
    EDITED_FIELDS = ("assignee", "due_date", "note")

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STATUS)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    firm = models.ForeignKey(
        "accounts.Firm", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The new status for a status change; blank for an edit or a comment.
    status = models.CharField(max_length=10, choices=ActionItem.Status.choices, blank=True)
    text = models.TextField(blank=True, max_length=ActionItem.TEXT_MAX_LENGTH)
    # An edit's fields: {"note": [before, after], ...}; a reopening by a submission's
    # answers: {"status": ["done", "todo"]}.
    changes = models.JSONField(default=dict, blank=True)
    # The submission that made this change: the item opened for a new gap, closed because
    # its answer now meets the question's best option, or reopened because it no longer does.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.item_id}: {self.status or self.kind} by {self.author}"

    @property
    def reopened(self) -> bool:
        """A done action reopened by a submission whose answer no longer meets its question."""
        return self.kind == self.Kind.STATUS and "status" in self.changes

    @property
    def edits(self) -> list[tuple[str, str, str]]:
        """An edit's changes as people read them: (what, before, after), "" for nothing."""
        labels = {"assignee": "Who", "due_date": "Due", "note": "Note"}
        lines = []
        for name in self.EDITED_FIELDS:
            if name not in self.changes:
                continue
            before, after = (
                dateformat.format(date.fromisoformat(v), "j M Y")
                if name == "due_date" and v
                else v or ""
                for v in self.changes[name]
            )
            lines.append((labels[name], before, after))
        return lines


class PlanReminder(models.Model):
    """When an owner last got the plan's reminder digest, and whether they opted out."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_reminder"
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Plan reminders for {self.user}"
