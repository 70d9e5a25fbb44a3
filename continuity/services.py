"""Writes to the plan: drafting it, saving a part, recording a walk-through, comments.

Each is all-or-nothing.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import FirmMembership, Organization
from assessments.selectors import assessment_answers, assessment_framework, latest_submitted
from core.errors import ServiceError

from . import drafts
from .forms import ERR_PART_TOO_LONG, ERR_TOO_MANY_ROWS, part_text_length
from .models import (
    COMMENTS_PER_PLAN_MAX,
    EXERCISES_PER_PLAN_MAX,
    PART_TEXT_MAX,
    ROWS_PER_PART_MAX,
    ContinuityPlan,
    PlanComment,
    PlanExercise,
    PlanPart,
)
from .selectors import plan_gaps_of

ERR_STALE = (
    "Someone changed this part in another window since you opened it. Nothing was saved: "
    "the newer version is shown above the form, with your changes still in it. Save again "
    "to replace the newer version with yours."
)
ERR_REVIEW_STALE = (
    "This part changed since you opened the page, so it was not marked reviewed. Read it "
    "again below, then mark it reviewed."
)
ERR_EMPTY_COMMENT = "Write a comment before adding it."
ERR_TOO_MANY_EXERCISES = (
    "The plan has {limit} walk-throughs, the most a plan can hold. The latest ones are what "
    "the plan shows and prints; ask us to archive the oldest if you need to record more."
)
ERR_TOO_MANY_COMMENTS = (
    "This plan has {limit} comments, the most a plan can hold. Say more in a review "
    "comment on the client's assessment instead."
)


class StalePart(ServiceError):
    """Another tab saved this part after the current tab loaded it."""

    def __init__(self, part: PlanPart):
        super().__init__(ERR_STALE)
        self.part = part


def continuity_plan_open(*, organization: Organization) -> ContinuityPlan:
    """The organization's plan; the first time, drafted from its latest submitted assessment."""
    plan = ContinuityPlan.objects.filter(organization=organization).first()
    if plan is not None:
        return plan
    try:
        return _plan_draft(organization)
    except IntegrityError:  # another tab drafted it at the same moment
        return ContinuityPlan.objects.get(organization=organization)


@transaction.atomic
def _plan_draft(organization: Organization) -> ContinuityPlan:
    assessment = latest_submitted(organization)
    answers, gaps = {}, []
    if assessment is not None:
        answers, gaps = _answer_labels(assessment), plan_gaps_of(assessment)
    plan = ContinuityPlan.objects.create(organization=organization, drafted_from=assessment)
    content = drafts.draft_parts(
        sector=organization.sector, business=organization.name, answers=answers, gaps=gaps
    )
    PlanPart.objects.bulk_create(
        PlanPart(plan=plan, key=key, content=content[key]) for key in PlanPart.Key.values
    )
    return plan


def _answer_labels(assessment) -> dict[str, str]:
    framework = assessment_framework(assessment)
    labels = {}
    for code, answer in assessment_answers(assessment).items():
        if code in framework.questions_by_id and answer.kind == answer.Kind.OPTION:
            labels[code] = framework.question(code).answer_label(answer.value)
    return labels


@transaction.atomic
def continuity_part_save(*, part: PlanPart, content: dict, revision: int, user) -> PlanPart:
    """Save a part's content, which makes it the business's own (no longer a draft).

    Saving is not reviewing: a review is its own act (``continuity_part_review``),
    so the date printed as "last reviewed" is one when someone read the part on purpose.
    A save from a page loaded before the part's last change is refused
    (``StalePart``) unless it says the same thing.
    """
    if len(content.get("rows", [])) > ROWS_PER_PART_MAX:
        raise ServiceError(ERR_TOO_MANY_ROWS.format(limit=ROWS_PER_PART_MAX))
    length = part_text_length(content)
    if length > PART_TEXT_MAX:
        raise ServiceError(ERR_PART_TOO_LONG.format(limit=PART_TEXT_MAX, length=length))
    current = PlanPart.objects.select_for_update().get(pk=part.pk)
    if current.revision != revision and current.content != content:
        raise StalePart(current)
    current.content = content
    current.is_draft = False
    current.revision += 1
    current.save(update_fields=["content", "is_draft", "revision"])
    return current


@transaction.atomic
def continuity_part_review(*, part: PlanPart, revision: int, user) -> PlanPart:
    """Mark a part reviewed today by ``user``: they read it and it is right (a draft too).

    Refused (``ServiceError``) when the part changed after the page showing it was loaded:
    what was read is not what would be marked reviewed.
    """
    current = PlanPart.objects.select_for_update().get(pk=part.pk)
    if current.revision != revision:
        raise ServiceError(ERR_REVIEW_STALE)
    current.is_draft = False
    current.reviewed_at = timezone.now()
    current.reviewed_by = user
    current.save(update_fields=["is_draft", "reviewed_at", "reviewed_by"])
    return current


@transaction.atomic
def continuity_exercise_record(
    *, plan: ContinuityPlan, user, held_on, participants: str, lessons: str
) -> PlanExercise:
    """Record a walk-through of the plan; it is printed with the plan."""
    # The plan's row is locked while counting: two records at once are counted in turn.
    ContinuityPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if plan.exercises.count() >= EXERCISES_PER_PLAN_MAX:
        raise ServiceError(ERR_TOO_MANY_EXERCISES.format(limit=EXERCISES_PER_PLAN_MAX))
    exercise = PlanExercise(
        plan=plan, recorded_by=user, held_on=held_on, participants=participants, lessons=lessons
    )
    exercise.full_clean()
    exercise.save()
    return exercise


@transaction.atomic
def continuity_comment_add(
    *, plan: ContinuityPlan, author, part_key: str, text: str
) -> PlanComment:
    """A consultant's comment on one part; kept with the firm they work for."""
    ContinuityPlan.objects.select_for_update().filter(pk=plan.pk).first()
    if plan.comments.count() >= COMMENTS_PER_PLAN_MAX:
        raise ValidationError(ERR_TOO_MANY_COMMENTS.format(limit=COMMENTS_PER_PLAN_MAX))
    membership = FirmMembership.objects.filter(user=author).first()
    comment = PlanComment(
        plan=plan,
        author=author,
        firm_id=membership.firm_id if membership else None,
        part_key=part_key,
        text=(text or "").strip(),
    )
    if not comment.text:
        raise ValidationError(ERR_EMPTY_COMMENT)
    comment.full_clean()
    comment.save()
    return comment
