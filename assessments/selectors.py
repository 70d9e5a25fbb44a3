"""Reads: the one place that turns stored rows into plain data for export and scoring."""

from django.db.models import Prefetch

from .models import FrameworkVersion, Question


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
