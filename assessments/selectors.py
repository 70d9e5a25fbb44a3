"""Reads: the one place that turns stored rows into plain data for export and scoring."""

from __future__ import annotations

from django.db.models import Prefetch

import scoring

from .models import Answer, Assessment, FrameworkVersion, Question


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
    _SCORING_FRAMEWORKS.clear()


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
