"""Shared fixtures: the framework files and the people who use the product."""

from pathlib import Path

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
REPO_DIR = Path(__file__).resolve().parent.parent
MINI_FRAMEWORK = DATA_DIR / "mini_framework.yaml"
FULL_FRAMEWORK = REPO_DIR / "fixtures" / "framework.yaml"
# The newest question bank; FULL_FRAMEWORK (2026.1) stays for older assessments and most tests.
NEW_FRAMEWORK = REPO_DIR / "fixtures" / "framework-2026.2.yaml"


@pytest.fixture
def mini_framework_data() -> dict:
    """The 12-question test framework as a dict, to mutate into bad files."""
    return yaml.safe_load(MINI_FRAMEWORK.read_text())


@pytest.fixture
def write_framework(tmp_path):
    """Write a framework dict (or raw text) to a file and return its path."""

    def write(content, name="framework.yaml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text)
        return path

    return write


@pytest.fixture
def mini_framework(db):
    """The 12-question framework, imported and active."""
    from assessments.services import framework_import

    return framework_import(path=MINI_FRAMEWORK).framework


@pytest.fixture(autouse=True)
def _fresh_scoring_framework_cache():
    """Each test starts with a cold framework cache, as on PostgreSQL, whose ids never repeat.

    SQLite reuses row ids after a rollback, so without this a test could be
    served a framework cached by an earlier one and count fewer queries.
    """
    from assessments.selectors import framework_in_use

    framework_in_use.cache_clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()
