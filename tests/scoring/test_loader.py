"""Turning the framework schema and answer sets into scoring inputs, or refusing them."""

import json
from decimal import Decimal

import numpy
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import (
    Framework,
    ScoringInputError,
    framework_from_dict,
    load_framework_file,
    score,
    validate_answers,
)
from scoring.loader import load_answers_file
from tests.conftest import FULL_FRAMEWORK, MINI_FRAMEWORK, NEW_FRAMEWORK
from tests.scoring.builders import schema_dict


def test_schema_dict_becomes_a_framework_with_every_field():
    fw = framework_from_dict(schema_dict())

    assert fw.version == "2026.1"
    assert (fw.scale_min, fw.scale_max, fw.maturity_threshold) == (0, 4, 70)
    assert fw.pillar_keys == ("operational", "financial")
    assert fw.level_keys == ("fundamentals", "intermediate", "advanced")
    assert fw.sector("retail").pillar_weights == {"operational": 1.2, "financial": 0.8}
    plan = fw.question("OP-F-01")
    assert (plan.weight, plan.allow_na, plan.effort) == (2.0, False, "low")
    assert plan.component == "Continuity"
    assert [o.label for o in plan.options] == ["No", "Partly", "Yes"]
    assert plan.recommendation("retail") == "Write one for the shop."
    assert plan.recommendation("manufacturing") == "Write one."


def test_missing_weight_allow_na_and_effort_take_their_defaults():
    data = schema_dict()
    for key in ("weight", "allow_na", "effort"):
        data["questions"][0].pop(key)

    plan = framework_from_dict(data).question("OP-F-01")

    assert (plan.weight, plan.allow_na, plan.effort) == (1.0, False, "medium")


def test_extra_fields_anywhere_are_ignored():
    data = schema_dict()
    data["imported_at"] = "2026-01-01"
    data["pillars"][0]["icon"] = "gear"
    data["sectors"][0]["size_bands"] = ["micro"]
    data["questions"][0]["position"] = 7
    data["questions"][0]["options"][0]["hint"] = "nothing written"

    assert framework_from_dict(data) == framework_from_dict(schema_dict())


def test_a_pillar_given_as_a_bare_key_is_refused_as_the_importer_refuses_it():
    data = schema_dict()
    data["pillars"] = ["operational", "financial"]

    with pytest.raises(ScoringInputError, match="pillars: every entry needs a 'key' and a 'name'"):
        framework_from_dict(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("questions"), "missing required field 'questions'"),
        (lambda d: d.update(scale={"min": 4, "max": 0}), "'scale' min (4) must be below max (0)"),
        (lambda d: d.update(maturity_threshold=120), "'maturity_threshold' must be a number"),
        (lambda d: d["questions"][1].update(id="OP-F-01"), "question 'OP-F-01': duplicate id"),
        (
            lambda d: d["questions"][0].update(pillar="social"),
            "question 'OP-F-01': unknown pillar 'social'",
        ),
        (
            lambda d: d["questions"][0].update(level="expert"),
            "question 'OP-F-01': unknown level 'expert'",
        ),
        (
            lambda d: d["questions"][0].update(weight=0),
            "question 'OP-F-01': weight must be a positive number",
        ),
        (
            lambda d: d["questions"][0].update(weight=float("nan")),
            "question 'OP-F-01': weight must be a positive number",
        ),
        (
            lambda d: d["sectors"][0]["pillar_weights"].update(financial=float("inf")),
            "sector 'retail': weight of 'financial' must be a positive number",
        ),
        (
            lambda d: d["questions"][0].update(effort="huge"),
            "question 'OP-F-01': effort must be one of low, medium, high",
        ),
        (
            lambda d: d["questions"][0]["options"].append({"value": 5, "label": "More"}),
            "question 'OP-F-01': option value 5 is off the scale 0..4",
        ),
        (
            lambda d: d["sectors"][0]["pillar_weights"].update(social=1.0),
            "sector 'retail': unknown pillar 'social' in pillar_weights",
        ),
        (lambda d: d["questions"][0].pop("id"), "question 1: missing 'id'"),
        (
            lambda d: d["questions"][0].update(replaces="OP-F-00"),
            "question 'OP-F-01': 'replaces' must be a list of question ids",
        ),
    ],
)
def test_a_framework_that_does_not_fit_together_is_refused_with_the_reason(change, message):
    data = schema_dict()
    change(data)

    with pytest.raises(ScoringInputError) as error:
        framework_from_dict(data)

    assert message in str(error.value)


def test_the_yaml_source_and_the_json_export_load_the_same_framework(tmp_path):
    yaml_file = tmp_path / "framework.yaml"
    json_file = tmp_path / "framework.json"
    no_extension = tmp_path / "export"
    yaml_file.write_text(yaml.safe_dump(schema_dict()))
    json_file.write_text(json.dumps(schema_dict()))
    no_extension.write_text(json.dumps(schema_dict(), indent=2))

    loaded = {load_framework_file(path) for path in (yaml_file, json_file, no_extension)}

    assert len(loaded) == 1


def test_the_test_suites_mini_framework_loads_and_scores():
    fw = load_framework_file(MINI_FRAMEWORK)

    result = score(fw, {q.id: q.options[-1].value for q in fw.questions}, "retail")

    assert len(fw.questions) == 12
    assert result.overall == 100.0


def test_the_old_ids_a_question_replaces_are_kept_and_do_not_change_its_score():
    data = schema_dict()
    data["questions"][0]["replaces"] = ["OP-F-00"]
    answers = {"OP-F-01": 2, "FI-F-01": 4}

    replacing = framework_from_dict(data)

    assert replacing.question("OP-F-01").replaces == ("OP-F-00",)
    assert score(replacing, answers) == score(framework_from_dict(schema_dict()), answers)


@pytest.mark.parametrize("path", [FULL_FRAMEWORK, NEW_FRAMEWORK], ids=lambda p: p.name)
def test_the_product_framework_loads_and_scores(path):
    fw = load_framework_file(path)

    weakest = score(fw, {q.id: q.options[0].value for q in fw.questions})
    strongest = score(fw, {q.id: q.options[-1].value for q in fw.questions})

    assert isinstance(fw, Framework)
    assert 0 <= weakest.overall < strongest.overall <= 100
    assert weakest.coverage == strongest.coverage == 100.0


def test_decimal_numbers_from_the_database_are_read_as_plain_numbers():
    data = schema_dict()
    data["maturity_threshold"] = Decimal("70.00")
    data["sectors"][0]["pillar_weights"]["operational"] = Decimal("1.20")
    data["questions"][0]["weight"] = Decimal("2.0")

    assert framework_from_dict(data) == framework_from_dict(schema_dict())


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("version: '1'\nscale: {min: 0, max: 4\npillars: []\n")

    with pytest.raises(ScoringInputError, match=r"broken\.yaml: line \d+: YAML syntax error"):
        load_framework_file(path)


def test_a_missing_file_is_refused_with_its_name(tmp_path):
    with pytest.raises(ScoringInputError, match="nothere.yaml: cannot read the file"):
        load_framework_file(tmp_path / "nothere.yaml")


def test_an_answers_file_must_hold_one_json_object_without_repeated_ids(tmp_path):
    as_list = tmp_path / "list.json"
    repeated = tmp_path / "repeated.json"
    as_list.write_text("[1, 2]")
    repeated.write_text('{"OP-F-01": 1, "OP-F-01": 2}')

    with pytest.raises(ScoringInputError, match="expected a JSON object"):
        load_answers_file(as_list)
    with pytest.raises(ScoringInputError, match="key 'OP-F-01' appears twice"):
        load_answers_file(repeated)


@pytest.mark.parametrize(
    "answers",
    [
        {"OP-F-01": 0, "FI-F-01": 4},
        {"OP-F-01": 2.0, "FI-F-01": "na"},
        {"OP-F-01": "dont_know", "FI-F-01": None},
        {"OP-F-01": numpy.int64(4), "FI-F-01": numpy.float64(0.0)},
        {},
    ],
)
def test_option_values_dont_know_na_where_allowed_and_blanks_are_valid(answers):
    validate_answers(framework_from_dict(schema_dict()), answers)


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"XX-F-99": 1}, "unknown question id 'XX-F-99'"),
        ({"OP-F-01": 5}, "question 'OP-F-01': value 5 is off the scale 0..4"),
        ({"OP-F-01": -1}, "question 'OP-F-01': value -1 is off the scale 0..4"),
        ({"OP-F-01": 3}, "question 'OP-F-01': value 3 is not one of its options (0, 2, 4)"),
        ({"OP-F-01": 2.5}, "question 'OP-F-01': value 2.5 is not one of its options (0, 2, 4)"),
        ({"OP-F-01": "na"}, "question 'OP-F-01': \"na\" is not allowed here"),
        ({"OP-F-01": "yes"}, "question 'OP-F-01': unknown answer 'yes'"),
        ({"OP-F-01": "2"}, "question 'OP-F-01': unknown answer '2'"),
        ({"OP-F-01": True}, "question 'OP-F-01': answer true is not an option value"),
        ({"OP-F-01": [2]}, "question 'OP-F-01': answer [2] is not an option value"),
    ],
)
def test_answers_the_framework_cannot_score_are_refused_with_the_reason(answers, message):
    with pytest.raises(ScoringInputError) as error:
        validate_answers(framework_from_dict(schema_dict()), answers)

    assert str(error.value).startswith(message)


JUNK = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10)
    | st.floats(allow_nan=True)
    | st.text(max_size=5)
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
)


def _paths(value, prefix=()):
    """Every key path inside a nested dict/list, the empty path (the whole) first."""
    yield prefix
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    else:
        return
    for key, child in children:
        yield from _paths(child, (*prefix, key))


SCHEMA_PATHS = list(_paths(schema_dict()))[1:]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(SCHEMA_PATHS), JUNK), min_size=1, max_size=3))
def test_a_mangled_framework_is_refused_with_a_message_or_scores_cleanly(changes):
    data = schema_dict()
    for path, junk in changes:
        target = data
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = junk
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a parent of this path

    try:
        fw = framework_from_dict(data)
    except ScoringInputError as error:
        assert "\n" not in str(error)
        return
    result = score(fw, {q.id: q.options[0].value for q in fw.questions})
    assert result.overall is None or 0 <= result.overall <= 100
