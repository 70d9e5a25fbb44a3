"""Run a benchmark's measuring half in a fresh process, on a throw-away SQLite database.

Each in-process benchmark module (dashboard, plan, loop) re-runs itself with
``--child``: Django is set up there with the test settings and a temporary
database, whatever the shell points DATABASE_URL at, and the child prints
its timings as JSON on its last line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent


def run_child(module: str, *args: str) -> dict:
    """``python -m MODULE --child ARGS...`` on a fresh database; its last line as JSON."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "resilience_site.settings.test",
            "VAR_DIR": tmp,
            "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"),
        }
        env.pop("DATABASE_URL", None)
        result = subprocess.run(
            [sys.executable, "-m", module, "--child", *args],
            cwd=REPO_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])
