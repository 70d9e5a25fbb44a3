"""docs/scoring.md's worked example agrees with the engine, number for number.

The doc's ```console block holds the command and its ```json block the output;
this test runs the one and compares with the other. It also checks that the
prose and tables quote the numbers the engine prints, so neither the doc nor
the engine can change alone.
"""

import json
import re
import shlex
import subprocess
import sys

import pytest

from scoring import load_framework_file
from tests.conftest import REPO_DIR

DOC = REPO_DIR / "docs" / "scoring.md"
EXAMPLES = REPO_DIR / "docs" / "examples"


def fenced_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def prose(text: str) -> str:
    """The doc without its fenced code blocks."""
    return re.sub(r"^```.*?^```$", "", text, flags=re.MULTILINE | re.DOTALL)


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n### ", start + len(heading))
    return text[start : end if end != -1 else len(text)]


def table_rows(text: str) -> list[list[str]]:
    """The body rows of the Markdown tables in text, as lists of cells."""
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("| ")
    ]
    return [row for row in rows if row[0] != "question"]


def number(value: float) -> str:
    return f"{value:g}"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def cli_output(doc) -> dict:
    (console,) = fenced_blocks(doc, "console")
    command = shlex.split(console.strip().removeprefix("$ "))
    assert command[:3] == ["python", "-m", "scoring"]
    result = subprocess.run(
        [sys.executable, *command[1:]],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_cli_prints_exactly_the_json_quoted_in_the_doc(doc, cli_output):
    (quoted,) = fenced_blocks(doc, "json")

    assert json.loads(quoted) == cli_output


def test_the_docs_prose_quotes_the_scores_the_engine_computes(doc, cli_output):
    quoted = prose(doc)
    expected = [cli_output["overall"], cli_output["coverage"]]
    for pillar in cli_output["pillars"].values():
        expected += [pillar["score"], pillar["na_share"]]
        expected += [v for v in pillar["levels"].values() if v is not None]

    missing = [
        value
        for value in expected
        if not re.search(rf"(?<![\d.]){re.escape(number(value))}(?![\d]|\.\d)", quoted)
    ]

    assert missing == []


def test_the_docs_step_one_table_counts_each_answer_as_the_engine_does(doc):
    framework = load_framework_file(EXAMPLES / "worked-framework.yaml")
    answers = json.loads((EXAMPLES / "worked-answers.json").read_text())
    span = framework.scale_max - framework.scale_min

    rows = table_rows(section(doc, "### Step 1"))

    assert [row[0] for row in rows] == [q.id for q in framework.questions]
    for qid, _pillar, _level, weight, _answer, counts_as in rows:
        answer = answers.get(qid)
        if answer in (None, "na"):
            expected = "left out"
        elif answer == "dont_know":
            expected = "0"
        else:
            expected = number((answer - framework.scale_min) / span)
        assert (weight, counts_as) == (number(framework.question(qid).weight), expected), qid


def test_the_docs_action_plan_table_matches_the_engines_ranking(doc, cli_output):
    rows = table_rows(section(doc, "### Step 8"))

    assert [row[0] for row in rows] == [a["question_id"] for a in cli_output["actions"]]
    for row, action in zip(rows, cli_output["actions"], strict=True):
        assert row[2] == number(action["gap"])
        assert row[3].endswith(f"= {number(action['priority'])}")
        assert row[4] == action["effort"]


def test_the_docs_profile_step_quotes_what_the_engine_prints_for_no_premises(doc, cli_output):
    command = shlex.split(fenced_blocks(doc, "console")[0].strip().removeprefix("$ "))
    result = subprocess.run(
        [sys.executable, *command[1:], "--traits", "no_premises"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    remote = json.loads(result.stdout)
    step = section(doc, "### Step 9")

    assert remote["overall"] == cli_output["overall"]
    assert f"{number(remote['coverage'])} %" in step
    assert f"{number(remote['pillars']['financial']['na_share'])} %" in step
    assert f"unchanged: {number(remote['overall'])} overall" in step
