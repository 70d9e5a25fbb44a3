"""Batch scoring gives, for each assessment, exactly what score() gives."""

import math
import random
import time

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.scoring_bench import random_answers, synthetic_framework
from scoring import score, score_batch
from tests.scoring.builders import framework, question
from tests.scoring.strategies import answer_sets, frameworks, same_score, sector_keys


def assert_row_matches_score(row, result):
    assert same_score(row["overall"], result.overall), (row["overall"], result.overall)
    assert row["maturity_index"] == result.maturity.index
    assert row["maturity_label"] == result.maturity.label
    assert math.isclose(row["coverage"], result.coverage)
    for key, pillar in result.pillars.items():
        assert same_score(row[key], pillar.score), key
        for level, value in pillar.levels.items():
            assert same_score(row[f"{key}.{level}"], value), (key, level)


@st.composite
def batches(draw):
    fw = draw(frameworks())
    answers = draw(st.lists(answer_sets(fw), min_size=1, max_size=8))
    sectors = [draw(sector_keys(fw)) for _ in answers]
    return fw, dict(enumerate(answers)), dict(enumerate(sectors))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_batch_results_equal_score_results_for_random_answer_sets(batch):
    fw, answers, sectors = batch

    frame = score_batch(fw, answers, sectors)

    for assessment_id, one in answers.items():
        assert_row_matches_score(frame.loc[assessment_id], score(fw, one, sectors[assessment_id]))


def test_batch_results_equal_score_results_on_a_72_question_framework():
    fw = synthetic_framework()
    rng = random.Random(7)
    keys = [None, "unlisted", *(s.key for s in fw.sectors)]
    answers = {f"A{i}": random_answers(fw, rng) for i in range(300)}
    sectors = {assessment_id: rng.choice(keys) for assessment_id in answers}

    frame = score_batch(fw, answers, sectors)

    for assessment_id, one in answers.items():
        assert_row_matches_score(frame.loc[assessment_id], score(fw, one, sectors[assessment_id]))


def test_batch_has_one_row_per_assessment_id_and_the_documented_columns():
    fw = framework(
        question("OP-F-01"),
        question("FI-I-01", "financial", "intermediate"),
        levels=("fundamentals", "intermediate"),
    )

    frame = score_batch(fw, {"a1": {"OP-F-01": 4}, "a2": {"FI-I-01": 2}})

    assert list(frame.index) == ["a1", "a2"]
    assert frame.index.name == "assessment_id"
    assert list(frame.columns) == [
        "overall", "maturity_index", "maturity_label", "coverage",
        "operational", "financial",
        "operational.fundamentals", "operational.intermediate",
        "financial.fundamentals", "financial.intermediate",
    ]  # fmt: skip
    assert frame.loc["a1", "overall"] == 100.0
    assert math.isnan(frame.loc["a1", "financial"])


def test_one_sector_key_applies_to_every_assessment():
    fw = framework(
        question("OP-F-01"),
        question("FI-F-01", "financial"),
        sectors={"retail": {"operational": 3.0}},
    )
    answers = {1: {"OP-F-01": 4, "FI-F-01": 0}, 2: {"OP-F-01": 0, "FI-F-01": 4}}

    frame = score_batch(fw, answers, "retail")

    assert list(frame["overall"]) == [75.0, 25.0]
    assert list(score_batch(fw, answers)["overall"]) == [50.0, 50.0]


def test_an_empty_batch_is_an_empty_frame_with_the_columns():
    fw = framework(question("OP-F-01"))

    frame = score_batch(fw, {})

    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 0
    assert "operational.fundamentals" in frame.columns


def test_ten_thousand_assessments_of_72_questions_score_in_under_3_seconds():
    fw = synthetic_framework()
    rng = random.Random(1)
    answers = {i: random_answers(fw, rng) for i in range(10_000)}
    score_batch(fw, {0: answers[0]})  # loads numpy and pandas outside the timing

    start = time.perf_counter()
    frame = score_batch(fw, answers, "retail")
    elapsed = time.perf_counter() - start

    assert len(frame) == 10_000
    assert elapsed < 3.0
