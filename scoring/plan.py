"""The action plan: which gaps to close first, and by when.

Order (PRODUCT.md section 5): gaps in fundamentals before intermediate before
advanced; within a level, by weight × gap × the sector's pillar weight, largest
first; ties by question id. The horizon follows the effort: low → next 30 days,
medium → next 90 days, high → next 12 months.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.engine import Result, score
from scoring.model import HORIZON_BY_EFFORT, Answers, Framework


@dataclass(frozen=True)
class Action:
    """One step of the action plan: close the gap on this question."""

    question_id: str
    pillar: str
    level: str
    weight: float
    gap: float
    priority: float
    effort: str
    horizon: str


def rank_actions(
    source: Result | Framework, answers: Answers | None = None, sector: str | None = None
) -> list[Action]:
    """The ranked action plan of a scored assessment.

    Pass the ``Result`` of ``score()``, or a ``Framework`` with its answers and
    sector (scored here). Only scored answers below the best option are gaps:
    "dont_know" is a full gap; "na" and unanswered questions never are.
    """
    if isinstance(source, Framework):
        source = score(source, answers or {}, sector)
    return [
        Action(
            question_id=gap.question_id,
            pillar=gap.pillar,
            level=gap.level,
            weight=gap.weight,
            gap=gap.gap,
            priority=gap.priority,
            effort=gap.effort,
            horizon=HORIZON_BY_EFFORT[gap.effort],
        )
        for gap in source.gaps
    ]
