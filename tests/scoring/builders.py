"""Small frameworks built in code, so each test shows exactly what it scores."""

from scoring import Framework, LevelDef, OptionDef, PillarDef, QuestionDef, SectorDef

PILLARS = ("operational", "financial")
LEVELS = ("fundamentals", "intermediate", "advanced")


def question(
    qid: str,
    pillar: str = "operational",
    level: str = "fundamentals",
    *,
    weight: float = 1.0,
    allow_na: bool = False,
    options: tuple = (0, 1, 2, 3, 4),
    effort: str = "medium",
) -> QuestionDef:
    """A question on the 0-4 scale; options default to every whole value."""
    return QuestionDef(
        id=qid,
        pillar=pillar,
        level=level,
        text=f"Question {qid}?",
        weight=weight,
        allow_na=allow_na,
        options=tuple(OptionDef(value, f"option {value}") for value in options),
        effort=effort,
        recommendations={"general": f"Advice for {qid}."},
    )


def framework(
    *questions: QuestionDef,
    pillars: tuple = PILLARS,
    levels: tuple = LEVELS,
    sectors: dict | None = None,
    threshold: float = 70,
    scale: tuple = (0, 4),
) -> Framework:
    """A framework of these questions; sectors map key -> pillar weights."""
    return Framework(
        version="test",
        name="Test framework",
        scale_min=scale[0],
        scale_max=scale[1],
        maturity_threshold=threshold,
        pillars=tuple(PillarDef(key, f"{key.title()} resilience") for key in pillars),
        levels=tuple(LevelDef(key, key.title()) for key in levels),
        sectors=tuple(
            SectorDef(key, key.title(), weights) for key, weights in (sectors or {}).items()
        ),
        questions=questions,
    )


def level_ladder(fundamentals: float, intermediate: float, advanced: float) -> tuple:
    """One operational question per level, answered so each level scores as given.

    Uses a 0-10 scale, so scores are multiples of 10; returns (framework, answers).
    """
    every_value = tuple(range(11))
    fw = framework(
        question("OP-F-01", level="fundamentals", options=every_value),
        question("OP-I-01", level="intermediate", options=every_value),
        question("OP-A-01", level="advanced", options=every_value),
        pillars=("operational",),
        scale=(0, 10),
    )
    answers = {
        "OP-F-01": fundamentals // 10,
        "OP-I-01": intermediate // 10,
        "OP-A-01": advanced // 10,
    }
    return fw, answers


def schema_dict() -> dict:
    """A framework in the file schema (PRODUCT.md section 2), as the loader reads it."""
    return {
        "version": "2026.1",
        "name": "Schema test",
        "scale": {"min": 0, "max": 4},
        "maturity_threshold": 70,
        "pillars": [
            {"key": "operational", "name": "Operational", "description": "Keeps running"},
            {"key": "financial", "name": "Financial"},
        ],
        "levels": [
            {"key": "fundamentals", "name": "Fundamentals"},
            {"key": "intermediate", "name": "Intermediate"},
            {"key": "advanced", "name": "Advanced"},
        ],
        "sectors": [
            {
                "key": "retail",
                "name": "Retail",
                "pillar_weights": {"operational": 1.2, "financial": 0.8},
            }
        ],
        "questions": [
            {
                "id": "OP-F-01",
                "pillar": "operational",
                "level": "fundamentals",
                "component": "Continuity",
                "title": "Write a continuity plan",
                "text": "Do you have a plan?",
                "help": "Written counts.",
                "weight": 2.0,
                "allow_na": False,
                "options": [
                    {"value": 0, "label": "No"},
                    {"value": 2, "label": "Partly"},
                    {"value": 4, "label": "Yes"},
                ],
                "recommendations": {"general": "Write one.", "retail": "Write one for the shop."},
                "effort": "low",
            },
            {
                "id": "FI-F-01",
                "pillar": "financial",
                "level": "fundamentals",
                "title": "Build a cash reserve",
                "text": "Do you have reserves?",
                "allow_na": True,
                "options": [{"value": 0, "label": "No"}, {"value": 4, "label": "Yes"}],
                "recommendations": {"general": "Save."},
            },
        ],
    }
