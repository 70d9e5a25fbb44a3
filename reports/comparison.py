"""Two submitted assessments side by side, and every submission's pillar scores over time.

Scores come from the snapshots stored at submission; answers are matched
across framework versions as a re-assessment carries them (``scoring.carry``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from action_plans.models import ActionItem, ActionItemEvent
from assessments.models import Answer, Assessment
from assessments.selectors import assessment_framework, stored_result
from scoring.carry import direction, earlier_id

from . import charts

ANSWER_MOVES = (
    ("better", "Better answers"),
    ("worse", "Worse answers"),
    ("changed", "Changed to or from “Don't know” or “Not applicable”"),
)


@dataclass(frozen=True)
class Change:
    """A score before and after (None: nothing to score), and how much it moved."""

    name: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class PillarChange:
    score: Change
    maturity_before: str
    maturity_after: str
    levels: list[Change]


@dataclass(frozen=True)
class AnswerChange:
    code: str
    text: str
    pillar_name: str
    before: str
    after: str
    direction: str  # "better", "worse" or "changed"


@dataclass(frozen=True)
class Comparison:
    before: Assessment
    after: Assessment
    overall: Change
    maturity_before: str
    maturity_after: str
    pillars: list[PillarChange]
    answers: list[AnswerChange]
    actions_done: list[ActionItem]

    @property
    def date_format(self) -> str:
        """How the two submissions are dated: with the time when both fall on one day.

        Two submissions of one day would otherwise read alike.
        """
        before, after = self.before.submitted_at, self.after.submitted_at
        same_day = timezone.localdate(before) == timezone.localdate(after)
        return "j M Y, H:i" if same_day else "j M Y"

    @property
    def grouped(self) -> list[tuple[str, list[AnswerChange]]]:
        """The changed answers under a heading each: better, worse, otherwise changed."""
        return [
            (title, [answer for answer in self.answers if answer.direction == way])
            for way, title in ANSWER_MOVES
        ]


def build_comparison(before: Assessment, after: Assessment) -> Comparison:
    """Compare two submitted assessments in a fixed number of queries."""
    old, new = stored_result(before), stored_result(after)
    old_framework, framework = assessment_framework(before), assessment_framework(after)
    pillars = []
    for pillar in framework.pillars:
        was, now = old.pillars.get(pillar.key), new.pillars[pillar.key]
        pillars.append(
            PillarChange(
                score=Change(pillar.name, was.score if was else None, now.score),
                maturity_before=was.maturity.label if was else "",
                maturity_after=now.maturity.label,
                levels=[
                    Change(
                        level.name,
                        was.levels.get(level.key) if was else None,
                        now.levels.get(level.key),
                    )
                    for level in framework.levels
                ],
            )
        )
    rows = Answer.objects.filter(assessment__in=[before, after], kind__isnull=False).values_list(
        "assessment_id", "question__code", "kind", "value"
    )
    answers = {before.pk: {}, after.pk: {}}
    for assessment_id, code, kind, value in rows:
        answers[assessment_id][code] = value if kind == Answer.Kind.OPTION else kind
    earlier, later = answers[before.pk], answers[after.pk]
    changes = []
    for pillar in framework.pillars:
        for question in framework.pillar_questions(pillar.key):
            code = earlier_id(question, earlier)
            if code is None or question.id not in later:
                continue
            way = direction(earlier[code], later[question.id])
            if way is not None:
                changes.append(
                    AnswerChange(
                        code=question.id,
                        text=question.text,
                        pillar_name=pillar.name,
                        before=old_framework.question(code).answer_label(earlier[code]),
                        after=question.answer_label(later[question.id]),
                        direction=way,
                    )
                )
    first, last = sorted((before, after), key=lambda a: a.submitted_at)
    # An action the later submission closed (its answer reached the top rung) says so, apart
    # from the ones people marked done: the comparison credits the work, not the bookkeeping.
    closed_by_answer = ActionItemEvent.objects.filter(
        item=OuterRef("pk"), assessment=last, status=ActionItem.Status.DONE
    )
    actions_done = (
        ActionItem.objects.filter(
            organization=after.organization_id,
            status=ActionItem.Status.DONE,
            done_at__gt=first.submitted_at,
            done_at__lte=last.submitted_at,
        )
        .annotate(closed_by_answer=Exists(closed_by_answer))
        .order_by("closed_by_answer", "done_at")
    )
    return Comparison(
        before=before,
        after=after,
        actions_done=list(actions_done),
        overall=Change("Overall", old.overall, new.overall),
        maturity_before=old.maturity.label,
        maturity_after=new.maturity.label,
        pillars=pillars,
        answers=changes,
    )


@dataclass(frozen=True)
class Trend:
    """Every submission's pillar scores, oldest first, and the chart of them."""

    dates: list
    lines: list[charts.Line]
    svg: str

    @property
    def rows(self) -> list[tuple]:
        """(date, [score per pillar]) per submission, for the table beside the chart."""
        return [(day, [line.values[n] for line in self.lines]) for n, day in enumerate(self.dates)]


def submission_trend(organization, framework, *, until=None) -> Trend:
    """The pillar scores of the organization's submissions (up to ``until``), in one query.

    Pillars and their names come from ``framework`` (the newest one shown).
    """
    submitted = Assessment.objects.submitted().filter(organization=organization)
    if until is not None:
        submitted = submitted.filter(submitted_at__lte=until)
    # The pillar scores copied at submission: the whole stored results are not needed here.
    snapshots = list(
        submitted.order_by("submitted_at").values_list("submitted_at", "pillar_scores")
    )
    dates = [timezone.localdate(when) for when, _ in snapshots]
    lines = [
        charts.Line(pillar.name, tuple((scores or {}).get(pillar.key) for _, scores in snapshots))
        for pillar in framework.pillars
    ]
    labels = [f"{day:%-d %b %Y}" for day in dates]
    return Trend(dates=dates, lines=lines, svg=charts.trend_svg(labels, lines))
