"""The action plan: which gaps come first, and by when (PRODUCT.md section 5)."""

import pytest

from scoring import HORIZONS, rank_actions, score
from tests.scoring.builders import framework, question


def ids(actions):
    return [action.question_id for action in actions]


def test_fundamentals_gaps_come_before_intermediate_before_advanced():
    fw = framework(
        question("OP-A-01", level="advanced", weight=9.0),
        question("OP-I-01", level="intermediate", weight=5.0),
        question("FI-F-01", "financial", level="fundamentals", weight=0.5),
    )

    actions = rank_actions(fw, {"OP-A-01": 0, "OP-I-01": 0, "FI-F-01": 3})

    assert ids(actions) == ["FI-F-01", "OP-I-01", "OP-A-01"]


def test_within_a_level_weight_times_gap_times_sector_weight_ranks_larger_first():
    fw = framework(
        question("OP-F-01", weight=2.0),  # 2 × 0.5 × 1.5 = 1.5
        question("OP-F-02", weight=1.0),  # 1 × 1.0 × 1.5 = 1.5 (tie, id decides)
        question("FI-F-01", "financial", weight=3.0),  # 3 × 1.0 × 0.4 = 1.2
        question("FI-F-02", "financial", weight=4.0),  # 4 × 1.0 × 0.4 = 1.6
        sectors={"retail": {"operational": 1.5, "financial": 0.4}},
    )
    answers = {"OP-F-01": 2, "OP-F-02": 0, "FI-F-01": 0, "FI-F-02": "dont_know"}

    actions = rank_actions(fw, answers, "retail")

    assert ids(actions) == ["FI-F-02", "OP-F-01", "OP-F-02", "FI-F-01"]
    assert [a.priority for a in actions] == pytest.approx([1.6, 1.5, 1.5, 1.2])


def test_the_sector_weight_can_change_the_order():
    fw = framework(
        question("OP-F-01"),
        question("FI-F-01", "financial"),
        sectors={"finance_heavy": {"operational": 0.5, "financial": 2.0}},
    )
    answers = {"OP-F-01": 0, "FI-F-01": 2}

    assert ids(rank_actions(fw, answers)) == ["OP-F-01", "FI-F-01"]
    assert ids(rank_actions(fw, answers, "finance_heavy")) == ["FI-F-01", "OP-F-01"]


def test_ties_are_broken_by_question_id():
    fw = framework(question("OP-F-03"), question("OP-F-01"), question("FI-F-02", "financial"))

    actions = rank_actions(fw, {"OP-F-03": 0, "OP-F-01": 0, "FI-F-02": 0})

    assert ids(actions) == ["FI-F-02", "OP-F-01", "OP-F-03"]


def test_float_noise_in_priorities_does_not_beat_the_question_id_tie_break():
    # 0.2 × 0.75 × 1.1 is 0.16500000000000004 in floating point, 0.6 × 0.25 × 1.1 is 0.165.
    fw = framework(
        question("OP-F-02", weight=0.2),
        question("OP-F-01", weight=0.6),
        sectors={"retail": {"operational": 1.1}},
    )

    actions = rank_actions(fw, {"OP-F-02": 1, "OP-F-01": 3}, "retail")

    assert ids(actions) == ["OP-F-01", "OP-F-02"]


def test_dont_know_is_a_full_gap():
    fw = framework(question("OP-F-01", weight=2.0))

    (action,) = rank_actions(fw, {"OP-F-01": "dont_know"})

    assert action.gap == 1.0
    assert action.priority == 2.0


def test_not_applicable_unanswered_and_best_answers_are_not_gaps():
    fw = framework(question("OP-F-01", allow_na=True), question("OP-F-02"), question("OP-F-03"))

    assert rank_actions(fw, {"OP-F-01": "na", "OP-F-03": 4}) == []


@pytest.mark.parametrize(
    ("effort", "horizon"),
    [("low", "30_days"), ("medium", "90_days"), ("high", "12_months")],
)
def test_the_horizon_follows_the_effort(effort, horizon):
    fw = framework(question("OP-F-01", effort=effort))

    (action,) = rank_actions(fw, {"OP-F-01": 1})

    assert action.effort == effort
    assert action.horizon == horizon


def test_rank_actions_takes_a_result_or_a_framework_with_answers():
    fw = framework(question("OP-F-01"), question("OP-F-02"))
    answers = {"OP-F-01": 1, "OP-F-02": 3}

    assert rank_actions(score(fw, answers)) == rank_actions(fw, answers)


def test_one_horizon_table_names_each_effort_once():
    assert [h.effort for h in HORIZONS] == ["low", "medium", "high"]
    assert [h.title for h in HORIZONS] == ["Next 30 days", "Next 90 days", "Next 12 months"]
