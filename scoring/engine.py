"""Score one assessment: the rules of PRODUCT.md section 3, in plain Python.

``score(framework, answers, sector)`` returns a ``Result``: the overall score,
one ``PillarResult`` per pillar, the staged maturity, coverage, warnings, what
blocks each pillar's next level, and the ranked gaps the action plan is built
from. ``score`` trusts its answers; check untrusted ones with
``scoring.loader.validate_answers`` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from scoring.model import (
    DONT_KNOW,
    HORIZON_BY_EFFORT,
    NOT_APPLICABLE,
    Answer,
    Answers,
    Framework,
    format_number,
)

MATURITY_LABELS = ("Initial", "Fundamentals", "Intermediate", "Advanced")
LOW_COVERAGE_PERCENT = 80.0
MANY_NOT_APPLICABLE_PERCENT = 25.0
BLOCKER_GAP_LIMIT = 3
# Sums of float weights can land a hair below a threshold they meet exactly
# (69.99999999999999 for 70); this slack keeps such a level "met", and keeps
# score() and score_batch() agreeing although they add up in different orders.
SCORE_TOLERANCE = 1e-9
# Priorities are rounded this far before sorting, so float noise never beats
# the documented tie-break (the question id).
PRIORITY_DIGITS = 9

LOW_COVERAGE = "low_coverage"
MANY_NOT_APPLICABLE = "many_not_applicable"


@dataclass(frozen=True)
class Maturity:
    """A rung of the maturity ladder: 0 "Initial" up to the last level."""

    index: int
    label: str

    def to_dict(self) -> dict:
        """The JSON shape: {"index": 1, "label": "Fundamentals"}."""
        return {"index": self.index, "label": self.label}


@dataclass(frozen=True)
class ScoreWarning:
    """Something the reader of the results should know before trusting them."""

    code: str
    pillar: str | None
    message: str

    def to_dict(self) -> dict:
        """The JSON shape of the warning."""
        return {"code": self.code, "pillar": self.pillar, "message": self.message}


@dataclass(frozen=True)
class Gap:
    """A scored answer short of the best option.

    ``gap`` is 1 - q (a "dont_know" is a full gap of 1), ``weighted_gap`` is
    weight × gap, and ``priority`` is weight × gap × the sector's pillar weight.
    """

    question_id: str
    pillar: str
    level: str
    weight: float
    answer: Answer
    gap: float
    weighted_gap: float
    priority: float
    effort: str

    @property
    def horizon(self) -> str:
        """When to act: "30_days", "90_days" or "12_months", from the effort."""
        return HORIZON_BY_EFFORT[self.effort]

    def to_dict(self) -> dict:
        """The JSON shape of the gap."""
        return {
            "question_id": self.question_id,
            "pillar": self.pillar,
            "level": self.level,
            "answer": self.answer,
            "weight": self.weight,
            "gap": self.gap,
            "weighted_gap": self.weighted_gap,
            "priority": self.priority,
            "effort": self.effort,
            "horizon": self.horizon,
        }


@dataclass(frozen=True)
class Blocker:
    """Why a pillar is not on the next rung: the first level below the threshold."""

    level: str
    score: float
    threshold: float
    gaps: tuple[Gap, ...]


@dataclass(frozen=True)
class PillarResult:
    """One pillar's scores (0-100, None when nothing is left to score) and maturity.

    ``na_share`` is the percentage of the pillar's questions answered "na".
    """

    score: float | None
    levels: dict[str, float | None]
    maturity: Maturity
    na_share: float


@dataclass(frozen=True)
class Result:
    """Everything the scoring rules say about one assessment."""

    overall: float | None
    maturity: Maturity
    coverage: float
    pillars: dict[str, PillarResult]
    warnings: tuple[ScoreWarning, ...] = ()
    blockers: dict[str, Blocker] = field(default_factory=dict)
    gaps: tuple[Gap, ...] = ()
    sector: str | None = None
    threshold: float = 70.0
    framework_version: str = ""

    def to_dict(self, ndigits: int | None = None) -> dict:
        """The JSON-able result (PRODUCT.md section 3 shape, plus extras).

        Scores, coverage and shares are rounded to ``ndigits`` decimals when
        given; the defaults keep full precision for storage.
        """

        def num(value: float | None) -> float | None:
            if value is None or ndigits is None:
                return value
            return round(value, ndigits)

        def gap_dict(gap: Gap) -> dict:
            data = gap.to_dict()
            for key in ("gap", "weighted_gap", "priority"):
                data[key] = num(data[key])
            return data

        return {
            "framework_version": self.framework_version,
            "sector": self.sector,
            "overall": num(self.overall),
            "maturity": self.maturity.to_dict(),
            "coverage": num(self.coverage),
            "pillars": {
                key: {
                    "score": num(pillar.score),
                    "maturity": pillar.maturity.to_dict(),
                    "levels": {level: num(value) for level, value in pillar.levels.items()},
                    "na_share": num(pillar.na_share),
                }
                for key, pillar in self.pillars.items()
            },
            "warnings": [warning.to_dict() for warning in self.warnings],
            "blockers": {
                key: {
                    "level": blocker.level,
                    "score": num(blocker.score),
                    "threshold": blocker.threshold,
                    "gaps": [gap_dict(gap) for gap in blocker.gaps],
                }
                for key, blocker in self.blockers.items()
            },
            "actions": [gap_dict(gap) for gap in self.gaps],
        }


def result_from_dict(data: Mapping) -> Result:
    """A ``Result`` read back from ``Result.to_dict()``: the snapshot stored at submission.

    The snapshot does not hold the maturity threshold; read it from the framework.
    """

    def gap(item: Mapping) -> Gap:
        return Gap(**{f.name: item[f.name] for f in fields(Gap)})

    return Result(
        overall=data["overall"],
        maturity=Maturity(**data["maturity"]),
        coverage=data["coverage"],
        pillars={
            key: PillarResult(
                score=pillar["score"],
                levels=dict(pillar["levels"]),
                maturity=Maturity(**pillar["maturity"]),
                na_share=pillar["na_share"],
            )
            for key, pillar in data["pillars"].items()
        },
        warnings=tuple(ScoreWarning(**warning) for warning in data["warnings"]),
        blockers={
            key: Blocker(
                level=blocker["level"],
                score=blocker["score"],
                threshold=blocker["threshold"],
                gaps=tuple(gap(item) for item in blocker["gaps"]),
            )
            for key, blocker in data["blockers"].items()
        },
        gaps=tuple(gap(item) for item in data["actions"]),
        sector=data["sector"],
        framework_version=data["framework_version"],
    )


def maturity_for(framework: Framework, index: int) -> Maturity:
    """The Maturity for a ladder index, with the product's fixed labels.

    A framework with more than three levels names its higher rungs after
    its own level names.
    """
    if index < len(MATURITY_LABELS):
        return Maturity(index, MATURITY_LABELS[index])
    return Maturity(index, framework.levels[index - 1].name)


def ladder_index(level_scores: list[float | None], threshold: float) -> int:
    """How many levels, from the first, are met; a level with no score counts as met."""
    index = 0
    for value in level_scores:
        if value is not None and value < threshold - SCORE_TOLERANCE:
            break
        index += 1
    return index


def gap_sort_key(level_position: int, priority: float, question_id: str) -> tuple:
    """Action-plan order: earlier level first, then larger priority, then question id."""
    return (level_position, -round(priority, PRIORITY_DIGITS), question_id)


def score(framework: Framework, answers: Answers, sector: str | None = None) -> Result:
    """Score one set of answers against the framework.

    ``sector`` picks the pillar weights of the overall score; None, or a key
    the framework does not list, weighs every pillar 1.0. Answers to ids the
    framework does not know are ignored (validate first to refuse them).
    """
    low, span = framework.scale_min, framework.scale_max - framework.scale_min
    threshold = float(framework.maturity_threshold)
    pillar_weights = framework.pillar_weights(sector)
    level_position = {key: i for i, key in enumerate(framework.level_keys)}
    # (pillar, level) -> [Σ w·q, Σ w]
    sums = {(p, lv): [0.0, 0.0] for p in framework.pillar_keys for lv in framework.level_keys}
    question_count = dict.fromkeys(framework.pillar_keys, 0)
    na_count = dict.fromkeys(framework.pillar_keys, 0)
    answered = 0
    gaps: list[Gap] = []

    for question in framework.questions:
        question_count[question.pillar] += 1
        answer = answers.get(question.id)
        if answer is None:
            continue
        if answer == NOT_APPLICABLE:
            na_count[question.pillar] += 1
            answered += 1
            continue
        if answer == DONT_KNOW:
            ratio = 0.0
        else:
            ratio = (answer - low) / span
            answered += 1
        cell = sums[(question.pillar, question.level)]
        cell[0] += question.weight * ratio
        cell[1] += question.weight
        if ratio < 1:
            gap = 1.0 - ratio
            gaps.append(
                Gap(
                    question_id=question.id,
                    pillar=question.pillar,
                    level=question.level,
                    weight=float(question.weight),
                    answer=answer,
                    gap=gap,
                    weighted_gap=question.weight * gap,
                    priority=question.weight * gap * pillar_weights[question.pillar],
                    effort=question.effort,
                )
            )

    gaps.sort(key=lambda g: gap_sort_key(level_position[g.level], g.priority, g.question_id))

    pillars: dict[str, PillarResult] = {}
    blockers: dict[str, Blocker] = {}
    warnings: list[ScoreWarning] = []
    for pillar in framework.pillars:
        levels: dict[str, float | None] = {}
        total, total_weight = 0.0, 0.0
        for level_key in framework.level_keys:
            weighted, weight = sums[(pillar.key, level_key)]
            # Divide first: w·q ≤ w makes the ratio at most 1, so 100 is never overshot.
            levels[level_key] = 100.0 * (weighted / weight) if weight else None
            total += weighted
            total_weight += weight
        index = ladder_index(list(levels.values()), threshold)
        count = question_count[pillar.key]
        na_share = 100.0 * na_count[pillar.key] / count if count else 0.0
        pillars[pillar.key] = PillarResult(
            score=100.0 * (total / total_weight) if total_weight else None,
            levels=levels,
            maturity=maturity_for(framework, index),
            na_share=na_share,
        )
        if index < len(framework.levels):
            failed = framework.level_keys[index]
            blockers[pillar.key] = Blocker(
                level=failed,
                score=levels[failed],
                threshold=threshold,
                gaps=_largest_weighted_gaps(gaps, pillar.key, failed),
            )
        if na_share > MANY_NOT_APPLICABLE_PERCENT:
            warnings.append(
                ScoreWarning(
                    code=MANY_NOT_APPLICABLE,
                    pillar=pillar.key,
                    message=(
                        f"{format_number(round(na_share, 1))}% of the {pillar.name} questions were "
                        f"answered 'not applicable', so its score rests on few answers."
                    ),
                )
            )

    scored = [(pillar_weights[key], p.score) for key, p in pillars.items() if p.score is not None]
    weight_sum = sum(weight for weight, _ in scored)
    overall = None
    if scored:
        overall = sum(weight * value for weight, value in scored) / weight_sum
        # A weighted mean lies between the smallest and largest pillar score; float
        # rounding can step outside (99.99999999999999 when every pillar is 100).
        values = [value for _, value in scored]
        overall = min(max(overall, min(values)), max(values))
    # With nothing scored anywhere there is no evidence of any rung: report
    # "Initial" rather than the "every empty level is met" ladder's top rung.
    overall_index = min(p.maturity.index for p in pillars.values()) if scored else 0

    total_questions = len(framework.questions)
    coverage = 100.0 * answered / total_questions if total_questions else 0.0
    if coverage < LOW_COVERAGE_PERCENT:
        warnings.insert(
            0,
            ScoreWarning(
                code=LOW_COVERAGE,
                pillar=None,
                message=(
                    f"Only {format_number(round(coverage, 1))}% of the questions have a real "
                    f"answer (an option or 'not applicable'); below "
                    f"{format_number(LOW_COVERAGE_PERCENT)}% the scores may not reflect "
                    f"the business. 'Don't know' and unanswered questions lower it."
                ),
            ),
        )

    return Result(
        overall=overall,
        maturity=maturity_for(framework, overall_index),
        coverage=coverage,
        pillars=pillars,
        warnings=tuple(warnings),
        blockers=blockers,
        gaps=tuple(gaps),
        sector=sector,
        threshold=threshold,
        framework_version=framework.version,
    )


def _largest_weighted_gaps(gaps: list[Gap], pillar: str, level: str) -> tuple[Gap, ...]:
    here = [gap for gap in gaps if gap.pillar == pillar and gap.level == level]
    here.sort(key=lambda g: (-round(g.weighted_gap, PRIORITY_DIGITS), g.question_id))
    return tuple(here[:BLOCKER_GAP_LIMIT])
