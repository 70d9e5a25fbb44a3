"""Turn outside data into scoring inputs, refusing what the engine cannot score.

``framework_from_dict`` is the one translation point from the framework schema
(PRODUCT.md section 2, as the YAML source or the JSON export) to a
``Framework``; it ignores fields it does not use. ``validate_answers`` checks
an answer set against a framework. Every refusal is a ``ScoringInputError``
whose message is one line naming the problem.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import yaml

from scoring.model import (
    DEFAULT_EFFORT,
    DONT_KNOW,
    NOT_APPLICABLE,
    Answers,
    Framework,
    LevelDef,
    OptionDef,
    PillarDef,
    QuestionDef,
    ScoringInputError,
    SectorDef,
    format_number,
    is_number,
)

__all__ = [
    "ScoringInputError",
    "framework_from_dict",
    "load_answers_file",
    "load_framework_file",
    "validate_answers",
]

DEFAULT_THRESHOLD = 70.0


def _plain(value):
    """A Decimal (as Django's DecimalField gives) as a float; anything else unchanged."""
    return float(value) if isinstance(value, Decimal) else value


def framework_from_dict(data: Mapping) -> Framework:
    """Build a Framework from the schema dict; extra keys are ignored.

    Defaults: question weight 1.0, allow_na false, effort "medium",
    maturity_threshold 70, no sectors. A pillar or level may be given as a
    bare key string. Raises ScoringInputError naming the field or question.
    """
    if not isinstance(data, Mapping):
        raise ScoringInputError(
            "the framework must be a mapping with scale, pillars, levels and questions"
        )
    for name in ("scale", "pillars", "levels", "questions"):
        if name not in data:
            raise ScoringInputError(f"missing required field '{name}'")
    scale = data["scale"]
    if not isinstance(scale, Mapping) or "min" not in scale or "max" not in scale:
        raise ScoringInputError("'scale' needs numbers 'min' and 'max'")
    return Framework(
        version=str(data.get("version") or ""),
        name=str(data.get("name") or ""),
        scale_min=_plain(scale["min"]),
        scale_max=_plain(scale["max"]),
        maturity_threshold=_plain(data.get("maturity_threshold", DEFAULT_THRESHOLD)),
        pillars=tuple(_keyed(PillarDef, "pillars", item) for item in _list(data, "pillars")),
        levels=tuple(_keyed(LevelDef, "levels", item) for item in _list(data, "levels")),
        sectors=tuple(_sector(item) for item in _list(data, "sectors", required=False)),
        questions=tuple(
            _question(index, item) for index, item in enumerate(_list(data, "questions"), start=1)
        ),
    )


def _list(data: Mapping, name: str, required: bool = True) -> list:
    items = data.get(name)
    if items is None and not required:
        return []
    if not isinstance(items, list):
        raise ScoringInputError(f"'{name}' must be a list")
    return items


def _keyed(cls, field_name: str, item):
    # The schema's shorthand `pillars: [{key: operational, ...}, financial]` allows a bare key.
    if isinstance(item, str):
        return cls(key=item, name=item)
    if not isinstance(item, Mapping) or not isinstance(item.get("key"), str):
        raise ScoringInputError(f"{field_name}: every entry needs a 'key'")
    key = item["key"]
    return cls(
        key=key,
        name=str(item.get("name") or key),
        description=str(item.get("description") or ""),
    )


def _sector(item) -> SectorDef:
    if not isinstance(item, Mapping) or not isinstance(item.get("key"), str):
        raise ScoringInputError("sectors: every entry needs a 'key'")
    weights = item.get("pillar_weights") or {}
    if not isinstance(weights, Mapping):
        raise ScoringInputError(f"sector '{item['key']}': 'pillar_weights' must be a mapping")
    return SectorDef(
        key=item["key"],
        name=str(item.get("name") or item["key"]),
        pillar_weights={pillar: _plain(weight) for pillar, weight in weights.items()},
    )


def _question(index: int, item) -> QuestionDef:
    if not isinstance(item, Mapping) or item.get("id") in (None, ""):
        raise ScoringInputError(f"question {index}: missing 'id'")
    qid = str(item["id"])
    for name in ("pillar", "level"):
        if name not in item:
            raise ScoringInputError(f"question '{qid}': missing '{name}'")
    allow_na = item.get("allow_na", False)
    if not isinstance(allow_na, bool):
        raise ScoringInputError(f"question '{qid}': allow_na must be true or false")
    options = item.get("options")
    if not isinstance(options, list):
        raise ScoringInputError(f"question '{qid}': 'options' must be a list")
    recommendations = item.get("recommendations") or {}
    if not isinstance(recommendations, Mapping):
        raise ScoringInputError(f"question '{qid}': 'recommendations' must be a mapping")
    # Which old questions this one replaces matters for comparing versions, not for scores.
    replaces = item.get("replaces", [])
    if not isinstance(replaces, list) or not all(isinstance(old, str) for old in replaces):
        raise ScoringInputError(f"question '{qid}': 'replaces' must be a list of question ids")
    return QuestionDef(
        id=qid,
        pillar=item["pillar"],
        level=item["level"],
        text=str(item.get("text") or ""),
        component=str(item.get("component") or ""),
        weight=1.0 if item.get("weight") is None else _plain(item["weight"]),
        allow_na=allow_na,
        options=tuple(_option(qid, option) for option in options),
        effort=item.get("effort") or DEFAULT_EFFORT,
        help=str(item.get("help") or ""),
        recommendations={str(k): str(v) for k, v in recommendations.items()},
    )


def _option(qid: str, item) -> OptionDef:
    value = _plain(item.get("value")) if isinstance(item, Mapping) else None
    if not is_number(value):
        raise ScoringInputError(f"question '{qid}': every option needs a number 'value'")
    return OptionDef(value=value, label=str(item.get("label") or value))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScoringInputError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise ScoringInputError(
            f"{path}: cannot read the file ({exc.strerror or type(exc).__name__})"
        ) from None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _parse_json(text: str, path: Path):
    def no_duplicates(pairs):
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise ScoringInputError(f"{path}: key '{key}' appears twice")
            seen[key] = value
        return seen

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise ScoringInputError(f"{path}: line {exc.lineno}: invalid JSON ({exc.msg})") from None


def _looks_like_json(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return True
    if suffix in (".yaml", ".yml"):
        return False
    # No telling extension: a JSON export starts with "{"; YAML sources do not.
    return text.lstrip().startswith("{")


def load_framework_file(path: str | Path) -> Framework:
    """Read a framework from its YAML source or JSON export.

    The format follows the extension (.json, .yaml/.yml), else the content.
    Errors start with the file name.
    """
    path = Path(path)
    text = _read_text(path)
    if _looks_like_json(path, text):
        data = _parse_json(text, path)
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise ScoringInputError(
                f"{path}: {where}YAML syntax error ({_one_line(problem)})"
            ) from None
    try:
        return framework_from_dict(data)
    except ScoringInputError as exc:
        raise ScoringInputError(f"{path}: {exc}") from None


def load_answers_file(path: str | Path) -> dict:
    """Read an answers file: a JSON object mapping question id to answer.

    Checks the shape only; ``validate_answers`` checks the content.
    """
    path = Path(path)
    data = _parse_json(_read_text(path), path)
    if not isinstance(data, dict):
        raise ScoringInputError(f"{path}: expected a JSON object mapping question ids to answers")
    return data


def validate_answers(framework: Framework, answers: Answers) -> None:
    """Raise ScoringInputError on the first answer the framework cannot score.

    Accepted: one of the question's option values, "dont_know", "na" where
    the question allows it, and None (unanswered).
    """
    if not isinstance(answers, Mapping):
        raise ScoringInputError("answers must map question ids to answers")
    questions = framework.questions_by_id
    for qid, answer in answers.items():
        question = questions.get(qid)
        if question is None:
            raise ScoringInputError(f"unknown question id {_quote(qid)}")
        if answer is None or answer == DONT_KNOW:
            continue
        if answer == NOT_APPLICABLE:
            if not question.allow_na:
                raise ScoringInputError(f"question '{qid}': \"na\" is not allowed here")
            continue
        if isinstance(answer, str):
            raise ScoringInputError(
                f"question '{qid}': unknown answer {_quote(answer)} "
                f'(expected an option value, "na" or "dont_know")'
            )
        if not is_number(answer):
            raise ScoringInputError(
                f"question '{qid}': answer {json.dumps(answer, default=repr)} is not an "
                f'option value, "na" or "dont_know"'
            )
        if not framework.scale_min <= answer <= framework.scale_max:
            raise ScoringInputError(
                f"question '{qid}': value {format_number(answer)} is off the scale "
                f"{format_number(framework.scale_min)}..{format_number(framework.scale_max)}"
            )
        if answer not in question.option_values:
            allowed = ", ".join(format_number(o.value) for o in question.options)
            raise ScoringInputError(
                f"question '{qid}': value {format_number(answer)} is not one of its "
                f"options ({allowed})"
            )


def _quote(value) -> str:
    # repr() quotes like '…', and escapes control characters so the message stays one line.
    return repr(value) if isinstance(value, str) else repr(str(value))
