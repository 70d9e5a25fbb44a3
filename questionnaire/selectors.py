"""Reads for the questionnaire that need the action plan as well as the answers."""

import scoring
from action_plans.selectors import marked_done_since
from assessments.models import Assessment
from assessments.selectors import assessment_framework


def unconfirmed_questions(
    assessment: Assessment, *, done: set[str] | None = None
) -> list[scoring.QuestionDef]:
    """Answers carried over from last time and not yet confirmed, in questionnaire order.

    Those whose action the owner has marked done since come first: the
    answer most likely no longer holds.
    """
    framework = assessment_framework(assessment)
    codes = set(
        assessment.answers.filter(carried_over=True).values_list("question__code", flat=True)
    )
    if done is None:  # the caller may have read it already (``marked_done_since``)
        done = marked_done_since(assessment)
    done = done & codes
    ordered = [
        question
        for pillar in framework.pillars
        for question in framework.pillar_questions(pillar.key)
        if question.id in codes
    ]
    return sorted(ordered, key=lambda question: question.id not in done)
