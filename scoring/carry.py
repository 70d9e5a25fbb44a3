"""One assessment's answers read against another: carried into a re-assessment, or compared.

The two assessments may answer different framework versions. A question of
the newer version stands for the older question with the same id, else for
the first of the ids it ``replaces`` that has an answer.
"""

from __future__ import annotations

from scoring.model import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Answer,
    Answers,
    Framework,
    QuestionDef,
    is_number,
)


def earlier_id(question: QuestionDef, earlier: Answers) -> str | None:
    """The id under which ``earlier`` answered this question, None when it did not."""
    for code in (question.id, *question.replaces):
        if earlier.get(code) is not None:
            return code
    return None


def fits(question: QuestionDef, answer: Answer) -> bool:
    """True when ``question`` could be given this answer: its option value, or a kind it allows."""
    if answer == DONT_KNOW:
        return True
    if answer == NOT_APPLICABLE:
        return question.allow_na
    return is_number(answer) and answer in question.option_values


def carry_over(framework: Framework, earlier: Answers) -> dict[str, str]:
    """For each question of ``framework`` that can start from ``earlier``: {its id: earlier id}.

    An earlier answer that the question could not be given (an option value
    it does not have, "not applicable" where it is not allowed) is left
    behind: the question starts empty rather than with a wrong answer.
    """
    carried = {}
    for question in framework.questions:
        code = earlier_id(question, earlier)
        if code is not None and fits(question, earlier[code]):
            carried[question.id] = code
    return carried


def direction(before: Answer, after: Answer) -> str | None:
    """How an answer moved: "better" or "worse" by option value, "changed", or None (same)."""
    if before == after:
        return None
    if is_number(before) and is_number(after):
        return "better" if after > before else "worse"
    return "changed"
