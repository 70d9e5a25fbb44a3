"""Reads: the one place that turns stored rows into plain data for export and scoring."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import Prefetch

import scoring

from .models import (
    Answer,
    Assessment,
    FrameworkVersion,
    Level,
    Pillar,
    Question,
    Sector,
    SectorPillarWeight,
)


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


# --- Scoring inputs -------------------------------------------------------------


_SCORING_FRAMEWORKS: dict[tuple[int, str], scoring.Framework] = {}
_QUESTIONNAIRES: dict[tuple[int, str], Questionnaire] = {}
_WHOLE_FRAMEWORKS: dict[tuple[int, str], WholeFramework] = {}
# Versions kept per cache; past this many, a cache starts over.
_FROZEN_VERSIONS_MAX = 16


def _per_frozen_version(store: dict, framework: FrameworkVersion, frozen: bool | None, read):
    """``read(framework)``, kept in ``store`` per process once the version is in use.

    A version in use is frozen, so what is read from it can never go stale.
    A version nobody uses yet may still be edited in the admin, so it is read
    afresh. Callers holding an assessment pass ``frozen=True``: the
    assessment itself proves the version is in use.
    """
    if frozen is None:
        frozen = framework.is_locked
    if not frozen:
        return read(framework)
    key = (framework.pk, framework.checksum)
    cached = store.get(key)
    if cached is None:
        if len(store) >= _FROZEN_VERSIONS_MAX:
            store.clear()
        cached = store[key] = read(framework)
    return cached


def scoring_framework(
    framework: FrameworkVersion, *, frozen: bool | None = None
) -> scoring.Framework:
    """The framework as the scoring package reads it (cached once the version is in use)."""
    return _per_frozen_version(
        _SCORING_FRAMEWORKS,
        framework,
        frozen,
        lambda version: scoring.framework_from_dict(framework_export(version)),
    )


def clear_scoring_framework_cache() -> None:
    """Forget every cached framework version (scoring, questionnaire and report)."""
    _SCORING_FRAMEWORKS.clear()
    _QUESTIONNAIRES.clear()
    _WHOLE_FRAMEWORKS.clear()


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


def questionnaire(framework: FrameworkVersion, *, frozen: bool | None = None) -> Questionnaire:
    """The questionnaire of a framework version (cached once the version is in use)."""
    return _per_frozen_version(_QUESTIONNAIRES, framework, frozen, _questionnaire_read)


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


# --- The whole framework, as a report prints it ----------------------------------


@dataclass(frozen=True)
class WholeFramework:
    """A framework version read whole, for reports: about 700 rows the ORM no longer rebuilds.

    Questions are in position order with their level, options and the
    recommendations of every sector prefetched; sectors carry their pillar
    weights (with the pillar). Treat it as read-only: one instance serves
    every report in the process.
    """

    pillars: tuple[Pillar, ...]
    levels: tuple[Level, ...]
    sectors: dict[str, Sector]
    questions: tuple[Question, ...]


def whole_framework(framework: FrameworkVersion, *, frozen: bool | None = None) -> WholeFramework:
    """The whole framework version (cached once the version is in use)."""
    return _per_frozen_version(_WHOLE_FRAMEWORKS, framework, frozen, _whole_framework_read)


def _whole_framework_read(framework: FrameworkVersion) -> WholeFramework:
    weights = SectorPillarWeight.objects.select_related("pillar")
    sectors = Sector.objects.filter(framework=framework).prefetch_related(
        Prefetch("pillar_weights", queryset=weights)
    )
    questions = (
        Question.objects.filter(framework=framework)
        .select_related("level")
        .prefetch_related("options", "recommendations")
        .order_by("position")
    )
    return WholeFramework(
        pillars=tuple(Pillar.objects.filter(framework=framework).order_by("position")),
        levels=tuple(Level.objects.filter(framework=framework).order_by("position")),
        sectors={sector.key: sector for sector in sectors},
        questions=tuple(questions),
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
    """Every answer of the assessment, for the questionnaire pages.

    Every section page runs this, so the query is written out: the ORM took
    eight times longer to build it than the database took to answer. The
    columns need no conversion (integers and text on every backend).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(AnswerState._fields)} FROM {Answer._meta.db_table}"  # noqa: S608
            " WHERE assessment_id = %s",
            [assessment.pk],
        )
        return [AnswerState(*row) for row in cursor.fetchall()]
