"""The wheel carries every app: built, installed outside the source tree, and checked there.

The build uses the venv's own setuptools (no build isolation), so the test
reaches no network. The venv also holds an editable install, which would
answer an import of an app the wheel lacks from the checkout: the test
therefore checks where each app was imported from.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

REPO_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.packaging

CHECK = """
import importlib, json, sys
from django.core.management import execute_from_command_line
execute_from_command_line(["manage.py", "check", "--settings=resilience_site.settings.test"])
names = json.loads(sys.argv[1])
print(json.dumps({name: importlib.import_module(name).__file__ for name in names}))
"""


def project_apps() -> list[str]:
    """The top-level packages of the INSTALLED_APPS that live in this repository, and the rest.

    The rest: the site (settings, URLs), the pure scoring package and core, which
    the apps import but which are no Django apps themselves.
    """
    names = {config.name.split(".")[0] for config in apps.get_app_configs()}
    return sorted(n for n in names if (REPO_DIR / n / "__init__.py").exists()) + [
        "resilience_site",
        "scoring",
        "core",
    ]


def test_every_installed_app_is_in_the_wheel_and_the_installed_copy_passes_check(tmp_path):
    wheels, target, source = tmp_path / "wheels", tmp_path / "site", tmp_path / "source"
    # A clean copy: setuptools would reuse a build/ directory left in the checkout.
    shutil.copytree(
        REPO_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".*", "build", "*.egg-info", "var", "__pycache__", "tests", "bench", "docs"
        ),
    )
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)

    names = project_apps()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", CHECK, json.dumps(names)],
        cwd=outside,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    # The one issue allowed: static/ stays at the repository root, outside the wheel.
    output = done.stdout + done.stderr
    assert "identified no issues" in output or (
        "identified 1 issue" in output and "staticfiles.W004" in output
    ), output
    files = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(files) == set(names)
    for name, file in files.items():
        assert Path(file).is_relative_to(target), f"{name} imported from {file}, not the wheel"
