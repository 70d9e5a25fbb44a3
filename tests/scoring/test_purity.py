"""The scoring package stays pure Python: no Django, whatever is imported."""

import subprocess
import sys

from tests.conftest import REPO_DIR


def test_importing_scoring_leaves_django_out_of_sys_modules():
    code = (
        "import sys\n"
        "import scoring\n"
        "import scoring.batch, scoring.cli, scoring.engine, scoring.loader, scoring.model\n"
        "import scoring.carry, scoring.plan\n"
        "print('django' in sys.modules, any(m.startswith('django.') for m in sys.modules))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_DIR, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"


def test_batch_scoring_leaves_django_out_of_sys_modules():
    code = (
        "import sys\n"
        "from scoring import score_batch\n"
        "from bench.scoring_bench import synthetic_framework\n"
        "score_batch(synthetic_framework(), {1: {}})\n"
        "print('django' in sys.modules)\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_DIR, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
