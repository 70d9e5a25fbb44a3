"""One test per scoring rule of PRODUCT.md section 3."""

import pytest

from scoring import Maturity, score
from scoring.engine import LOW_COVERAGE, MANY_NOT_APPLICABLE, ladder_index
from tests.scoring.builders import framework, level_ladder, question


def test_an_answer_counts_as_its_place_on_the_scale():
    fw = framework(question("OP-F-01", options=(1, 2, 3, 4, 5)), scale=(1, 5))

    assert score(fw, {"OP-F-01": 1}).overall == 0.0
    assert score(fw, {"OP-F-01": 2}).overall == 25.0
    assert score(fw, {"OP-F-01": 5}).overall == 100.0


def test_level_score_is_the_weighted_average_of_its_answers():
    fw = framework(question("OP-F-01", weight=3.0), question("OP-F-02", weight=1.0))

    result = score(fw, {"OP-F-01": 4, "OP-F-02": 0})

    assert result.pillars["operational"].levels["fundamentals"] == 75.0


def test_not_applicable_is_left_out():
    fw = framework(question("OP-F-01"), question("OP-F-02", allow_na=True))

    result = score(fw, {"OP-F-01": 2, "OP-F-02": "na"})

    assert result.pillars["operational"].levels["fundamentals"] == 50.0
    assert result.pillars["operational"].score == 50.0


def test_dont_know_counts_as_zero():
    fw = framework(question("OP-F-01"), question("OP-F-02"))

    result = score(fw, {"OP-F-01": 4, "OP-F-02": "dont_know"})

    assert result.pillars["operational"].levels["fundamentals"] == 50.0


def test_unanswered_question_is_left_out():
    fw = framework(question("OP-F-01"), question("OP-F-02"))

    assert score(fw, {"OP-F-01": 3}).pillars["operational"].score == 75.0
    assert score(fw, {"OP-F-01": 3, "OP-F-02": None}).pillars["operational"].score == 75.0


def test_pillar_score_is_weighted_over_all_its_levels_not_an_average_of_levels():
    fw = framework(
        question("OP-F-01", level="fundamentals", weight=3.0),
        question("OP-I-01", level="intermediate", weight=1.0),
    )

    result = score(fw, {"OP-F-01": 4, "OP-I-01": 0})

    assert result.pillars["operational"].levels == {
        "fundamentals": 100.0,
        "intermediate": 0.0,
        "advanced": None,
    }
    assert result.pillars["operational"].score == 75.0


def test_pillar_score_is_null_when_nothing_is_left_to_score():
    fw = framework(question("OP-F-01"), question("FI-F-01", "financial", allow_na=True))

    result = score(fw, {"OP-F-01": 4, "FI-F-01": "na"})

    assert result.pillars["financial"].score is None
    assert set(result.pillars["financial"].levels.values()) == {None}


def test_level_with_nothing_to_score_counts_as_met():
    fw = framework(
        question("OP-F-01", level="fundamentals"),
        question("OP-I-01", level="intermediate", allow_na=True),
        question("OP-A-01", level="advanced"),
        pillars=("operational",),
    )

    result = score(fw, {"OP-F-01": 4, "OP-I-01": "na", "OP-A-01": 3})

    assert result.pillars["operational"].levels["intermediate"] is None
    assert result.pillars["operational"].maturity == Maturity(3, "Advanced")


def test_maturity_is_a_ladder_that_stops_at_the_first_level_below_the_threshold():
    fw, answers = level_ladder(fundamentals=80, intermediate=60, advanced=90)

    result = score(fw, answers)

    assert result.pillars["operational"].maturity == Maturity(1, "Fundamentals")


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ((60, 90, 90), Maturity(0, "Initial")),
        ((80, 60, 90), Maturity(1, "Fundamentals")),
        ((90, 70, 60), Maturity(2, "Intermediate")),
        ((70, 70, 70), Maturity(3, "Advanced")),
    ],
)
def test_maturity_labels_follow_the_rungs_reached_and_the_threshold_itself_counts(levels, expected):
    fw, answers = level_ladder(*levels)

    assert score(fw, answers).pillars["operational"].maturity == expected


def test_a_level_a_float_hair_below_the_threshold_still_counts_as_met():
    assert ladder_index([69.99999999999999, 100.0], 70.0) == 2
    assert ladder_index([69.9, 100.0], 70.0) == 0


def test_weakest_pillar_sets_the_overall_maturity():
    fw = framework(
        question("OP-F-01", "operational", "fundamentals"),
        question("OP-I-01", "operational", "intermediate"),
        question("FI-F-01", "financial", "fundamentals"),
        question("FI-I-01", "financial", "intermediate"),
    )

    result = score(fw, {"OP-F-01": 4, "OP-I-01": 4, "FI-F-01": 4, "FI-I-01": 1})

    assert result.pillars["operational"].maturity.index == 3
    assert result.pillars["financial"].maturity.index == 1
    assert result.maturity == Maturity(1, "Fundamentals")


def test_overall_is_the_sector_weighted_average_of_pillar_scores():
    fw = framework(
        question("OP-F-01", "operational"),
        question("FI-F-01", "financial"),
        sectors={"retail": {"operational": 1.5, "financial": 0.5}},
    )

    result = score(fw, {"OP-F-01": 4, "FI-F-01": 0}, "retail")

    assert result.overall == pytest.approx(75.0)


@pytest.mark.parametrize("sector", [None, "unlisted"])
def test_no_sector_or_an_unlisted_sector_weighs_every_pillar_one(sector):
    fw = framework(
        question("OP-F-01", "operational"),
        question("FI-F-01", "financial"),
        sectors={"retail": {"operational": 1.5, "financial": 0.5}},
    )

    assert score(fw, {"OP-F-01": 4, "FI-F-01": 0}, sector).overall == 50.0


def test_a_pillar_the_sector_does_not_list_weighs_one():
    fw = framework(
        question("OP-F-01", "operational"),
        question("FI-F-01", "financial"),
        sectors={"retail": {"operational": 3.0}},
    )

    assert score(fw, {"OP-F-01": 4, "FI-F-01": 0}, "retail").overall == 75.0


def test_a_pillar_without_a_score_is_left_out_of_the_overall():
    fw = framework(question("OP-F-01", "operational"), question("FI-F-01", "financial"))

    result = score(fw, {"OP-F-01": 3})

    assert result.pillars["financial"].score is None
    assert result.overall == 75.0


def test_overall_is_null_and_maturity_initial_when_nothing_at_all_is_scored():
    fw = framework(question("OP-F-01"), question("FI-F-01", "financial"))

    result = score(fw, {})

    assert result.overall is None
    assert result.maturity == Maturity(0, "Initial")


def test_coverage_counts_options_and_not_applicable_but_not_dont_know_or_blanks():
    fw = framework(
        question("OP-F-01"),
        question("OP-F-02", allow_na=True),
        question("OP-F-03"),
        question("OP-F-04"),
    )

    result = score(fw, {"OP-F-01": 0, "OP-F-02": "na", "OP-F-03": "dont_know"})

    assert result.coverage == 50.0


def test_coverage_below_80_percent_gives_a_low_coverage_warning():
    questions = [question(f"OP-F-{i:02d}") for i in range(1, 6)]
    fw = framework(*questions)

    four_of_five = score(fw, {f"OP-F-{i:02d}": 2 for i in range(1, 5)})
    three_of_five = score(fw, {f"OP-F-{i:02d}": 2 for i in range(1, 4)})

    assert four_of_five.coverage == 80.0
    assert [w.code for w in four_of_five.warnings] == []
    assert three_of_five.coverage == 60.0
    (warning,) = three_of_five.warnings
    assert warning.code == LOW_COVERAGE
    assert warning.pillar is None
    assert "Only 60% of the questions have a real answer" in warning.message


def test_more_than_a_quarter_not_applicable_in_a_pillar_gives_a_warning():
    fw = framework(
        *[question(f"OP-F-{i:02d}", allow_na=True) for i in range(1, 5)],
        *[question(f"FI-F-{i:02d}", "financial", allow_na=True) for i in range(1, 4)],
    )
    answers = {"OP-F-01": "na", "OP-F-02": 1, "OP-F-03": 1, "OP-F-04": 1}
    answers |= {"FI-F-01": "na", "FI-F-02": 1, "FI-F-03": 1}

    result = score(fw, answers)

    assert result.pillars["operational"].na_share == 25.0
    assert result.pillars["financial"].na_share == pytest.approx(100 / 3)
    (warning,) = result.warnings
    assert warning.code == MANY_NOT_APPLICABLE
    assert warning.pillar == "financial"
    assert warning.message.startswith("33.3% of the Financial resilience questions")


def test_blocker_names_the_failed_level_its_score_and_the_threshold():
    fw, answers = level_ladder(fundamentals=80, intermediate=60, advanced=90)

    blocker = score(fw, answers).blockers["operational"]

    assert blocker.level == "intermediate"
    assert blocker.score == pytest.approx(60.0)
    assert blocker.threshold == 70.0


def test_blocker_lists_the_three_answers_with_the_largest_weighted_gap():
    fw = framework(
        question("OP-F-01", weight=1.0),
        question("OP-F-02", weight=3.0),
        question("OP-F-03", weight=1.0),
        question("OP-F-04", weight=2.0),
        question("OP-F-05", weight=1.0),
        question("OP-I-01", level="intermediate", weight=5.0),
        pillars=("operational",),
    )
    answers = {"OP-F-01": "dont_know", "OP-F-02": 3, "OP-F-03": 0, "OP-F-04": 2}
    answers |= {"OP-F-05": 4, "OP-I-01": 0}

    blocker = score(fw, answers).blockers["operational"]

    assert blocker.level == "fundamentals"
    # Weighted gaps: OP-F-01 1.0, OP-F-02 0.75, OP-F-03 1.0, OP-F-04 1.0; OP-F-05 has none.
    assert [g.question_id for g in blocker.gaps] == ["OP-F-01", "OP-F-03", "OP-F-04"]
    assert [g.weighted_gap for g in blocker.gaps] == [1.0, 1.0, 1.0]


def test_an_advanced_pillar_has_no_blocker():
    fw, answers = level_ladder(fundamentals=90, intermediate=90, advanced=90)

    assert score(fw, answers).blockers == {}


def test_answers_to_ids_the_framework_does_not_know_are_ignored_by_score():
    fw = framework(question("OP-F-01"))

    assert score(fw, {"OP-F-01": 2, "XX-F-99": 4}).overall == 50.0


def test_result_dict_has_the_shape_the_cli_prints():
    fw = framework(
        question("OP-F-01"), question("OP-I-01", level="intermediate"), pillars=("operational",)
    )

    data = score(fw, {"OP-F-01": 3, "OP-I-01": 1}).to_dict(ndigits=1)

    assert data["overall"] == 50.0
    assert data["maturity"] == {"index": 1, "label": "Fundamentals"}
    assert data["coverage"] == 100.0
    assert data["pillars"]["operational"]["score"] == 50.0
    assert data["pillars"]["operational"]["maturity"] == {"index": 1, "label": "Fundamentals"}
    assert data["pillars"]["operational"]["levels"] == {
        "fundamentals": 75.0,
        "intermediate": 25.0,
        "advanced": None,
    }
    assert data["blockers"]["operational"]["level"] == "intermediate"
    assert [a["question_id"] for a in data["actions"]] == ["OP-F-01", "OP-I-01"]


def test_result_dict_rounds_only_when_asked():
    fw = framework(question("OP-F-01"), question("OP-F-02"), question("OP-F-03"))
    result = score(fw, {"OP-F-01": 4, "OP-F-02": 0, "OP-F-03": 0})

    assert result.to_dict()["overall"] == pytest.approx(100 / 3)
    assert result.to_dict(ndigits=1)["overall"] == 33.3
