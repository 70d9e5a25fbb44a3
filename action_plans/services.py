"""Workflows of the action plan; each one is all-or-nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Firm, Membership, Organization, User
from assessments.models import Assessment
from assessments.selectors import (
    assessment_answers,
    assessment_framework,
    latest_submitted,
    scoring_answers,
    stored_result,
)
from core.email import EmailNotSent, email_send
from core.errors import ServiceError
from scoring.engine import MATURITY_LABELS

from .models import (
    COMMENTS_PER_ACTION_MAX,
    OWN_ACTIONS_MAX,
    ActionItem,
    ActionItemEvent,
    PlanReminder,
    Target,
)

logger = logging.getLogger("resilience.plans")

ERR_TITLE_EMPTY = "Say what the action is before adding it."
ERR_TOO_LONG = "Keep the {field} under {limit} characters (it has {length})."
ERR_STALE = (
    "This action was changed in another window since you opened this page: it is now "
    "“{status}”. Look at it again and make your change once more."
)
ERR_REASON_NEEDED = "Say why the action will not be done: the reason stays in the plan."
ERR_BAD_STATUS = "Choose one of the listed statuses."
ERR_EMPTY_COMMENT = "Write the comment before saving it."
ERR_BAD_TARGET = "Choose a target level between Fundamentals and Advanced for each pillar."
ERR_NO_RESULTS = "Submit an assessment first: targets start from its results."
ERR_TOO_MANY_ACTIONS = (
    "The plan has {limit} actions of your own, the most a plan can hold. Delete ones that are "
    "done or no longer needed to add more (their page has a Delete button)."
)
ERR_TOO_MANY_COMMENTS = (
    "This action has {limit} comments, the most one action can hold. Add an action of your "
    "own for what comes next."
)
ERR_NOT_OWN_ACTION = (
    "Actions from the assessment stay in the plan, so the next one can tell what was done: "
    "mark it “won't do” with the reason instead."
)

# Entries of an action's history its own page lists (the newest): status changes have no
# limit of their own, the page has.
HISTORY_SHOWN = 100

REMINDER_EVERY = timedelta(days=7)
REMINDER_HORIZON = timedelta(days=7)
UNSUBSCRIBE_SALT = "plans.reminder-unsubscribe"


class StaleItem(ServiceError):
    """The item changed since the page that sent the form was loaded."""


def _check_length(value: str, limit: int, name: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ServiceError(ERR_TOO_LONG.format(field=name, limit=limit, length=len(value)), name)
    return value


@transaction.atomic
def action_plan_sync_on_submit(sender, *, assessment: Assessment, user=None, **kwargs) -> None:
    """On submission: open actions its answers now meet are closed, new gaps join the plan.

    Both are written in the item's history against this submission, so the
    results page can say what changed and the item's page why.
    """
    _close_met_actions(assessment=assessment, user=user)
    added = action_plan_sync(organization=assessment.organization, assessment=assessment)
    _reopen_dropped_actions(assessment=assessment, user=user)
    ActionItemEvent.objects.bulk_create(
        ActionItemEvent(item=item, author=user, status=item.status, assessment=assessment)
        for item in ActionItem.objects.filter(
            organization=assessment.organization, question_code__in=added, events__isnull=True
        )
    )


def _close_met_actions(*, assessment: Assessment, user: User | None) -> int:
    """Mark done each open action whose question this submission answers at its best option.

    A question the new version of the framework asks instead of an older one
    (``replaces``) answers for the older one's item too.
    """
    items = list(
        ActionItem.objects.select_for_update().filter(
            organization=assessment.organization,
            status__in=[ActionItem.Status.TODO, ActionItem.Status.DOING],
            question_code__in=_met_codes(assessment),
        )
    )
    for item in items:
        item.status = ActionItem.Status.DONE
        item.done_at = assessment.submitted_at
        item.revision += 1
    ActionItem.objects.bulk_update(items, ["status", "done_at", "revision", "updated_at"])
    ActionItemEvent.objects.bulk_create(
        ActionItemEvent(item=item, author=user, status=item.status, assessment=assessment)
        for item in items
    )
    return len(items)


def _met_codes(assessment: Assessment) -> set[str]:
    """The questions ``assessment`` answers at their best option, with those they replace."""
    framework = assessment_framework(assessment)
    answers = scoring_answers(assessment_answers(assessment))
    return {
        code
        for question in framework.questions
        if answers.get(question.id) == max(question.option_values)
        for code in (question.id, *question.replaces)
    }


def _reopen_dropped_actions(*, assessment: Assessment, user: User | None) -> int:
    """Reopen each done action whose answer met its question last time and now falls short.

    A gap that came back is a new gap: the plan must not call it done while the report
    ranks it. An action marked done by hand while its answer stayed below the best option
    keeps the owner's word, since this submission says nothing new of it; "won't do" stays.
    The history records the reopening as a status change from done, against this submission.
    """
    previous = (
        Assessment.objects.submitted()
        .filter(organization=assessment.organization_id, submitted_at__lt=assessment.submitted_at)
        .order_by("-submitted_at")
        .first()
    )
    result = stored_result(assessment)
    if previous is None or result is None:
        return 0
    framework = assessment_framework(assessment)
    met_before = _met_codes(previous)
    dropped = {
        gap.question_id
        for gap in result.gaps
        if gap.question_id in framework.questions_by_id
        and {gap.question_id, *framework.questions_by_id[gap.question_id].replaces} & met_before
    }
    items = list(
        ActionItem.objects.select_for_update().filter(
            organization=assessment.organization,
            status=ActionItem.Status.DONE,
            question_code__in=dropped,
        )
    )
    for item in items:
        item.status = ActionItem.Status.TODO
        item.done_at = None
        item.revision += 1
    ActionItem.objects.bulk_update(items, ["status", "done_at", "revision", "updated_at"])
    ActionItemEvent.objects.bulk_create(
        ActionItemEvent(
            item=item,
            author=user,
            status=item.status,
            changes={"status": [ActionItem.Status.DONE, item.status]},
            assessment=assessment,
        )
        for item in items
    )
    return len(items)


def action_plan_sync(
    *, organization: Organization, assessment: Assessment | None = None
) -> list[str]:
    """Track each ranked action of the latest submitted assessment not tracked yet.

    An action already tracked for the same question keeps its status, so this
    can run after every submission (and after targets are set) without duplicates.
    Returns the question codes of the items it created.
    """
    assessment = assessment or latest_submitted(organization)
    result = stored_result(assessment) if assessment else None
    if result is None:
        return []
    framework = assessment_framework(assessment)
    items = list(ActionItem.objects.filter(organization=organization).exclude(question_code=""))
    tracked = {item.question_code for item in items}
    # A question that replaces one of an older version takes over its item, status and all.
    successor = {old: q.id for q in framework.questions for old in q.replaces}
    moved = []
    for item in items:
        new_code = successor.get(item.question_code)
        if new_code and new_code not in tracked:
            tracked.add(new_code)
            item.question_code = new_code
            moved.append(item)
    ActionItem.objects.bulk_update(moved, ["question_code"])
    # An action takes its question's title: items tracked before titles existed (named
    # after the component, which several questions share) or under a replaced question.
    retitled = []
    for item in items:
        question = framework.questions_by_id.get(item.question_code)
        if question is not None and item.title != _question_title(question):
            item.title = _question_title(question)
            retitled.append(item)
    ActionItem.objects.bulk_update(retitled, ["title"])
    new = [
        ActionItem(
            organization=organization,
            question_code=gap.question_id,
            title=_question_title(framework.questions_by_id[gap.question_id]),
        )
        for gap in result.gaps
        if gap.question_id not in tracked and gap.question_id in framework.questions_by_id
    ]
    ActionItem.objects.bulk_create(new, ignore_conflicts=True)
    return [item.question_code for item in new]


def _question_title(question) -> str:
    """The question's own title; its component for a version imported before titles."""
    return (question.title or question.component or question.text)[: ActionItem.TITLE_MAX_LENGTH]


@transaction.atomic
def action_item_add(
    *,
    organization: Organization,
    user: User,
    title: str,
    question_code: str = "",
    note: str = "",
    due_date: date | None = None,
    firm: Firm | None = None,
) -> ActionItem:
    """Add an action to the plan: an owner's or consultant's own, or a gap "sent to the plan".

    A gap already tracked (same question code) is returned as it is, not duplicated.
    ``firm`` marks the action as added by that firm's consultant.
    """
    title = _check_length(title, ActionItem.TITLE_MAX_LENGTH, "title")
    if not title:
        raise ServiceError(ERR_TITLE_EMPTY, "title")
    note = _check_length(note, ActionItem.TEXT_MAX_LENGTH, "note")
    question_code = (question_code or "").strip()
    if question_code:
        existing = ActionItem.objects.filter(
            organization=organization, question_code=question_code
        ).first()
        if existing is not None:
            return existing
    else:
        # The business's row is locked while counting, so two tabs adding the last
        # action at once are taken one after the other (SQLite serializes writes anyway).
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        own = ActionItem.objects.filter(organization=organization, question_code="")
        if own.count() >= OWN_ACTIONS_MAX:
            raise ServiceError(ERR_TOO_MANY_ACTIONS.format(limit=OWN_ACTIONS_MAX))
    item = ActionItem(
        organization=organization,
        question_code=question_code,
        title=title,
        note=note,
        due_date=due_date,
        added_by=user,
        firm=firm,
    )
    item.full_clean()
    item.save()
    ActionItemEvent.objects.create(item=item, author=user, firm=firm, status=item.status)
    return item


@dataclass(frozen=True)
class ItemChange:
    """What the item form sends: every editable field, and the revision the page showed."""

    status: str
    assignee: str = ""
    due_date: date | None = None
    note: str = ""
    reason: str = ""
    revision: int | None = None


@transaction.atomic
def action_item_update(*, item: ActionItem, user: User, change: ItemChange) -> ActionItem:
    """Change an item's status, who does it, due date, note or reason; stale pages are refused."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if change.revision is not None and change.revision != item.revision:
        raise StaleItem(ERR_STALE.format(status=item.get_status_display()), "status")
    if change.status not in ActionItem.Status.values:
        raise ServiceError(ERR_BAD_STATUS, "status")
    reason = _check_length(change.reason, 500, "reason")
    if change.status == ActionItem.Status.WONT_DO and not reason:
        raise ServiceError(ERR_REASON_NEEDED, "reason")
    old_status = item.status
    before = _edited_fields(item)
    item.assignee = _check_length(change.assignee, 100, "assignee")
    item.note = _check_length(change.note, ActionItem.TEXT_MAX_LENGTH, "note")
    item.reason = reason if change.status == ActionItem.Status.WONT_DO else ""
    item.due_date = change.due_date
    item.status = change.status
    after = _edited_fields(item)
    edits = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
    if edits:
        ActionItemEvent.objects.create(
            item=item, author=user, kind=ActionItemEvent.Kind.EDIT, changes=edits
        )
    if item.status != old_status:
        item.done_at = timezone.now() if item.status == ActionItem.Status.DONE else None
        ActionItemEvent.objects.create(item=item, author=user, status=item.status, text=item.reason)
    item.revision += 1
    item.full_clean()
    item.save()
    return item


def _edited_fields(item: ActionItem) -> dict:
    """The fields an edit records, as the history keeps them (JSON: dates as ISO strings)."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name in ActionItemEvent.EDITED_FIELDS
        for value in [getattr(item, name)]
    }


@transaction.atomic
def action_item_comment(*, item: ActionItem, user: User, firm: Firm | None, text: str):
    """A consultant's comment on an item, kept in its trail."""
    text = _check_length(text, ActionItem.TEXT_MAX_LENGTH, "comment")
    if not text:
        raise ServiceError(ERR_EMPTY_COMMENT, "text")
    item = ActionItem.objects.select_for_update().get(pk=item.pk)  # counted one at a time
    comments = item.events.filter(kind=ActionItemEvent.Kind.COMMENT)
    if comments.count() >= COMMENTS_PER_ACTION_MAX:
        raise ServiceError(ERR_TOO_MANY_COMMENTS.format(limit=COMMENTS_PER_ACTION_MAX), "text")
    return ActionItemEvent.objects.create(
        item=item, author=user, firm=firm, kind=ActionItemEvent.Kind.COMMENT, text=text
    )


@transaction.atomic
def action_item_delete(*, item: ActionItem) -> None:
    """Delete an action added by hand; those from the assessment stay (mark them "won't do")."""
    if item.question_code:
        raise ServiceError(ERR_NOT_OWN_ACTION)
    item.delete()


@transaction.atomic
def targets_set(
    *, organization: Organization, user: User, levels: dict[str, int], target_date: date | None
) -> list[Target]:
    """Set the target maturity of each pillar (1 Fundamentals … 3 Advanced) and one date."""
    assessment = latest_submitted(organization)
    if assessment is None:
        raise ServiceError(ERR_NO_RESULTS)
    pillar_keys = assessment_framework(assessment).pillar_keys
    top = len(MATURITY_LABELS) - 1
    if set(levels) != set(pillar_keys) or not all(1 <= v <= top for v in levels.values()):
        raise ServiceError(ERR_BAD_TARGET)
    targets = []
    for key in pillar_keys:
        target, _ = Target.objects.update_or_create(
            organization=organization,
            pillar_key=key,
            defaults={
                "maturity_index": levels[key],
                "target_date": target_date,
                "updated_by": user,
            },
        )
        targets.append(target)
    action_plan_sync(organization=organization, assessment=assessment)
    return targets


# --- Reminders -----------------------------------------------------------------------


@dataclass
class Digest:
    user: User
    organization: Organization
    overdue: list[ActionItem]
    due_soon: list[ActionItem]


def reminder_digests(*, now) -> list[Digest]:
    """Each owner to remind: open items overdue or due within a week, no reminder this week."""
    today = timezone.localdate(now)
    items = ActionItem.objects.filter(
        status__in=[ActionItem.Status.TODO, ActionItem.Status.DOING],
        due_date__lte=today + REMINDER_HORIZON,
    ).order_by("due_date", "pk")
    by_org: dict[int, list[ActionItem]] = {}
    for item in items:
        by_org.setdefault(item.organization_id, []).append(item)
    owners = (
        Membership.objects.filter(organization__in=by_org, role=Membership.Role.OWNER)
        .select_related("user", "organization", "user__plan_reminder")
        .order_by("organization__name", "user__email")
    )
    digests = []
    for membership in owners:
        reminder = getattr(membership.user, "plan_reminder", None)
        if reminder is not None and (
            reminder.unsubscribed_at
            or (reminder.last_sent_at and reminder.last_sent_at > now - REMINDER_EVERY)
        ):
            continue
        org_items = by_org[membership.organization_id]
        digests.append(
            Digest(
                user=membership.user,
                organization=membership.organization,
                overdue=[i for i in org_items if i.due_date < today],
                due_soon=[i for i in org_items if i.due_date >= today],
            )
        )
    return digests


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_user(token: str) -> User | None:
    """The user a signed unsubscribe link names, or None for a link that was changed."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("user")).first()


def reminders_unsubscribe(*, user: User) -> None:
    PlanReminder.objects.update_or_create(user=user, defaults={"unsubscribed_at": timezone.now()})


def plan_reminders_send(*, base_url: str, now=None) -> tuple[int, int]:
    """Email each digest: (how many were sent, how many failed).

    Each message goes on its own: a failed one is logged, tried again on the
    next run, and the others are sent all the same.
    """
    now = now or timezone.now()
    sent = failed = 0
    base_url = base_url.rstrip("/")
    for digest in reminder_digests(now=now):
        context = {
            "digest": digest,
            "plan_url": base_url + reverse("action_plan:plan"),
            "unsubscribe_url": base_url
            + reverse("action_plan:reminders_unsubscribe", args=[unsubscribe_token(digest.user)]),
        }
        try:
            email_send(
                to=digest.user.email,
                subject_template="emails/plan_reminder_subject.txt",
                body_template="emails/plan_reminder.txt",
                context=context,
            )
        except EmailNotSent:
            logger.exception("plan reminder to user %s failed", digest.user.pk)
            failed += 1
            continue
        PlanReminder.objects.update_or_create(user=digest.user, defaults={"last_sent_at": now})
        sent += 1
    return sent, failed
