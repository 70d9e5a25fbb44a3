"""Reads: the one place that turns stored rows into plain data for export and scoring."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Prefetch

import scoring

from .models import Answer, Assessment, FrameworkVersion, Pillar, Question


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
        Prefetch("pillar_weights", queryset=framework_weights_queryset())
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


def framework_weights_queryset():
    from .models import SectorPillarWeight

    return SectorPillarWeight.objects.select_related("pillar").order_by("pillar__position")


def _keyed(row) -> dict:
    return {"key": row.key, "name": row.name, "description": row.description}


def _question(q: Question) -> dict:
    recommendations = {r.sector_key: r.text for r in q.recommendations.all()}
    ordered = {"general": recommendations.pop("general", "")}
    ordered.update(sorted(recommendations.items()))
    return {
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


# --- Scoring inputs -------------------------------------------------------------


_SCORING_FRAMEWORKS: dict[tuple[int, str], scoring.Framework] = {}
_SCORING_FRAMEWORKS_MAX = 16


def scoring_framework(
    framework: FrameworkVersion, *, frozen: bool | None = None
) -> scoring.Framework:
    """The framework as the scoring package reads it.

    Cached per process once a version is in use: such a version is frozen, so
    the cache can never go stale. A version nobody uses yet may still be
    edited in the admin, so it is read afresh. Callers scoring an assessment
    pass ``frozen=True``: the assessment itself proves the version is in use.
    """
    if frozen is None:
        frozen = framework.is_locked
    if not frozen:
        return scoring.framework_from_dict(framework_export(framework))
    key = (framework.pk, framework.checksum)
    cached = _SCORING_FRAMEWORKS.get(key)
    if cached is None:
        if len(_SCORING_FRAMEWORKS) >= _SCORING_FRAMEWORKS_MAX:
            _SCORING_FRAMEWORKS.clear()
        cached = _SCORING_FRAMEWORKS[key] = scoring.framework_from_dict(framework_export(framework))
    return cached


def clear_scoring_framework_cache() -> None:
    """Forget every cached framework version (scoring and questionnaire)."""
    _SCORING_FRAMEWORKS.clear()
    _QUESTIONNAIRES.clear()


# --- The questionnaire's layout ---------------------------------------------------


@dataclass(frozen=True)
class Questionnaire:
    """A framework version's sections, questions and choices, in the order the pages print them.

    Questions carry their level and their options (prefetched), so a section
    page reads the framework without a query once the version is cached.
    Treat the rows as read-only: one instance serves every request in the process.
    """

    pillars: tuple[Pillar, ...]
    questions_by_pillar: dict[int, tuple[Question, ...]]
    pillar_of_question: dict[int, int] = field(repr=False)

    def pillar(self, key: str) -> Pillar | None:
        return next((p for p in self.pillars if p.key == key), None)

    def questions(self, pillar: Pillar) -> tuple[Question, ...]:
        return self.questions_by_pillar.get(pillar.pk, ())

    @property
    def total(self) -> int:
        return len(self.pillar_of_question)


_QUESTIONNAIRES: dict[tuple[int, str], Questionnaire] = {}


def questionnaire(framework: FrameworkVersion, *, frozen: bool | None = None) -> Questionnaire:
    """The questionnaire of a framework version; cached per process once the version is in use.

    The same rule as ``scoring_framework``: a version with assessments is
    frozen, so its cached layout cannot go stale. Callers holding an
    assessment pass ``frozen=True``.
    """
    if frozen is None:
        frozen = framework.is_locked
    key = (framework.pk, framework.checksum)
    cached = _QUESTIONNAIRES.get(key) if frozen else None
    if cached is None:
        cached = _questionnaire_read(framework)
        if frozen:
            if len(_QUESTIONNAIRES) >= _SCORING_FRAMEWORKS_MAX:
                _QUESTIONNAIRES.clear()
            _QUESTIONNAIRES[key] = cached
    return cached


def _questionnaire_read(framework: FrameworkVersion) -> Questionnaire:
    pillars = tuple(Pillar.objects.filter(framework=framework).order_by("position"))
    questions = (
        Question.objects.filter(framework=framework)
        .select_related("level")
        .prefetch_related("options")
        .order_by("level__position", "position")
    )
    by_pillar: dict[int, list[Question]] = {p.pk: [] for p in pillars}
    for question in questions:
        by_pillar[question.pillar_id].append(question)
    return Questionnaire(
        pillars=pillars,
        questions_by_pillar={pk: tuple(rows) for pk, rows in by_pillar.items()},
        pillar_of_question={q.pk: pk for pk, rows in by_pillar.items() for q in rows},
    )


def assessment_answers(assessment: Assessment) -> dict:
    """Answers as the scoring package reads them: {question id: value | "na" | "dont_know"}."""
    rows = Answer.objects.filter(assessment=assessment, kind__isnull=False).values_list(
        "question__code", "kind", "value"
    )
    return {code: (value if kind == Answer.Kind.OPTION else kind) for code, kind, value in rows}


def assessment_result(assessment: Assessment) -> scoring.Result:
    """Score an assessment as it stands (provisional until it is submitted)."""
    return scoring.score(
        scoring_framework(assessment.framework, frozen=True),
        assessment_answers(assessment),
        assessment.sector,
    )


def unanswered_questions(assessment: Assessment) -> list[Question]:
    """Questions with no answer yet, in questionnaire order."""
    answered = Answer.objects.filter(assessment=assessment, kind__isnull=False).values(
        "question_id"
    )
    return list(
        Question.objects.filter(framework=assessment.framework_id)
        .exclude(pk__in=answered)
        .select_related("pillar", "level")
        .order_by("position")
    )


def assessment_progress(assessment: Assessment) -> tuple[int, int]:
    """(answered, total) questions."""
    total = Question.objects.filter(framework=assessment.framework_id).count()
    answered = Answer.objects.filter(assessment=assessment, kind__isnull=False).count()
    return answered, total


class AnswerState(NamedTuple):
    """An answer as the questionnaire shows it: read as plain values, not model objects.

    Has the attributes of Answer that the questionnaire reads (``choice_of``,
    the form's stale-write fields), at a third of the cost per row.
    """

    question_id: int
    kind: str | None
    value: int | None
    note: str
    revision: int


def answer_states(assessment: Assessment) -> list[AnswerState]:
    """Every answer of the assessment, for the questionnaire pages."""
    rows = Answer.objects.filter(assessment=assessment).values_list(*AnswerState._fields)
    return [AnswerState(*row) for row in rows]
