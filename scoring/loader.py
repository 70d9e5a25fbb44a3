"""Turn outside data into scoring inputs, refusing what the engine cannot score.

``framework_from_dict`` is the one reader of the framework schema (PRODUCT.md
section 2, as the YAML source or the JSON export), for ``import_framework``
and ``python -m scoring`` alike; it ignores fields it does not use.
``framework_to_dict`` writes a ``Framework`` back in the schema. ``validate_answers`` checks
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
    TITLE_MAX_LENGTH,
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
from scoring.profile import TRAITS, unknown_traits

__all__ = [
    "ScoringInputError",
    "framework_from_dict",
    "framework_to_dict",
    "load_answers_file",
    "load_framework_file",
    "validate_answers",
]

DEFAULT_THRESHOLD = 70.0
GENERAL = "general"


def _plain(value):
    """A Decimal (as Django's DecimalField gives) as a float; anything else unchanged."""
    return float(value) if isinstance(value, Decimal) else value


def framework_from_dict(data: Mapping) -> Framework:
    """Build a Framework from the schema dict, refusing anything an import would refuse.

    This is the one reader of the framework schema: ``import_framework``
    and ``python -m scoring`` both use it. Defaults: question weight 1.0,
    allow_na false, effort "medium", maturity_threshold 70; unknown fields
    are ignored. Raises ScoringInputError naming the field or question.
    """
    if not isinstance(data, Mapping):
        raise ScoringInputError(
            "the framework must be a mapping with version, scale, pillars, levels and questions"
        )
    for name in ("version", "name", "scale", "pillars", "levels", "questions"):
        if name not in data:
            raise ScoringInputError(f"missing required field '{name}'")
    if not isinstance(data["version"], str) or not data["version"].strip():
        raise ScoringInputError("'version' must be a quoted string such as \"2026.1\"")
    scale = data["scale"]
    if not isinstance(scale, Mapping) or not all(_is_whole(scale.get(e)) for e in ("min", "max")):
        raise ScoringInputError("'scale' needs whole numbers 'min' and 'max'")
    pillars = tuple(_keyed(PillarDef, "pillars", item) for item in _list(data, "pillars"))
    sectors = tuple(_sector(item) for item in _list(data, "sectors", required=False))
    sector_keys = {sector.key for sector in sectors} | {GENERAL}
    questions = tuple(
        _question(index, item, sector_keys)
        for index, item in enumerate(_list(data, "questions"), start=1)
    )
    ids = {question.id for question in questions}
    titled: dict[str, str] = {}
    for question in questions:
        # Each title names one action of the plan: two alike would read as one action twice.
        other = titled.setdefault(question.title.casefold(), question.id)
        if other != question.id:
            raise ScoringInputError(
                f"question '{question.id}': the title '{question.title}' is also question "
                f"'{other}''s; each action needs its own"
            )
    for question in questions:
        # A replaced question belongs to an older version; replacing a live one is a typo.
        for old in question.replaces:
            if old in ids:
                raise ScoringInputError(
                    f"question '{question.id}': replaces '{old}', which is still a question "
                    "in this file"
                )
    return Framework(
        version=data["version"].strip(),
        name=_text(data["name"]),
        scale_min=scale["min"],
        scale_max=scale["max"],
        maturity_threshold=_plain(data.get("maturity_threshold", DEFAULT_THRESHOLD)),
        pillars=pillars,
        levels=tuple(_keyed(LevelDef, "levels", item) for item in _list(data, "levels")),
        sectors=sectors,
        questions=questions,
    )


def framework_to_dict(framework: Framework) -> dict:
    """The framework in the file schema: what an export prints and an import fingerprints."""
    return {
        "version": framework.version,
        "name": framework.name,
        "scale": {"min": framework.scale_min, "max": framework.scale_max},
        "maturity_threshold": float(framework.maturity_threshold),
        "pillars": [_keyed_dict(p) for p in framework.pillars],
        "levels": [_keyed_dict(lv) for lv in framework.levels],
        "sectors": [
            {
                **_keyed_dict(s),
                "pillar_weights": {
                    p: float(s.pillar_weights[p])
                    for p in framework.pillar_keys
                    if p in s.pillar_weights
                },
            }
            for s in framework.sectors
        ],
        "questions": [
            {
                "id": q.id,
                "pillar": q.pillar,
                "level": q.level,
                "component": q.component,
                "title": q.title,
                "text": q.text,
                "help": q.help,
                "weight": float(q.weight),
                "allow_na": q.allow_na,
                "effort": q.effort,
                "options": [{"value": o.value, "label": o.label} for o in q.options],
                "recommendations": dict(q.recommendations),
                # Only when present, so older files keep the checksum they were imported with.
                **({"replaces": list(q.replaces)} if q.replaces else {}),
                **({"applies_when": dict(q.applies_when)} if q.applies_when else {}),
                **({"about_site": True} if q.about_site else {}),
            }
            for q in framework.questions
        ],
    }


def _keyed_dict(item) -> dict:
    return {"key": item.key, "name": item.name, "description": item.description}


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list(data: Mapping, name: str, required: bool = True) -> list:
    items = data.get(name)
    if items is None and not required:
        return []
    if not isinstance(items, list) or (required and not items):
        raise ScoringInputError(f"'{name}' must be a non-empty list")
    return items


def _keyed(cls, field_name: str, item):
    if not isinstance(item, Mapping) or not _text(item.get("key")) or not _text(item.get("name")):
        raise ScoringInputError(f"{field_name}: every entry needs a 'key' and a 'name'")
    return cls(
        key=_text(item["key"]),
        name=_text(item["name"]),
        description=_text(item.get("description")),
    )


def _sector(item) -> SectorDef:
    sector = _keyed(SectorDef, "sectors", item)
    weights = item.get("pillar_weights") or {}
    if not isinstance(weights, Mapping):
        raise ScoringInputError(f"sector '{sector.key}': 'pillar_weights' must be a mapping")
    return SectorDef(
        key=sector.key,
        name=sector.name,
        description=sector.description,
        pillar_weights={pillar: _plain(weight) for pillar, weight in weights.items()},
    )


def _question(index: int, item, sector_keys: set[str]) -> QuestionDef:
    if not isinstance(item, Mapping) or not _text(str(item.get("id") or "")):
        raise ScoringInputError(f"question {index}: missing 'id'")
    qid = _text(str(item["id"]))
    for name in ("pillar", "level"):
        if name not in item:
            raise ScoringInputError(f"question '{qid}': missing '{name}'")
    if not _text(item.get("text")):
        raise ScoringInputError(f"question '{qid}': 'text' is empty")
    allow_na = item.get("allow_na", False)
    if not isinstance(allow_na, bool):
        raise ScoringInputError(f"question '{qid}': allow_na must be true or false")
    options = item.get("options")
    if not isinstance(options, list) or len(options) < 2:
        raise ScoringInputError(f"question '{qid}': needs a list of at least two options")
    title = _text(item.get("title"))
    if not title:
        raise ScoringInputError(
            f"question '{qid}': missing 'title', the action's short name in the plan"
        )
    if len(title) > TITLE_MAX_LENGTH:
        raise ScoringInputError(
            f"question '{qid}': the title has {len(title)} characters; keep it to "
            f"{TITLE_MAX_LENGTH}"
        )
    replaces = item.get("replaces", [])
    if not isinstance(replaces, list) or not all(_text(old) for old in replaces):
        raise ScoringInputError(f"question '{qid}': 'replaces' must be a list of question ids")
    about_site = item.get("about_site", False)
    if not isinstance(about_site, bool):
        raise ScoringInputError(f"question '{qid}': about_site must be true or false")
    return QuestionDef(
        id=qid,
        pillar=item["pillar"],
        level=item["level"],
        text=_text(item["text"]),
        component=_text(item.get("component")),
        title=title,
        weight=1.0 if item.get("weight") is None else _plain(item["weight"]),
        allow_na=allow_na,
        options=_options(qid, options),
        effort=item.get("effort") or DEFAULT_EFFORT,
        help=_text(item.get("help")),
        recommendations=_recommendations(qid, item.get("recommendations"), sector_keys),
        replaces=tuple(old.strip() for old in replaces),
        applies_when=_applies_when(qid, item.get("applies_when")),
        about_site=about_site,
    )


def _applies_when(qid: str, conditions) -> dict[str, bool]:
    """Which profiles are asked the question: trait -> the value it must have."""
    if conditions is None:
        return {}
    if not isinstance(conditions, Mapping):
        raise ScoringInputError(f"question '{qid}': applies_when must map traits to true or false")
    for name in unknown_traits(conditions):
        raise ScoringInputError(
            f"question '{qid}': applies_when names unknown trait '{name}' "
            f"(known: {', '.join(TRAITS)})"
        )
    for name, wanted in conditions.items():
        if not isinstance(wanted, bool):
            raise ScoringInputError(
                f"question '{qid}': applies_when '{name}' must be true or false"
            )
    return dict(conditions)


def _options(qid: str, items: list) -> tuple[OptionDef, ...]:
    options, values = [], set()
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Mapping) or not _is_whole(item.get("value")):
            raise ScoringInputError(
                f"question '{qid}': option {index} needs a whole-number 'value'"
            )
        if not _text(item.get("label")):
            raise ScoringInputError(f"question '{qid}': option {index} needs a 'label'")
        if item["value"] in values:
            raise ScoringInputError(f"question '{qid}': option value {item['value']} appears twice")
        values.add(item["value"])
        options.append(OptionDef(value=item["value"], label=_text(item["label"])))
    return tuple(options)


def _recommendations(qid: str, advice, sector_keys: set[str]) -> dict[str, str]:
    """The advice per sector or trait: general first, the sectors alphabetically, then the
    traits in the file's order (``choose_advice`` takes the first trait that fits)."""
    if not isinstance(advice, Mapping):
        raise ScoringInputError(f"question '{qid}': 'recommendations' must map sectors to advice")
    if not _text(advice.get(GENERAL)):
        raise ScoringInputError(f"question '{qid}': missing general recommendation")
    for sector, text in advice.items():
        if sector not in sector_keys and sector not in TRAITS:
            raise ScoringInputError(
                f"question '{qid}': recommendation for '{sector}', which is neither a sector "
                f"nor a trait (sectors: {', '.join(sorted(sector_keys))}; "
                f"traits: {', '.join(TRAITS)})"
            )
        if not _text(text):
            raise ScoringInputError(f"question '{qid}': the '{sector}' recommendation is empty")
    ordered = {GENERAL: _text(advice[GENERAL])}
    ordered.update(sorted((k, _text(v)) for k, v in advice.items() if k in sector_keys - {GENERAL}))
    ordered.update((k, _text(v)) for k, v in advice.items() if k in TRAITS and k not in ordered)
    return ordered


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
        raise ScoringInputError(
            f"{path}: line {exc.lineno}: JSON syntax error ({exc.msg})"
        ) from None


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
