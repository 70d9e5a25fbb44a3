"""Every answer in words, from one function: pages, report, comparison, exports, the plan."""

from scoring import DONT_KNOW, NOT_APPLICABLE, OptionDef, QuestionDef

QUESTION = QuestionDef(
    id="OP-F-01",
    pillar="operational",
    level="fundamentals",
    options=(OptionDef(0, "Nobody"), OptionDef(2, "One person"), OptionDef(4, "Two or more")),
)


def test_an_option_reads_as_its_label():
    assert QUESTION.answer_label(2) == "One person"
    assert QUESTION.answer_label(2.0) == "One person"


def test_dont_know_and_not_applicable_read_as_the_questionnaire_says_them():
    assert QUESTION.answer_label(DONT_KNOW) == "Don't know"
    assert QUESTION.answer_label(NOT_APPLICABLE) == "Not applicable to my business"


def test_a_value_no_option_has_reads_as_the_number_and_unanswered_as_nothing():
    assert QUESTION.answer_label(3) == "3"
    assert QUESTION.answer_label(None) == ""
    assert QUESTION.answer_label(True) == ""
