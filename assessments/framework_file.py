"""Reading and validating a framework file (YAML or JSON) before anything is written.

``parse_framework_file`` returns the framework as a normalized dict, the same
shape ``selectors.framework_export`` produces, or raises FrameworkFileError
with one line that names the file, the question id or line, and the problem.
"""

import hashlib
import json
from pathlib import Path

import yaml

EFFORTS = ("low", "medium", "high")
GENERAL = "general"

ERR_UNREADABLE = "cannot read the file ({reason})"
ERR_YAML_SYNTAX = "line {line}: YAML syntax error: {problem}"
ERR_JSON_SYNTAX = "line {line}: JSON syntax error: {problem}"
ERR_NOT_MAPPING = "the file must hold a mapping with version, scale, pillars, levels and questions"
ERR_MISSING = "missing required field '{field}'"
ERR_VERSION = "'version' must be a quoted string such as \"2026.1\""
ERR_SCALE = "'scale' must have whole numbers min < max"
ERR_THRESHOLD = "'maturity_threshold' must be a number from 0 to 100"
ERR_EMPTY_LIST = "'{field}' must be a non-empty list"
ERR_KEY = "{field} entry {index}: needs a 'key' and a 'name'"
ERR_DUPLICATE_KEY = "{field}: duplicate key '{key}'"
ERR_SECTOR_PILLAR = "sector '{sector}': unknown pillar '{pillar}' in pillar_weights"
ERR_SECTOR_WEIGHT = "sector '{sector}': weight of '{pillar}' must be a positive number"
ERR_QUESTION_ID = "question {index}: needs an 'id'"
ERR_DUPLICATE_ID = "question {qid}: duplicate id"
ERR_UNKNOWN_PILLAR = "question {qid}: unknown pillar '{pillar}'"
ERR_UNKNOWN_LEVEL = "question {qid}: unknown level '{level}'"
ERR_TEXT = "question {qid}: 'text' is empty"
ERR_WEIGHT = "question {qid}: weight must be a positive number"
ERR_ALLOW_NA = "question {qid}: allow_na must be true or false"
ERR_EFFORT = "question {qid}: effort must be one of low, medium, high"
ERR_OPTIONS = "question {qid}: needs at least two options"
ERR_OPTION_SHAPE = "question {qid}: option {index} needs a whole-number 'value' and a 'label'"
ERR_OPTION_SCALE = "question {qid}: option value {value} is off the scale {min}..{max}"
ERR_OPTION_DUPLICATE = "question {qid}: option value {value} appears twice"
ERR_RECOMMENDATIONS = "question {qid}: 'recommendations' must map sector keys to advice"
ERR_NO_GENERAL = "question {qid}: missing general recommendation"
ERR_UNKNOWN_SECTOR = "question {qid}: recommendation for unknown sector '{sector}'"
ERR_EMPTY_RECOMMENDATION = "question {qid}: the '{sector}' recommendation is empty"
ERR_REPLACES = "question {qid}: 'replaces' must be a list of old question ids"
ERR_REPLACES_LIVE = "question {qid}: replaces '{old}', which is still a question in this file"


class FrameworkFileError(ValueError):
    """A framework file that cannot be imported; str() is the one-line reason."""


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def load_raw(path: Path) -> object:
    """Read YAML or JSON (JSON is YAML too, but its own parser gives clearer errors)."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkFileError(ERR_UNREADABLE.format(reason=exc.__class__.__name__)) from exc
    if path.suffix.lower() == ".json":
        try:
            return json.loads(content)
        except json.JSONDecodeError as exc:
            raise FrameworkFileError(
                ERR_JSON_SYNTAX.format(line=exc.lineno, problem=exc.msg)
            ) from exc
    try:
        return yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else "?"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrameworkFileError(ERR_YAML_SYNTAX.format(line=line, problem=problem)) from exc


def _keyed_list(data: dict, field: str) -> list[dict]:
    items = data.get(field)
    if not isinstance(items, list) or not items:
        raise FrameworkFileError(ERR_EMPTY_LIST.format(field=field))
    result, seen = [], set()
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not _text(item.get("key")) or not _text(item.get("name")):
            raise FrameworkFileError(ERR_KEY.format(field=field, index=index))
        key = _text(item["key"])
        if key in seen:
            raise FrameworkFileError(ERR_DUPLICATE_KEY.format(field=field, key=key))
        seen.add(key)
        result.append(
            {"key": key, "name": _text(item["name"]), "description": _text(item.get("description"))}
        )
    return result


def validate(data: object) -> dict:
    """Check a parsed framework and return it normalized; raise FrameworkFileError."""
    if not isinstance(data, dict):
        raise FrameworkFileError(ERR_NOT_MAPPING)
    for field in ("version", "name", "scale", "pillars", "levels", "questions"):
        if field not in data:
            raise FrameworkFileError(ERR_MISSING.format(field=field))
    if not isinstance(data["version"], str) or not data["version"].strip():
        raise FrameworkFileError(ERR_VERSION)
    scale = data["scale"]
    if (
        not isinstance(scale, dict)
        or not _is_whole(scale.get("min"))
        or not _is_whole(scale.get("max"))
        or scale["min"] >= scale["max"]
    ):
        raise FrameworkFileError(ERR_SCALE)
    threshold = data.get("maturity_threshold", 70)
    if not _is_number(threshold) or not 0 <= threshold <= 100:
        raise FrameworkFileError(ERR_THRESHOLD)

    pillars = _keyed_list(data, "pillars")
    levels = _keyed_list(data, "levels")
    pillar_keys = [p["key"] for p in pillars]
    sectors = []
    for sector in _keyed_list(data, "sectors") if data.get("sectors") else []:
        raw = next(s for s in data["sectors"] if _text(s.get("key")) == sector["key"])
        weights = raw.get("pillar_weights") or {}
        if not isinstance(weights, dict):
            weights = {}
        for pillar, weight in weights.items():
            if pillar not in pillar_keys:
                raise FrameworkFileError(
                    ERR_SECTOR_PILLAR.format(sector=sector["key"], pillar=pillar)
                )
            if not _is_number(weight) or weight <= 0:
                raise FrameworkFileError(
                    ERR_SECTOR_WEIGHT.format(sector=sector["key"], pillar=pillar)
                )
        sector["pillar_weights"] = {p: float(weights[p]) for p in pillar_keys if p in weights}
        sectors.append(sector)
    sector_keys = {s["key"] for s in sectors} | {GENERAL}

    questions = data["questions"]
    if not isinstance(questions, list) or not questions:
        raise FrameworkFileError(ERR_EMPTY_LIST.format(field="questions"))
    level_keys = [lv["key"] for lv in levels]
    normalized, seen_ids = [], set()
    for index, q in enumerate(questions, start=1):
        normalized.append(
            _validate_question(q, index, seen_ids, pillar_keys, level_keys, sector_keys, scale)
        )
    # A replaced question belongs to an older version; replacing a live one is a typo.
    for q in normalized:
        for old in q.get("replaces", []):
            if old in seen_ids:
                raise FrameworkFileError(ERR_REPLACES_LIVE.format(qid=q["id"], old=old))

    return {
        "version": data["version"].strip(),
        "name": _text(data["name"]),
        "scale": {"min": scale["min"], "max": scale["max"]},
        "maturity_threshold": float(threshold),
        "pillars": pillars,
        "levels": levels,
        "sectors": sectors,
        "questions": normalized,
    }


def _validate_question(q, index, seen_ids, pillar_keys, level_keys, sector_keys, scale) -> dict:
    if not isinstance(q, dict) or not _text(str(q.get("id") or "")):
        raise FrameworkFileError(ERR_QUESTION_ID.format(index=index))
    qid = _text(str(q["id"]))
    if qid in seen_ids:
        raise FrameworkFileError(ERR_DUPLICATE_ID.format(qid=qid))
    seen_ids.add(qid)
    if q.get("pillar") not in pillar_keys:
        raise FrameworkFileError(ERR_UNKNOWN_PILLAR.format(qid=qid, pillar=q.get("pillar")))
    if q.get("level") not in level_keys:
        raise FrameworkFileError(ERR_UNKNOWN_LEVEL.format(qid=qid, level=q.get("level")))
    if not _text(q.get("text")):
        raise FrameworkFileError(ERR_TEXT.format(qid=qid))
    weight = q.get("weight", 1.0)
    if not _is_number(weight) or weight <= 0:
        raise FrameworkFileError(ERR_WEIGHT.format(qid=qid))
    allow_na = q.get("allow_na", False)
    if not isinstance(allow_na, bool):
        raise FrameworkFileError(ERR_ALLOW_NA.format(qid=qid))
    effort = q.get("effort", "medium")
    if effort not in EFFORTS:
        raise FrameworkFileError(ERR_EFFORT.format(qid=qid))

    options = q.get("options")
    if not isinstance(options, list) or len(options) < 2:
        raise FrameworkFileError(ERR_OPTIONS.format(qid=qid))
    clean_options, values = [], set()
    for opt_index, option in enumerate(options, start=1):
        if (
            not isinstance(option, dict)
            or not _is_whole(option.get("value"))
            or not _text(option.get("label"))
        ):
            raise FrameworkFileError(ERR_OPTION_SHAPE.format(qid=qid, index=opt_index))
        value = option["value"]
        if not scale["min"] <= value <= scale["max"]:
            raise FrameworkFileError(
                ERR_OPTION_SCALE.format(qid=qid, value=value, min=scale["min"], max=scale["max"])
            )
        if value in values:
            raise FrameworkFileError(ERR_OPTION_DUPLICATE.format(qid=qid, value=value))
        values.add(value)
        clean_options.append({"value": value, "label": _text(option["label"])})

    recommendations = q.get("recommendations")
    if not isinstance(recommendations, dict):
        raise FrameworkFileError(ERR_RECOMMENDATIONS.format(qid=qid))
    if not _text(recommendations.get(GENERAL)):
        raise FrameworkFileError(ERR_NO_GENERAL.format(qid=qid))
    clean_recs = {}
    for sector, text in recommendations.items():
        if sector not in sector_keys:
            raise FrameworkFileError(ERR_UNKNOWN_SECTOR.format(qid=qid, sector=sector))
        if not _text(text):
            raise FrameworkFileError(ERR_EMPTY_RECOMMENDATION.format(qid=qid, sector=sector))
        clean_recs[sector] = _text(text)
    # General first, then sectors alphabetically, so exports are stable.
    ordered_recs = {GENERAL: clean_recs.pop(GENERAL)}
    ordered_recs.update(sorted(clean_recs.items()))

    replaces = q.get("replaces", [])
    if not isinstance(replaces, list) or not all(_text(old) for old in replaces):
        raise FrameworkFileError(ERR_REPLACES.format(qid=qid))

    question = {
        "id": qid,
        "pillar": q["pillar"],
        "level": q["level"],
        "component": _text(q.get("component")),
        "text": _text(q["text"]),
        "help": _text(q.get("help")),
        "weight": float(weight),
        "allow_na": allow_na,
        "effort": effort,
        "options": clean_options,
        "recommendations": ordered_recs,
    }
    # Only when present, so files without it keep the checksum they were imported with.
    if replaces:
        question["replaces"] = [old.strip() for old in replaces]
    return question


def checksum(framework: dict) -> str:
    """A stable fingerprint of normalized content, to tell a true re-import from a clash."""
    encoded = json.dumps(framework, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def parse_framework_file(path: Path | str) -> dict:
    """Read, validate and normalize; errors name the file first."""
    path = Path(path)
    try:
        return validate(load_raw(path))
    except FrameworkFileError as exc:
        raise FrameworkFileError(f"{path}: {exc}") from exc
