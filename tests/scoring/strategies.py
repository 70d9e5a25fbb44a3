"""Hypothesis strategies: random valid frameworks and the answer sets they accept."""

import math

from hypothesis import strategies as st

from scoring import DONT_KNOW, NOT_APPLICABLE, Framework, Result
from tests.scoring.builders import framework, question

PILLAR_KEYS = ("operational", "financial", "adaptive")
LEVEL_KEYS = ("fundamentals", "intermediate", "advanced")
EFFORTS = ("low", "medium", "high")
# A weight of 0.1 or 1.3 has no exact binary form, which is the point: float noise must not matter.
WEIGHTS = st.sampled_from([0.1, 0.25, 0.5, 1.0, 1.3, 2.0, 3.0]) | st.floats(0.05, 10.0)
MISSING = object()


@st.composite
def frameworks(draw) -> Framework:
    """A framework of 1-3 pillars, 1-3 levels and 1-10 questions on a random scale."""
    pillars = PILLAR_KEYS[: draw(st.integers(1, 3))]
    levels = LEVEL_KEYS[: draw(st.integers(1, 3))]
    low = draw(st.integers(-2, 1))
    high = low + draw(st.integers(1, 5))
    questions = []
    for i in range(draw(st.integers(1, 10))):
        options = draw(
            st.lists(st.integers(low, high), min_size=1, max_size=high - low + 1, unique=True)
        )
        questions.append(
            question(
                f"Q-{i:02d}",
                draw(st.sampled_from(pillars)),
                draw(st.sampled_from(levels)),
                weight=draw(WEIGHTS),
                allow_na=draw(st.booleans()),
                options=tuple(sorted(options)),
                effort=draw(st.sampled_from(EFFORTS)),
            )
        )
    sectors = {
        f"sector{i}": draw(st.dictionaries(st.sampled_from(pillars), WEIGHTS))
        for i in range(draw(st.integers(0, 2)))
    }
    threshold = draw(st.sampled_from([0, 50, 70, 100]) | st.floats(0, 100))
    return framework(
        *questions,
        pillars=pillars,
        levels=levels,
        sectors=sectors,
        threshold=threshold,
        scale=(low, high),
    )


@st.composite
def answer_sets(draw, fw: Framework) -> dict:
    """Answers for some questions: option values, "dont_know", "na" where allowed."""
    answers = {}
    for q in fw.questions:
        choices = [MISSING, DONT_KNOW, *(o.value for o in q.options)]
        if q.allow_na:
            choices.append(NOT_APPLICABLE)
        answer = draw(st.sampled_from(choices))
        if answer is not MISSING:
            answers[q.id] = answer
    return answers


def sector_keys(fw: Framework):
    """No sector, an unlisted one, or one of the framework's."""
    return st.sampled_from([None, "unlisted", *(s.key for s in fw.sectors)])


@st.composite
def assessments(draw) -> tuple:
    """(framework, answers, sector)."""
    fw = draw(frameworks())
    return fw, draw(answer_sets(fw)), draw(sector_keys(fw))


def same_score(a, b, tolerance: float = 1e-9) -> bool:
    """Equal scores, None and NaN both meaning "nothing to score"."""
    a_empty = a is None or (isinstance(a, float) and math.isnan(a))
    b_empty = b is None or (isinstance(b, float) and math.isnan(b))
    if a_empty or b_empty:
        return a_empty and b_empty
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def assert_same_scores(first: Result, second: Result) -> None:
    """Overall, maturity and every pillar and level score agree (up to float noise)."""
    assert same_score(first.overall, second.overall), (first.overall, second.overall)
    assert first.maturity == second.maturity
    assert first.pillars.keys() == second.pillars.keys()
    for key, pillar in first.pillars.items():
        other = second.pillars[key]
        assert same_score(pillar.score, other.score), (key, pillar.score, other.score)
        assert pillar.maturity == other.maturity, key
        for level, value in pillar.levels.items():
            assert same_score(value, other.levels[level]), (key, level)
