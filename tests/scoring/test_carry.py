"""Answers carried from one framework version to the next, and how they moved."""

from dataclasses import replace

from scoring.carry import carry_over, direction
from tests.scoring.builders import framework, question


def test_an_answer_carries_to_the_question_with_the_same_id():
    new = framework(question("OP-1"))

    assert carry_over(new, {"OP-1": 3}) == {"OP-1": "OP-1"}


def test_an_answer_carries_to_the_question_that_replaces_it():
    new = framework(replace(question("OP-NEW"), replaces=("OP-OLD",)))

    assert carry_over(new, {"OP-OLD": 2}) == {"OP-NEW": "OP-OLD"}


def test_an_option_value_the_new_question_lacks_leaves_it_empty():
    new = framework(question("OP-1", options=(0, 2, 4)))

    assert carry_over(new, {"OP-1": 3}) == {}


def test_not_applicable_carries_only_where_the_new_question_allows_it():
    new = framework(question("OP-1"), question("OP-2", allow_na=True))

    assert carry_over(new, {"OP-1": "na", "OP-2": "na"}) == {"OP-2": "OP-2"}


def test_dont_know_carries_and_a_new_question_starts_empty():
    new = framework(question("OP-1"), question("OP-2"))

    assert carry_over(new, {"OP-1": "dont_know"}) == {"OP-1": "OP-1"}


def test_answers_move_better_or_worse_by_option_value():
    assert direction(1, 3) == "better"
    assert direction(3, 1) == "worse"
    assert direction("dont_know", 2) == "changed"
    assert direction(2, 2) is None
