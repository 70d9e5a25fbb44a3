"""The scoring benchmark runs and reports in the shared table format."""

import subprocess
import sys

from bench.__main__ import BENCHMARKS, format_table
from bench.scoring_bench import run, synthetic_framework
from tests.conftest import REPO_DIR


def test_the_synthetic_framework_has_six_questions_in_each_of_twelve_cells():
    fw = synthetic_framework()

    cells = {(q.pillar, q.level) for q in fw.questions}
    assert len(fw.questions) == 72
    assert len(cells) == 12


def test_the_scoring_benchmark_reports_value_unit_and_target():
    rows = run(single_runs=5, batch_size=50)

    assert [(row["unit"], row["target"]) for row in rows] == [("ms", "< 2 ms"), ("s", "< 3 s")]
    assert all(isinstance(row["value"], float) and row["value"] > 0 for row in rows)


def test_results_print_as_a_markdown_table():
    table = format_table([{"benchmark": "b", "value": 1.5, "unit": "ms", "target": "< 2 ms"}])

    assert table.splitlines() == [
        "| benchmark | value | unit | target |",
        "|---|---:|---|---|",
        "| b | 1.500 | ms | < 2 ms |",
    ]


def test_python_m_bench_runs_from_the_repo_root():
    result = subprocess.run(
        [sys.executable, "-m", "bench", "bench.scoring_bench"],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "| benchmark | value | unit | target |"
    assert [line.rsplit("|", 2)[-2].strip() for line in lines[2:]] == ["< 2 ms", "< 3 s"]


def test_the_scoring_benchmark_is_in_the_default_list():
    assert "bench.scoring_bench" in BENCHMARKS
