"""The framework (question bank) as versioned data, and the assessments that answer it.

A framework version is written once by ``services.framework_import`` and is
frozen as soon as an assessment uses it: a submitted assessment's questions,
options and scores must mean tomorrow what they meant the day it was answered.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

import scoring
from accounts.permissions import consultant_of, member_of

FRAMEWORK_LOCKED = (
    "Framework version {version} is used by assessments and can no longer be changed; "
    "import a new version instead."
)


class Effort(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class FrameworkVersionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class FrameworkVersion(models.Model):
    version = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    scale_min = models.SmallIntegerField(default=0)
    scale_max = models.SmallIntegerField(default=4)
    maturity_threshold = models.FloatField(default=70)
    is_active = models.BooleanField(
        default=False, help_text="New assessments start on the active version."
    )
    checksum = models.CharField(
        max_length=64, help_text="SHA-256 of the imported content, to spot a changed re-import."
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="one_active_framework_version",
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="framework_scale_is_increasing",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.version}"

    def save(self, *args, **kwargs):
        # Switching which version is active is allowed; any other change is not.
        if self.pk and self.is_locked:
            stored = FrameworkVersion.objects.get(pk=self.pk)
            frozen = ["version", "name", "scale_min", "scale_max", "maturity_threshold"]
            if any(getattr(stored, f) != getattr(self, f) for f in frozen):
                self.check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_editable()
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        """True once any assessment uses this version."""
        if not self.pk:
            return False
        return self.assessments.exists()

    def check_editable(self):
        if self.is_locked:
            raise ValidationError(FRAMEWORK_LOCKED.format(version=self.version))


class FrameworkContent(models.Model):
    """Rows that belong to one framework version and freeze with it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.framework_version().check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.framework_version().check_editable()
        return super().delete(*args, **kwargs)

    def framework_version(self) -> FrameworkVersion:
        raise NotImplementedError


class FrameworkPart(FrameworkContent):
    """A pillar, a level or a sector: one named, ordered part of a framework version.

    Each declares its ``framework`` field, with the related name it has always had.
    """

    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True
        ordering = ["framework_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="unique_%(class)s_key"),
        ]

    def __str__(self):
        return self.name

    def framework_version(self):
        return self.framework


class Pillar(FrameworkPart):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="pillars"
    )


class Level(FrameworkPart):
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(help_text="Levels are climbed in this order.")


class Sector(FrameworkPart):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="sectors"
    )


class SectorPillarWeight(FrameworkContent):
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="pillar_weights")
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="sector_weights")
    weight = models.FloatField()

    class Meta:
        ordering = ["sector_id", "pillar__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "pillar"], name="unique_sector_pillar_weight"
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="sector_weight_positive"),
        ]

    def __str__(self):
        return f"{self.sector.key}/{self.pillar.key} = {self.weight}"

    def framework_version(self):
        return self.sector.framework


class Question(FrameworkContent):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField("id", max_length=40, help_text="Stable id, such as OP-F-01.")
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="questions")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="questions")
    component = models.CharField(max_length=200, blank=True)
    # The action's short name in the plan; blank only for a version imported before
    # titles existed, until the file is imported again.
    title = models.CharField(max_length=80, blank=True)
    text = models.TextField()
    help = models.TextField(blank=True)
    weight = models.FloatField(default=1.0)
    allow_na = models.BooleanField("allow not applicable", default=False)
    effort = models.CharField(max_length=10, choices=Effort.choices, default=Effort.MEDIUM)
    replaces = models.JSONField(
        default=list,
        blank=True,
        help_text="Ids of questions in older versions that this one replaces.",
    )
    applies_when = models.JSONField(
        default=dict,
        blank=True,
        help_text="Profile traits a business must have to be asked this, such as "
        '{"no_premises": false}.',
    )
    about_site = models.BooleanField(
        default=False,
        help_text="About the premises: a business with several sites answers for its most "
        "important one.",
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_question_code"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="question_weight_positive"
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.text[:60]}"

    def framework_version(self):
        return self.framework


class Option(FrameworkContent):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    value = models.SmallIntegerField()
    label = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["question_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="unique_option_value"),
        ]

    def __str__(self):
        return f"{self.value}: {self.label}"

    def framework_version(self):
        return self.question.framework


class Recommendation(FrameworkContent):
    """Advice for one question, in a sector's or a trait's variant; "general" is the fallback."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="recommendations")
    sector_key = models.SlugField(
        "sector or trait", max_length=40, help_text="general, a sector key or a profile trait."
    )
    text = models.TextField()
    # The order in the file: the first trait variant that fits a business is its advice.
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question_id", "sector_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "sector_key"], name="unique_recommendation_sector"
            ),
        ]

    def __str__(self):
        return f"{self.question.code} [{self.sector_key}]"

    def framework_version(self):
        return self.question.framework


class AssessmentQuerySet(models.QuerySet):
    """Assessments as each person may reach them (the rule: ``accounts.permissions``)."""

    def visible_to(self, user):
        """What the user may read (results, reports, answers): their own, or a client's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(member_of(user) | consultant_of(user)).select_related(
            "organization", "framework"
        )

    def editable_by(self, user):
        """What the user may answer: only members of the organization, never consultants."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(member_of(user)).select_related("organization", "framework")

    def of_firm_clients(self, user):
        """Assessments of the user's firm's clients: what a consultant may comment and review."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(consultant_of(user)).select_related("organization", "framework")

    def submitted(self):
        """Assessments whose answers are final and whose result is stored."""
        return self.filter(status=Assessment.Status.SUBMITTED)


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="assessments"
    )
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    sector = models.CharField(
        max_length=20, help_text="The organization's sector when the assessment was started."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The scoring result, frozen at submission: later framework versions never change it.
    result = models.JSONField(null=True, blank=True)
    overall_score = models.FloatField(null=True, blank=True)
    maturity_index = models.SmallIntegerField(null=True, blank=True)
    coverage = models.FloatField(null=True, blank=True)
    # {pillar key: score} copied from ``result``: the benchmark and the dashboard read the
    # scores of every submission, which should not mean parsing every whole result.
    pillar_scores = models.JSONField(null=True, blank=True)
    # Set by the client's consultant once they have gone through the results.
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The business profile's traits it is asked with: copied at the start, kept in step with
    # the profile while a draft (assessments.signals), frozen at submission.
    traits = models.JSONField(default=dict, blank=True)
    # Ids of questions the profile left out that the owner chose to answer anyway.
    asked_anyway = models.JSONField(default=list, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # The sector benchmark's version: the latest submission, read from the index alone.
            models.Index(fields=["status", "submitted_at"], name="assessment_submitted_idx"),
            # Each client's latest submission (the dashboard's subqueries): without the
            # organization first, SQLite answers them through the index above and scans
            # every submission for each client.
            models.Index(
                fields=["organization", "status", "submitted_at"],
                name="assessment_org_submitted_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="in_progress") | models.Q(submitted_at__isnull=False),
                name="submitted_assessment_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.organization} — {self.started_at:%Y-%m-%d} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("questionnaire:detail", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    class Kind(models.TextChoices):
        OPTION = "option", "Option"
        NOT_APPLICABLE = scoring.NOT_APPLICABLE, scoring.NOT_APPLICABLE_LABEL
        DONT_KNOW = scoring.DONT_KNOW, scoring.DONT_KNOW_LABEL

    NOTE_MAX_LENGTH = 2000

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # NULL means "not answered yet" (a note may come first), which no choice can mean.
    kind = models.CharField(  # noqa: DJ001
        max_length=10, choices=Kind.choices, null=True, blank=True
    )
    value = models.SmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    # Bumped on every save, so a tab holding an older copy can be told it is stale.
    revision = models.PositiveIntegerField(default=0)
    # Copied from the previous assessment and not yet confirmed or changed by the owner.
    carried_over = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["assessment_id", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="option", value__isnull=False)
                    | models.Q(kind__in=["na", "dont_know"], value__isnull=True)
                    | models.Q(kind__isnull=True, value__isnull=True)
                ),
                name="answer_value_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.question.code} = {self.scoring_value}"

    @property
    def scoring_value(self):
        """The answer as the scoring package reads it: an option value, "na" or "dont_know"."""
        if self.kind == self.Kind.OPTION:
            return self.value
        return self.kind
