"""``python -m bench [MODULE ...]``: run benchmark modules, print a Markdown table.

Each module in BENCHMARKS exposes ``run() -> list[dict]``, each dict holding
"benchmark", "value", "unit" and "target". Add a module by appending its
dotted name; name modules on the command line to run only those.
"""

import importlib
import sys

BENCHMARKS = [
    "bench.scoring_bench",
    "bench.http_bench",
    "bench.dashboard_bench",
    "bench.report_bench",
    "bench.loop_bench",
    "bench.plan_bench",
]


def format_table(rows: list[dict]) -> str:
    """Rows as a Markdown table: | benchmark | value | unit | target |."""
    lines = ["| benchmark | value | unit | target |", "|---|---:|---|---|"]
    for row in rows:
        lines.append(
            f"| {row['benchmark']} | {row['value']:.3f} | {row['unit']} | {row['target']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmark modules (all of BENCHMARKS by default) and print one table."""
    modules = (sys.argv[1:] if argv is None else argv) or BENCHMARKS
    rows = []
    for name in modules:
        # Dotted names rather than imports, so that adding a benchmark is a one-line change.
        rows.extend(importlib.import_module(name).run())
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
