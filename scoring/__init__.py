"""Pure-Python scoring of the SMB Resilience Framework (no Django import).

Frozen dataclasses in (``Framework`` and friends, answers as a plain mapping),
a ``Result`` dataclass out. See docs/scoring.md for the rules in plain words.
"""

from scoring.batch import score_batch
from scoring.carry import carry_over
from scoring.engine import (
    Blocker,
    Gap,
    Maturity,
    PillarResult,
    Result,
    ScoreWarning,
    result_from_dict,
    score,
)
from scoring.loader import (
    ScoringInputError,
    framework_from_dict,
    framework_to_dict,
    load_answers_file,
    load_framework_file,
    validate_answers,
)
from scoring.model import (
    DONT_KNOW,
    DONT_KNOW_LABEL,
    HORIZONS,
    NOT_APPLICABLE,
    NOT_APPLICABLE_LABEL,
    Framework,
    Horizon,
    LevelDef,
    OptionDef,
    PillarDef,
    QuestionDef,
    SectorDef,
)
from scoring.plan import Action, rank_actions

__all__ = [
    "DONT_KNOW",
    "DONT_KNOW_LABEL",
    "HORIZONS",
    "NOT_APPLICABLE",
    "NOT_APPLICABLE_LABEL",
    "Action",
    "Blocker",
    "Framework",
    "Gap",
    "Horizon",
    "LevelDef",
    "Maturity",
    "OptionDef",
    "PillarDef",
    "PillarResult",
    "QuestionDef",
    "Result",
    "ScoreWarning",
    "ScoringInputError",
    "SectorDef",
    "carry_over",
    "framework_from_dict",
    "framework_to_dict",
    "load_answers_file",
    "load_framework_file",
    "rank_actions",
    "result_from_dict",
    "score",
    "score_batch",
    "validate_answers",
]
