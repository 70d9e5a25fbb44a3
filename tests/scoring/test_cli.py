"""``python -m scoring``: JSON out for good input, one line and status 2 for bad input."""

import json
import os
import subprocess
import sys

import pytest
import yaml

from tests.conftest import REPO_DIR
from tests.scoring.builders import schema_dict


def run_cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "scoring", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO_DIR)},
    )


@pytest.fixture
def files(tmp_path):
    """Write a framework (YAML) and an answers file (JSON) into the working directory."""

    def write(answers, framework=None, framework_name="framework.yaml"):
        (tmp_path / framework_name).write_text(yaml.safe_dump(framework or schema_dict()))
        text = answers if isinstance(answers, str) else json.dumps(answers)
        (tmp_path / "answers.json").write_text(text)
        return tmp_path

    return write


def assert_refused(result, message):
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == message


def test_valid_input_prints_the_result_as_json(files):
    cwd = files({"OP-F-01": 2, "FI-F-01": "na"})

    result = run_cli("--framework", "framework.yaml", "--answers", "answers.json", cwd=cwd)

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["overall"] == 50.0
    assert data["maturity"] == {"index": 0, "label": "Initial"}
    assert data["coverage"] == 100.0
    assert data["pillars"]["operational"] == {
        "score": 50.0,
        "maturity": {"index": 0, "label": "Initial"},
        "levels": {"fundamentals": 50.0, "intermediate": None, "advanced": None},
        "na_share": 0.0,
    }
    assert data["pillars"]["financial"]["score"] is None
    assert [w["code"] for w in data["warnings"]] == ["many_not_applicable"]
    assert data["blockers"]["operational"]["level"] == "fundamentals"
    assert [a["question_id"] for a in data["actions"]] == ["OP-F-01"]


def test_the_sector_option_applies_the_sectors_pillar_weights(files):
    cwd = files({"OP-F-01": 4, "FI-F-01": 0})

    plain = run_cli("--framework", "framework.yaml", "--answers", "answers.json", cwd=cwd)
    retail = run_cli(
        "--framework", "framework.yaml", "--answers", "answers.json", "--sector", "retail", cwd=cwd
    )

    assert json.loads(plain.stdout)["overall"] == 50.0
    assert json.loads(retail.stdout)["overall"] == 60.0


def test_the_json_export_is_read_like_the_yaml_source(files, tmp_path):
    cwd = files({"OP-F-01": 4})
    (tmp_path / "export.json").write_text(json.dumps(schema_dict()))

    result = run_cli("--framework", "export.json", "--answers", "answers.json", cwd=cwd)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["overall"] == 100.0


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"XX-F-99": 1}, "error: answers.json: unknown question id 'XX-F-99'"),
        ({"OP-F-01": 7}, "error: answers.json: question 'OP-F-01': value 7 is off the scale 0..4"),
        (
            {"OP-F-01": 3},
            "error: answers.json: question 'OP-F-01': value 3 is not one of its options (0, 2, 4)",
        ),
        ({"OP-F-01": "na"}, "error: answers.json: question 'OP-F-01': \"na\" is not allowed here"),
        (
            {"OP-F-01": "maybe"},
            "error: answers.json: question 'OP-F-01': unknown answer 'maybe' "
            '(expected an option value, "na" or "dont_know")',
        ),
        (
            '{"OP-F-01": 2,\n "FI-F-01": }',
            "error: answers.json: line 2: JSON syntax error (Expecting value)",
        ),
        ("[2, 4]", "error: answers.json: expected a JSON object mapping question ids to answers"),
    ],
)
def test_bad_answers_exit_2_with_one_line_naming_the_problem(files, answers, message):
    cwd = files(answers)

    result = run_cli("--framework", "framework.yaml", "--answers", "answers.json", cwd=cwd)

    assert_refused(result, message)


def test_an_unknown_sector_exits_2_and_lists_the_known_ones(files):
    cwd = files({"OP-F-01": 2})

    result = run_cli(
        "--framework", "framework.yaml", "--answers", "answers.json", "--sector", "mining", cwd=cwd
    )

    assert_refused(result, "error: unknown sector 'mining' (known: retail)")


@pytest.mark.parametrize("missing", ["framework", "answers"])
def test_an_unreadable_file_exits_2_naming_it(files, missing):
    cwd = files({"OP-F-01": 2})
    (cwd / f"{missing}.{'yaml' if missing == 'framework' else 'json'}").unlink()

    result = run_cli("--framework", "framework.yaml", "--answers", "answers.json", cwd=cwd)

    name = "framework.yaml" if missing == "framework" else "answers.json"
    assert_refused(result, f"error: {name}: cannot read the file (No such file or directory)")


def test_a_framework_with_a_yaml_syntax_error_exits_2_naming_the_line(files):
    cwd = files({"OP-F-01": 2})
    (cwd / "framework.yaml").write_text("version: '1'\nscale: {min: 0, max: 4\n")

    result = run_cli("--framework", "framework.yaml", "--answers", "answers.json", cwd=cwd)

    assert result.returncode == 2
    assert result.stderr.startswith("error: framework.yaml: line ")
    assert "YAML syntax error" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_framework_that_does_not_fit_together_exits_2_naming_the_question(files):
    broken = schema_dict()
    broken["questions"][1]["pillar"] = "social"
    cwd = files({"OP-F-01": 2}, framework=broken)

    result = run_cli("--framework", "framework.yaml", "--answers", "answers.json", cwd=cwd)

    assert_refused(result, "error: framework.yaml: question 'FI-F-01': unknown pillar 'social'")


def test_a_missing_option_exits_2_with_one_line(files):
    cwd = files({"OP-F-01": 2})

    result = run_cli("--answers", "answers.json", cwd=cwd)

    assert_refused(result, "error: the following arguments are required: --framework")
