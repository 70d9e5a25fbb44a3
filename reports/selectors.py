"""The report as plain data: one builder for the results page and the PDF.

Scores come from the snapshot stored at submission (``Assessment.result``),
so a later framework version or a change in the scoring code never alters a
submitted report. Wording (questions, options, recommendations) comes from
the rows of the framework version the assessment pinned, which are frozen
once any assessment uses them. An assessment still in progress is scored
live and marked provisional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

import scoring
from accounts.models import Sector as OrganizationSector
from accounts.permissions import firm_membership
from action_plans.selectors import (
    ActionPlan,
    action_plan_items,
    build_action_plan,
    submission_changes,
)
from assessments.models import Answer, Assessment, Effort
from assessments.selectors import (
    assessment_answers,
    assessment_framework,
    latest_submitted,
    scoring_answers,
    stored_result,
)
from scoring.engine import SCORE_TOLERANCE

from . import charts
from .comparison import Trend, submission_trend
from .models import ReviewComment

GENERAL = "general"
NOT_SCORED = "Not scored yet"
STRENGTH_MIN_RATIO = 0.75
STRENGTHS_PER_PILLAR = 3
GAPS_PER_PILLAR = 5

MATURITY_MEANINGS = {
    0: (
        "At least one pillar is missing the fundamentals: a common disruption, such as a "
        "key person off sick, a supplier failing or a cyber attack, could stop the business. "
        "Start with the fundamentals in the action plan."
    ),
    1: (
        "The fundamentals are in place in every pillar: the business can absorb common "
        "disruptions. The next step is to build resilience into how you plan and run the "
        "business (the intermediate level)."
    ),
    2: (
        "Resilience is part of how the business plans and runs in every pillar: risks are "
        "weighed in decisions and key processes are backed up. The next step is to make "
        "adaptation a habit that turns disruption into an advantage (the advanced level)."
    ),
    3: (
        "Every pillar reaches the advanced level: the business anticipates disruption, "
        "adapts quickly and learns from it. Keep the practices tested and up to date."
    ),
}
WEAKEST_PILLAR_NOTE = (
    "The overall maturity is that of the weakest pillar: a business is as resilient as its "
    "weakest part."
)


@dataclass
class QuestionRow:
    """One question with the assessment's answer, ready to print."""

    code: str
    text: str
    component: str
    pillar_key: str
    level_key: str
    level_name: str
    effort: str
    effort_label: str
    answer_label: str
    answer_kind: str | None
    note: str
    ratio: float | None
    weight: float
    recommendation: str = ""
    # The action's short name from the framework file ("" in banks before 2026.2).
    title: str = ""


@dataclass
class Action:
    rank: int
    question: QuestionRow
    pillar_name: str
    level_name: str
    recommendation: str
    horizon: str


@dataclass
class HorizonGroup:
    key: str
    title: str
    subtitle: str
    actions: list[Action]


@dataclass
class LevelScore:
    key: str
    name: str
    score: float | None
    met: bool


@dataclass
class AppendixGroup:
    """One level's questions of a pillar, for the appendix."""

    level_name: str
    rows: list[QuestionRow]


@dataclass
class Blocker:
    """What keeps a pillar from its next rung."""

    level_name: str
    score: float | None
    threshold: float
    gaps: list[QuestionRow]


@dataclass
class PillarReport:
    key: str
    name: str
    description: str
    score: float | None
    maturity_label: str
    maturity_index: int
    na_share: float
    levels: list[LevelScore]
    strengths: list[QuestionRow]
    gaps: list[QuestionRow]
    blocker: Blocker | None
    bars_svg: str
    top_label: str
    appendix: list[AppendixGroup] = field(default_factory=list)


@dataclass
class CommentView:
    author: str
    firm: str
    pillar_name: str
    text: str
    created_at: object


@dataclass
class Report:
    """Everything the report templates print, in the order they print it."""

    assessment: Assessment
    organization_name: str
    organization_slug: str
    sector_key: str
    sector_name: str
    framework_name: str
    framework_version: str
    provisional: bool
    report_date: date
    submitted_at: object
    reviewed_at: object
    overall: float | None
    maturity_index: int
    maturity_label: str
    maturity_meaning: str
    coverage: float
    warnings: list[str]
    threshold: float
    scale_min: int
    scale_max: int
    level_names: list[str]
    pillars: list[PillarReport]
    horizons: list[HorizonGroup]
    action_count: int
    comments: list[CommentView]
    sector_weights: list[tuple[str, float]]
    radar_svg: str
    # Every submission up to this one, once there are two or more (None otherwise).
    trend: Trend | None = None
    weakest_pillar_note: str = WEAKEST_PILLAR_NOTE
    # The targets and the plan's current state: in the latest submitted report only.
    plan: ActionPlan | None = None


def report_result(assessment: Assessment, answers: dict[str, Answer]) -> scoring.Result:
    """The scores: the snapshot stored at submission, else scored live from ``answers``."""
    stored = stored_result(assessment)
    if stored is not None:
        return stored
    return scoring.score(
        assessment_framework(assessment), scoring_answers(answers), assessment.sector
    )


def build_report(assessment: Assessment, *, comments_of_firm=None) -> Report:
    """Gather the report of one assessment in a fixed number of queries.

    The owner's report shows every consultant comment with its firm's name;
    ``comments_of_firm`` keeps only one firm's, for that firm's consultants.
    """
    framework = assessment_framework(assessment)
    sector_key = assessment.sector or GENERAL
    levels = framework.levels
    level_names = {lv.key: lv.name for lv in levels}
    pillar_names = {p.key: p.name for p in framework.pillars}
    answers = assessment_answers(assessment)
    rows = {
        question.id: _question_row(
            question, answers.get(question.id), framework, sector_key, assessment.traits
        )
        for question in framework.questions
    }
    result = report_result(assessment, answers)
    threshold = float(framework.maturity_threshold)

    action_gaps = [gap for gap in result.gaps if gap.question_id in rows]
    actions = [
        Action(
            rank=n,
            question=rows[gap.question_id],
            pillar_name=pillar_names[gap.pillar],
            level_name=level_names[gap.level],
            recommendation=rows[gap.question_id].recommendation,
            horizon=gap.horizon,
        )
        for n, gap in enumerate(action_gaps, start=1)
    ]
    horizons = [
        HorizonGroup(h.key, h.title, h.subtitle, [a for a in actions if a.horizon == h.key])
        for h in scoring.HORIZONS
    ]

    pillar_reports = [
        _pillar_report(
            pillar, result, rows, action_gaps, levels, threshold, not assessment.is_submitted
        )
        for pillar in framework.pillars
    ]
    radar = charts.radar_svg(
        [charts.Axis(p.name, p.score) for p in pillar_reports],
        threshold=threshold,
        title="Radar chart of the pillar scores (0 to 100)",
    )
    sector = framework.sector(sector_key)
    weights = framework.pillar_weights(sector_key)
    trend = None
    if assessment.is_submitted:
        # Only submissions up to this one, so a later one never changes this report.
        trend = submission_trend(assessment.organization, framework, until=assessment.submitted_at)
    return Report(
        assessment=assessment,
        organization_name=assessment.organization.name,
        organization_slug=assessment.organization.slug,
        sector_key=sector_key,
        sector_name=_sector_name(sector, sector_key),
        framework_name=framework.name,
        framework_version=framework.version,
        provisional=not assessment.is_submitted,
        report_date=timezone.localdate(assessment.submitted_at or timezone.now()),
        submitted_at=assessment.submitted_at,
        reviewed_at=assessment.reviewed_at,
        overall=result.overall,
        maturity_index=result.maturity.index,
        maturity_label=result.maturity.label,
        maturity_meaning=MATURITY_MEANINGS.get(result.maturity.index, MATURITY_MEANINGS[3]),
        coverage=result.coverage,
        warnings=[w.message for w in result.warnings],
        threshold=threshold,
        scale_min=framework.scale_min,
        scale_max=framework.scale_max,
        level_names=[lv.name for lv in levels],
        pillars=pillar_reports,
        horizons=horizons,
        action_count=len(actions),
        comments=_comments(assessment, pillar_names, comments_of_firm),
        sector_weights=[(p.name, weights[p.key]) for p in framework.pillars],
        radar_svg=radar,
        trend=trend if trend and len(trend.dates) > 1 else None,
        plan=_plan(assessment),
    )


def _plan(assessment: Assessment) -> ActionPlan | None:
    """The organization's plan, printed in the report of its latest submitted assessment."""
    if not assessment.is_submitted or latest_submitted(assessment.organization) != assessment:
        return None
    items = action_plan_items(assessment.organization, trail=False)
    plan = build_action_plan(assessment.organization, assessment, items, effects=False)
    plan.since_last = submission_changes(assessment)
    return plan


def _question_row(question, answer, framework, sector_key, traits) -> QuestionRow:
    kind = answer.kind if answer else None
    ratio = None
    if kind == Answer.Kind.OPTION:
        span = framework.scale_max - framework.scale_min
        ratio = (answer.value - framework.scale_min) / span
    label = question.answer_label(answer.scoring_value if answer else None) or "Not answered yet"
    level = next(lv for lv in framework.levels if lv.key == question.level)
    return QuestionRow(
        code=question.id,
        text=question.text,
        component=question.component,
        pillar_key=question.pillar,
        level_key=question.level,
        level_name=level.name,
        effort=question.effort,
        effort_label=Effort(question.effort).label,
        answer_label=label,
        answer_kind=kind,
        note=(answer.note if answer else "") or "",
        ratio=ratio,
        weight=question.weight,
        recommendation=question.recommendation(sector_key, traits),
        title=question.title,
    )


def _pillar_report(
    pillar, result, rows, action_gaps, levels, threshold, provisional
) -> PillarReport:
    data = result.pillars[pillar.key]
    level_scores = []
    for level in levels:
        value = data.levels.get(level.key)
        met = value is None or value >= threshold - SCORE_TOLERANCE
        level_scores.append(LevelScore(level.key, level.name, value, met))
    maturity_label = data.maturity.label

    blocker = None
    stored = result.blockers.get(pillar.key)
    if stored:
        blocker = Blocker(
            level_name=next(lv.name for lv in levels if lv.key == stored.level),
            score=stored.score,
            threshold=stored.threshold,
            gaps=[rows[g.question_id] for g in stored.gaps if g.question_id in rows],
        )

    pillar_rows = [row for row in rows.values() if row.pillar_key == pillar.key]
    level_order = {lv.key: i for i, lv in enumerate(levels)}
    strengths = sorted(
        (r for r in pillar_rows if r.ratio is not None and r.ratio >= STRENGTH_MIN_RATIO),
        key=lambda r: (-r.ratio, -r.weight, level_order.get(r.level_key, 0), r.code),
    )[:STRENGTHS_PER_PILLAR]
    gaps = [rows[gap.question_id] for gap in action_gaps if gap.pillar == pillar.key]
    if data.score is None and provisional:
        # The ladder counts an empty level as met, so a pillar nobody has
        # answered yet would read "Advanced". A submitted pillar with nothing
        # to score (all "not applicable") keeps the documented label.
        maturity_label = NOT_SCORED
        blocker = None
    return PillarReport(
        key=pillar.key,
        name=pillar.name,
        description=pillar.description,
        score=data.score,
        maturity_label=maturity_label,
        maturity_index=data.maturity.index,
        na_share=data.na_share,
        levels=level_scores,
        strengths=strengths,
        gaps=gaps[:GAPS_PER_PILLAR],
        blocker=blocker,
        bars_svg=charts.level_bars_svg(
            [charts.Bar(lv.name, lv.score, lv.met) for lv in level_scores],
            threshold=threshold,
            chart_id=f"levels-{pillar.key}",
            title=f"{pillar.name}: score of each level (0 to 100)",
        ),
        top_label=levels[-1].name if levels else "",
        appendix=[
            AppendixGroup(level.name, rows)
            for level in levels
            if (rows := [row for row in pillar_rows if row.level_key == level.key])
        ],
    )


def _sector_name(sector, key: str) -> str:
    if sector is not None:
        return sector.name
    return dict(OrganizationSector.choices).get(key, key.title())


def _comments(assessment: Assessment, pillar_names: dict, firm) -> list[CommentView]:
    comments = ReviewComment.objects.filter(assessment=assessment).select_related("author", "firm")
    if firm is not None:
        comments = comments.filter(firm=firm)
    return [
        CommentView(
            author=(c.author.get_full_name() or c.author.email) if c.author else "A consultant",
            firm=c.firm.name if c.firm else "",
            pillar_name=pillar_names.get(c.pillar_key, "") if c.pillar_key else "",
            text=c.text,
            created_at=c.created_at,
        )
        for c in comments.order_by("created_at", "pk")
    ]


def consultant_firm(user, assessment):
    """The firm of a consultant looking at a client's report; None for the business's people."""
    if Assessment.objects.editable_by(user).filter(pk=assessment.pk).exists():
        return None
    return firm_membership(user).firm
