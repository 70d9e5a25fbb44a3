"""Helpers for the questionnaire tests: URLs, stored answers, and posts as the pages send them."""

from django.urls import reverse

from assessments import services
from assessments.models import Answer


def section_url(assessment, pillar="operational"):
    return reverse("questionnaire:section", args=[assessment.pk, pillar])


def autosave_url(assessment, code):
    return reverse("questionnaire:answer_autosave", args=[assessment.pk, code])


def answers_of(assessment):
    return {
        a.question.code: (a.kind, a.value, a.note)
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }


def answer_all(assessment, user, choice="2"):
    codes = assessment.framework.questions.values_list("code", flat=True)
    services.answers_save(
        assessment=assessment,
        answers=[services.AnswerInput(question_code=c, choice=choice) for c in codes],
        user=user,
    )


def section_post(assessment, answers: dict, notes: dict | None = None, **extra):
    """A POST as the section form sends it, with the page's hidden fields."""
    stored = {
        a.question.code: a
        for a in Answer.objects.filter(assessment=assessment).select_related("question")
    }
    data = {}
    codes = assessment.framework.questions.filter(pillar__key="operational").values_list(
        "code", flat=True
    )
    for code in codes:
        a = stored.get(code)
        data[f"rev-{code}"] = str(a.revision if a else 0)
        orig = (
            "" if a is None or a.kind is None else (str(a.value) if a.kind == "option" else a.kind)
        )
        data[f"orig-{code}"] = orig
        data[f"orignote-{code}"] = a.note if a else ""
        data[f"q-{code}"] = answers.get(code, orig)
        data[f"note-{code}"] = (notes or {}).get(code, a.note if a else "")
    data.update(extra)
    return data
