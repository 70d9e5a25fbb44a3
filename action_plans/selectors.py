"""Reads for the action plan: items in the report's order, their expected effect, and targets.

The items' order and horizon come from the ranked gaps of the organization's
latest submitted assessment (``stored_result(...).gaps``), so the plan reads
as the report does. The expected effect of each recommended action is worked
out by the scoring engine: the latest answers re-scored with that question at
its best option. A submitted assessment never changes, so the effects of one
are computed once and kept in Django's cache under its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

import scoring
from accounts.models import Firm, Organization
from assessments.models import Assessment
from assessments.selectors import (
    assessment_answers,
    assessment_framework,
    latest_submitted,
    scoring_answers,
    stored_result,
)
from scoring.engine import MATURITY_LABELS
from scoring.model import HORIZON_BY_EFFORT, HORIZONS

from .models import ActionItem, ActionItemEvent, Target

OWN = "own"
EARLIER = "earlier"
GROUPS = (
    *((h.key, h.title, h.subtitle) for h in HORIZONS),
    (OWN, "Your own actions", "Added by you or your consultant."),
    (EARLIER, "From earlier assessments", "Questions the current question bank no longer asks."),
)
TARGET_LABELS = {i: MATURITY_LABELS[i] for i in range(1, len(MATURITY_LABELS))}
EFFECTS_CACHE_KEY = "plan-effects:{pk}:{checksum}"
# Entries of each item's history a page lists with the item (the newest).
TRAIL_SHOWN = 5
# The plan leads with this many next steps at most: few enough to finish before the next
# assessment, the rest of the plan folded below them.
NEXT_STEPS_MAX = 10
# The results page names this many of the actions a re-assessment's answers closed.
CLOSED_TITLES_SHOWN = 10
# The business's own actions come open on the plan page while there are this many or fewer;
# more (a plan holds up to OWN_ACTIONS_MAX) are drawn when their fold is opened, as the others.
OWN_FOLD_OPEN_MAX = 30


@dataclass(frozen=True)
class Effect:
    """What closing a gap does to its pillar: the score before and after, and any new level."""

    pillar_name: str
    before: float | None
    after: float | None
    reaches: str = ""


def gap_effects(assessment: Assessment) -> dict[str, Effect]:
    """Per gap of a submitted assessment: the effect of answering it at the best option."""
    key = EFFECTS_CACHE_KEY.format(pk=assessment.pk, checksum=assessment.framework.checksum)
    effects = cache.get(key)
    if effects is None:
        effects = _compute_effects(assessment)
        cache.set(key, effects, timeout=None)
    return effects


def _compute_effects(assessment: Assessment) -> dict[str, Effect]:
    framework = assessment_framework(assessment)
    result = stored_result(assessment)
    answers = scoring_answers(assessment_answers(assessment))
    effects = {}
    for gap in result.gaps:
        question = framework.questions_by_id.get(gap.question_id)
        if question is None:
            continue
        better = scoring.score(
            framework, {**answers, question.id: max(question.option_values)}, assessment.sector
        )
        before, after = result.pillars[question.pillar], better.pillars[question.pillar]
        effects[question.id] = Effect(
            pillar_name=framework.pillar(question.pillar).name,
            before=before.score,
            after=after.score,
            reaches=after.maturity.label if after.maturity.index > before.maturity.index else "",
        )
    return effects


@dataclass
class PlanRow:
    """One tracked action as the pages print it: the stored item and what it stands for now."""

    item: ActionItem
    question: scoring.QuestionDef | None
    recommendation: str
    pillar_name: str
    level_name: str
    effect: Effect | None
    horizon: str


@dataclass
class Fold:
    """The actions of one pillar within a horizon, folded on the plan page (``<details>``).

    Only an open fold's actions are drawn; a closed one is its summary and a link
    (``?fold=<key>``) that its script follows when the fold is opened.
    """

    key: str
    title: str
    rows: list[PlanRow]
    open: bool = False

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.rows if r.item.is_open)


@dataclass
class ActionPlanGroup:
    key: str
    title: str
    subtitle: str
    rows: list[PlanRow]
    # The rows not among the next steps, by pillar (filled by ``build_action_plan``).
    folds: list[Fold] = field(default_factory=list)


@dataclass
class TargetGap:
    """One pillar's target, and what stands between today's maturity and it."""

    pillar_key: str
    pillar_name: str
    current_index: int
    current_label: str
    target_index: int
    target_date: date | None
    # (level name, score, threshold) of each level still to meet on the way.
    levels: list[tuple[str, float | None, float]] = field(default_factory=list)
    open_items: list[ActionItem] = field(default_factory=list)

    @property
    def target_label(self) -> str:
        return MATURITY_LABELS[self.target_index]

    @property
    def reached(self) -> bool:
        return self.current_index >= self.target_index


@dataclass(frozen=True)
class SubmissionChanges:
    """What one submission did to the plan: actions its answers closed, new ones, reopened ones."""

    closed: int
    opened: int
    reopened: int = 0
    # The titles of the actions the answers closed, and reopened, as the results page names them.
    closed_titles: list[str] = field(default_factory=list)
    reopened_titles: list[str] = field(default_factory=list)

    @property
    def closed_not_named(self) -> int:
        return self.closed - len(self.closed_titles)

    @property
    def reopened_not_named(self) -> int:
        return self.reopened - len(self.reopened_titles)


@dataclass
class ActionPlan:
    organization: Organization
    assessment: Assessment | None
    groups: list[ActionPlanGroup]
    targets: list[TargetGap]
    total: int
    done: int
    overdue: int
    wont_do: int
    # What blocks each pillar's next level, in the report's order, at most NEXT_STEPS_MAX.
    next_steps: list[PlanRow] = field(default_factory=list)
    # Actions (won't-do left out) in the levels between today and the targets.
    target_total: int = 0
    target_done: int = 0
    # Set by readers that say what the submission changed (the report): None otherwise.
    since_last: SubmissionChanges | None = None

    @property
    def next_done(self) -> int:
        return sum(1 for r in self.next_steps if r.item.status == ActionItem.Status.DONE)

    @property
    def folds(self) -> list[Fold]:
        return [fold for group in self.groups for fold in group.folds]

    def unfold(self, item_pk: int) -> None:
        """Open the fold that holds this item: the one just saved, so it is seen again."""
        for fold in self.folds:
            if any(r.item.pk == item_pk for r in fold.rows):
                fold.open = True

    def open_fold(self, key: str) -> None:
        """Open the fold of this key (``?fold=``); an unknown key opens nothing."""
        for fold in self.folds:
            if fold.key == key:
                fold.open = True

    @property
    def rows(self) -> list[PlanRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def items(self) -> list[ActionItem]:
        return [row.item for row in self.rows]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class Guidance:
    """What an item's page says about doing it: the framework's advice and its effect."""

    recommendation: str
    effect: Effect | None


def item_guidance(item: ActionItem) -> Guidance:
    """The advice for a recommended action, as the latest report gives it, and its effect.

    The plan page prints these for its next steps only; the folded rest link here.
    """
    assessment = latest_submitted(item.organization)
    if assessment is None or not item.question_code:
        return Guidance("", None)
    question = assessment_framework(assessment).questions_by_id.get(item.question_code)
    if question is None:
        return Guidance("", None)
    effect = gap_effects(assessment).get(item.question_code) if item.is_open else None
    return Guidance(question.recommendation(assessment.sector, assessment.traits), effect)


def action_plan_items(
    organization: Organization, *, trail: bool = True, firm: Firm | None = None
) -> list[ActionItem]:
    """Every item of the organization's plan; with ``trail``, its latest history and who added it.

    The trail is ``recent_events``, the newest ``TRAIL_SHOWN`` entries, and ``trail_total``
    counts them all: an item's history has no bound of its own (status changes), the
    page has. With ``firm`` (a consultant reading), the history holds the owner's entries
    and that firm's comments only: a client who moved firm keeps the old firm's notes to
    itself.
    """
    # Every page that lists the items names the firm that added one ("Added by …").
    items = ActionItem.objects.filter(organization=organization).select_related("firm")
    if trail:
        events = ActionItemEvent.objects.select_related("author", "firm", "assessment").order_by(
            "-created_at", "-pk"
        )
        counted = Q()
        if firm is not None:
            events = events.filter(Q(firm__isnull=True) | Q(firm=firm))
            counted = Q(events__firm__isnull=True) | Q(events__firm=firm)
        items = (
            items.select_related("added_by")
            .annotate(trail_total=Count("events", filter=counted))
            .prefetch_related(
                Prefetch("events", queryset=events[:TRAIL_SHOWN], to_attr="recent_events")
            )
        )
    return list(items)


def build_action_plan(
    organization: Organization,
    assessment: Assessment | None,
    items: list[ActionItem],
    *,
    effects: bool = True,
    next_steps: int = NEXT_STEPS_MAX,
) -> ActionPlan:
    """Group and order the items as the report ranks them, with effects and target gaps.

    The next steps are the actions that block each pillar's next level (the
    first level it has not met in that assessment): fundamentals before
    intermediate before advanced, and within a level each pillar in turn, in
    the report's order (largest weighted gaps first). They come from the
    submitted result, so a step marked done stays a step (and counts as done)
    until the next assessment.
    """
    framework = assessment_framework(assessment) if assessment else None
    result = stored_result(assessment) if assessment else None
    gaps = {gap.question_id: (rank, gap) for rank, gap in enumerate(result.gaps)} if result else {}
    effects = gap_effects(assessment) if assessment and effects else {}
    sector = assessment.sector if assessment else organization.sector
    traits = assessment.traits if assessment else organization.traits
    level_names = {lv.key: lv.name for lv in framework.levels} if framework else {}
    level_order = {lv.key: i for i, lv in enumerate(framework.levels)} if framework else {}
    rows = []
    for item in items:
        question = framework.questions_by_id.get(item.question_code) if framework else None
        if item.question_code in gaps:
            horizon = gaps[item.question_code][1].horizon
        elif question is not None:
            horizon = HORIZON_BY_EFFORT[question.effort]
        else:
            horizon = EARLIER if item.question_code else OWN
        rows.append(
            PlanRow(
                item=item,
                question=question,
                recommendation=question.recommendation(sector, traits) if question else "",
                pillar_name=framework.pillar(question.pillar).name if question else "",
                level_name=level_names.get(question.level, "") if question else "",
                effect=effects.get(item.question_code) if item.is_open else None,
                horizon=horizon,
            )
        )
    unranked = len(gaps)
    rows.sort(
        key=lambda r: (gaps.get(r.item.question_code, (unranked,))[0], r.item.created_at, r.item.pk)
    )
    blocking = _blocking_levels(result, framework)
    candidates = [
        r
        for r in rows
        if r.item.question_code in gaps
        and r.question is not None
        and blocking.get(r.question.pillar) == r.question.level
        and r.item.status != ActionItem.Status.WONT_DO
    ]
    # Each pillar in turn (its first step, then its second…), lowest level first, so one
    # pillar's many gaps do not hide what blocks the others.
    turn: dict[str, int] = {}
    order = {}
    for position, r in enumerate(candidates):
        turn[r.question.pillar] = turn.get(r.question.pillar, -1) + 1
        order[id(r)] = (level_order[r.question.level], turn[r.question.pillar], position)
    steps = sorted(candidates, key=lambda r: order[id(r)])[:next_steps]
    in_steps = {id(r) for r in steps}
    groups = [
        ActionPlanGroup(key, title, subtitle, [r for r in rows if r.horizon == key])
        for key, title, subtitle in GROUPS
    ]
    pillars = [(p.key, p.name) for p in framework.pillars] if framework else []
    for group in groups:
        rest = [r for r in group.rows if id(r) not in in_steps]
        if group.key in (OWN, EARLIER):  # no pillar: one fold, the business's own open
            shown = group.key == OWN and len(rest) <= OWN_FOLD_OPEN_MAX
            folds = [Fold(group.key, group.title, rest, open=shown)]
        else:
            folds = [
                Fold(f"{group.key}-{key}", name, [r for r in rest if r.question.pillar == key])
                for key, name in pillars
            ]
        group.folds = [fold for fold in folds if fold.rows]
    targets = target_gaps(organization, result, framework, rows)
    to_meet = {
        (t.pillar_key, level.key)
        for t in targets
        for level in framework.levels[t.current_index : t.target_index]
    }
    toward = [
        r.item
        for r in rows
        if r.question is not None
        and (r.question.pillar, r.question.level) in to_meet
        and r.item.status != ActionItem.Status.WONT_DO
    ]
    counted = [i for i in items if i.status != ActionItem.Status.WONT_DO]
    return ActionPlan(
        organization=organization,
        assessment=assessment,
        groups=groups,
        targets=targets,
        total=len(counted),
        done=sum(1 for i in counted if i.status == ActionItem.Status.DONE),
        overdue=sum(1 for i in counted if i.is_overdue),
        wont_do=len(items) - len(counted),
        next_steps=steps,
        target_total=len(toward),
        target_done=sum(1 for i in toward if i.status == ActionItem.Status.DONE),
    )


def _blocking_levels(result, framework) -> dict[str, str]:
    """Per pillar, the key of the first level it has not met (none once all are)."""
    if result is None or framework is None:
        return {}
    blocking = {}
    for pillar in framework.pillars:
        scores = result.pillars.get(pillar.key)
        if scores is not None and scores.maturity.index < len(framework.levels):
            blocking[pillar.key] = framework.levels[scores.maturity.index].key
    return blocking


def default_target(current_index: int) -> int:
    """One level above today, at most the top (Advanced), at least Fundamentals."""
    return max(1, min(current_index + 1, len(MATURITY_LABELS) - 1))


def target_gaps(organization, result, framework, rows: list[PlanRow]) -> list[TargetGap]:
    """Per pillar with a target: the levels still to meet and the open actions in them."""
    if result is None or framework is None:
        return []
    targets = {t.pillar_key: t for t in Target.objects.filter(organization=organization)}
    threshold = float(framework.maturity_threshold)
    gaps = []
    for pillar in framework.pillars:
        target = targets.get(pillar.key)
        scores = result.pillars.get(pillar.key)
        if target is None or scores is None:
            continue
        current = scores.maturity.index
        to_meet = framework.levels[current : target.maturity_index]
        keys = {level.key for level in to_meet}
        gaps.append(
            TargetGap(
                pillar_key=pillar.key,
                pillar_name=pillar.name,
                current_index=current,
                current_label=scores.maturity.label,
                target_index=target.maturity_index,
                target_date=target.target_date,
                levels=[(lv.name, scores.levels.get(lv.key), threshold) for lv in to_meet],
                open_items=[
                    r.item
                    for r in rows
                    if r.item.is_open
                    and r.question
                    and r.question.pillar == pillar.key
                    and r.question.level in keys
                ],
            )
        )
    return gaps


def organization_action_plan(
    organization: Organization, *, firm: Firm | None = None, next_steps: int = NEXT_STEPS_MAX
) -> ActionPlan:
    """The plan as its page shows it, in a fixed number of queries whatever its size.

    ``firm``: the consultant's firm, whose comments alone (with the owner's entries) it shows.
    """
    items = action_plan_items(organization, firm=firm)
    return build_action_plan(
        organization, latest_submitted(organization), items, next_steps=next_steps
    )


def submission_changes(assessment: Assessment) -> SubmissionChanges | None:
    """What submitting ``assessment`` did to the plan; None for an organization's first."""
    earlier = Assessment.objects.submitted().filter(
        organization=assessment.organization_id, submitted_at__lt=assessment.submitted_at
    )
    if assessment.submitted_at is None or not earlier.exists():
        return None
    events = ActionItemEvent.objects.filter(assessment=assessment)
    reopened = Q(changes__has_key="status")  # ActionItemEvent.reopened
    counts = events.aggregate(
        closed=Count("pk", filter=Q(status=ActionItem.Status.DONE)),
        opened=Count("pk", filter=Q(status=ActionItem.Status.TODO) & ~reopened),
        reopened=Count("pk", filter=reopened),
    )

    def titles(which):
        named = events.filter(which).order_by("item__question_code")
        return list(named.values_list("item__title", flat=True)[:CLOSED_TITLES_SHOWN])

    return SubmissionChanges(
        **counts,
        closed_titles=titles(Q(status=ActionItem.Status.DONE)),
        reopened_titles=titles(reopened) if counts["reopened"] else [],
    )


# --- Counts for the consultant's dashboard and portfolio --------------------------------


def _item_count(**filters):
    """The number of the organization's items matching ``filters``, as a correlated subquery."""
    counted = (
        ActionItem.objects.filter(organization=OuterRef("pk"), **filters)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def plan_progress_annotations() -> dict:
    """Per organization: items tracked (won't-do left out), done, overdue, and the done share."""
    open_statuses = [ActionItem.Status.TODO, ActionItem.Status.DOING]
    return {
        "plan_total": _item_count(status__in=[*open_statuses, ActionItem.Status.DONE]),
        "plan_done": _item_count(status=ActionItem.Status.DONE),
        "plan_overdue": _item_count(status__in=open_statuses, due_date__lt=timezone.localdate()),
    }


def plan_share():
    """Done of total as a percentage, NULL for an organization with no plan."""
    return F("plan_done") * 100.0 / NullIf(F("plan_total"), 0)


def most_overdue_actions(clients, limit: int = 10) -> list[dict]:
    """The recommended actions most often overdue across these clients: title and client count."""
    return list(
        ActionItem.objects.filter(
            organization__in=clients,
            status__in=[ActionItem.Status.TODO, ActionItem.Status.DOING],
            due_date__lt=timezone.localdate(),
        )
        .exclude(question_code="")
        .values("question_code")
        .annotate(clients=Count("organization", distinct=True), title=Max("title"))
        .order_by("-clients", "question_code")[:limit]
    )


def marked_done_since(assessment: Assessment) -> set[str]:
    """Ids of this assessment's questions whose action was marked done since the last submission.

    An action is tracked under the id of the question it came from, which may
    be an older version's: a question also matches the ids it ``replaces``.
    """
    previous = (
        Assessment.objects.submitted()
        .filter(organization=assessment.organization_id, submitted_at__lt=assessment.started_at)
        .order_by("-submitted_at")
        .first()
    )
    if previous is None:
        return set()
    done = set(
        ActionItem.objects.filter(
            organization=assessment.organization_id,
            status=ActionItem.Status.DONE,
            done_at__gt=previous.submitted_at,
        )
        .exclude(question_code="")
        .values_list("question_code", flat=True)
    )
    framework = assessment_framework(assessment)
    return {q.id for q in framework.questions if done & {q.id, *q.replaces}}
