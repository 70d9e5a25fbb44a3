"""Reads: the one place that turns stored rows into plain data for the questionnaire,
scoring, reports and export."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db.models import Prefetch

import scoring

from .models import Answer, Assessment, FrameworkVersion, Question, SectorPillarWeight


def active_framework() -> FrameworkVersion | None:
    return FrameworkVersion.objects.active().first()


def framework_export(framework: FrameworkVersion) -> dict:
    """The framework as the import file schema, so export → import → export is identical."""
    questions = (
        Question.objects.filter(framework=framework)
        .select_related("pillar", "level")
        .prefetch_related("options", "recommendations")
        .order_by("position")
    )
    sectors = framework.sectors.prefetch_related(
        Prefetch(
            "pillar_weights",
            queryset=SectorPillarWeight.objects.select_related("pillar").order_by(
                "pillar__position"
            ),
        )
    )
    return {
        "version": framework.version,
        "name": framework.name,
        "scale": {"min": framework.scale_min, "max": framework.scale_max},
        "maturity_threshold": float(framework.maturity_threshold),
        "pillars": [_keyed(p) for p in framework.pillars.all()],
        "levels": [_keyed(lv) for lv in framework.levels.all()],
        "sectors": [
            {
                **_keyed(s),
                "pillar_weights": {w.pillar.key: float(w.weight) for w in s.pillar_weights.all()},
            }
            for s in sectors
        ],
        "questions": [_question(q) for q in questions],
    }


def _keyed(row) -> dict:
    return {"key": row.key, "name": row.name, "description": row.description}


def _question(q: Question) -> dict:
    recommendations = {r.sector_key: r.text for r in q.recommendations.all()}
    ordered = {"general": recommendations.pop("general", "")}
    ordered.update(sorted(recommendations.items()))
    exported = {
        "id": q.code,
        "pillar": q.pillar.key,
        "level": q.level.key,
        "component": q.component,
        "text": q.text,
        "help": q.help,
        "weight": float(q.weight),
        "allow_na": q.allow_na,
        "effort": q.effort,
        "options": [{"value": o.value, "label": o.label} for o in q.options.all()],
        "recommendations": ordered,
    }
    if q.replaces:
        exported["replaces"] = q.replaces
    return exported


# --- The framework as one immutable description ---------------------------------


def framework_definition(version: FrameworkVersion) -> scoring.Framework:
    """A framework version as the questionnaire, scoring and reports read it.

    One immutable ``scoring.Framework``: pillars, levels, sectors with their
    weights, questions with their options and advice. A version in use never
    changes (it is frozen), so it is read once per process; a version nobody
    has answered yet may still be edited in the admin, so it is read afresh.
    """
    if version.is_locked:
        return framework_in_use(version.pk, version.checksum)
    return scoring.framework_from_dict(framework_export(version))


def assessment_framework(assessment: Assessment) -> scoring.Framework:
    """The framework an assessment answers: in use, so read once per process."""
    return framework_in_use(assessment.framework_id, assessment.framework.checksum)


@functools.lru_cache(maxsize=16)
def framework_in_use(pk: int, checksum: str) -> scoring.Framework:
    """The description of a version in use, keyed by its id and content checksum."""
    return scoring.framework_from_dict(framework_export(FrameworkVersion.objects.get(pk=pk)))


# --- Answers and progress ----------------------------------------------------------


def assessment_answers(assessment: Assessment) -> dict[str, Answer]:
    """Every stored answer of the assessment, keyed by question id (code)."""
    rows = (
        Answer.objects.filter(assessment=assessment)
        .select_related("question")
        .only("kind", "value", "note", "revision", "carried_over", "question__code")
    )
    return {answer.question.code: answer for answer in rows}


def unconfirmed_questions(assessment: Assessment) -> list[scoring.QuestionDef]:
    """Answers carried over from last time and not yet confirmed, in questionnaire order.

    Those whose action the owner has marked done since come first: the
    answer most likely no longer holds.
    """
    framework = assessment_framework(assessment)
    codes = set(
        assessment.answers.filter(carried_over=True).values_list("question__code", flat=True)
    )
    done = marked_done_since(assessment) & codes
    ordered = [
        question
        for pillar in framework.pillars
        for question in framework.pillar_questions(pillar.key)
        if question.id in codes
    ]
    return sorted(ordered, key=lambda question: question.id not in done)


def marked_done_since(assessment: Assessment) -> set[str]:
    """Ids of questions whose action the owner marked done since the last submission.

    The tracked action plan (issue 17, the ``plans`` app) is not part of this
    code yet: until it is, nothing is marked done.
    """
    return set()


def answered_codes(assessment: Assessment) -> set[str]:
    """The ids of the questions answered so far."""
    return set(
        Answer.objects.filter(assessment=assessment, kind__isnull=False).values_list(
            "question__code", flat=True
        )
    )


@dataclass(frozen=True)
class Progress:
    """How far an assessment is: answered of total, overall and per pillar."""

    answered: int
    total: int
    by_pillar: dict[str, tuple[int, int]]

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def progress(framework: scoring.Framework, answered: set[str]) -> Progress:
    """Progress through ``framework`` given the ids of the answered questions."""
    by_pillar = {}
    for pillar in framework.pillars:
        codes = [q.id for q in framework.pillar_questions(pillar.key)]
        by_pillar[pillar.key] = (sum(1 for code in codes if code in answered), len(codes))
    return Progress(
        answered=sum(done for done, _ in by_pillar.values()),
        total=len(framework.questions),
        by_pillar=by_pillar,
    )


def assessment_progress(assessment: Assessment) -> Progress:
    return progress(assessment_framework(assessment), answered_codes(assessment))


def unanswered_questions(assessment: Assessment) -> list[scoring.QuestionDef]:
    """Questions with no answer yet, in questionnaire order (section by section)."""
    framework = assessment_framework(assessment)
    answered = answered_codes(assessment)
    return [
        question
        for pillar in framework.pillars
        for question in framework.pillar_questions(pillar.key)
        if question.id not in answered
    ]


def scoring_answers(answers: dict[str, Answer]) -> dict:
    """Answers as the scoring package reads them: {question id: value | "na" | "dont_know"}."""
    return {code: a.scoring_value for code, a in answers.items() if a.kind is not None}


def assessment_result(assessment: Assessment) -> scoring.Result:
    """Score an assessment as it stands (provisional until it is submitted)."""
    return scoring.score(
        assessment_framework(assessment),
        scoring_answers(assessment_answers(assessment)),
        assessment.sector,
    )


def stored_result(assessment: Assessment) -> scoring.Result | None:
    """The score snapshot stored at submission, read back as a ``scoring.Result``."""
    if not assessment.is_submitted or not assessment.result:
        return None
    return scoring.result_from_dict(assessment.result)
