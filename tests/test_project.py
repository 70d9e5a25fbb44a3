"""Project-wide promises: migrations are committed, settings are safe, the site answers."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import REPO_DIR


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], **env},
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_when_the_environment_is_set(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "resilience_site.settings.production",
            "SECRET_KEY": "k" * 20 + "a-long-random-production-secret-0123456789",
            "ALLOWED_HOSTS": "resilience.example.com",
            "VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = _manage(
        "check",
        env={
            "DJANGO_SETTINGS_MODULE": "resilience_site.settings.production",
            "ALLOWED_HOSTS": "resilience.example.com",
            "VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_settings_generate_a_secret_key_once_and_keep_it(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "resilience_site.settings.local", "VAR_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    runs = [
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            env={"PATH": os.environ["PATH"], **env},
            timeout=60,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert len(runs[0]) >= 50
    assert runs[0] == runs[1]
    assert (tmp_path / "secret_key").read_text().strip() == runs[0]


def test_var_is_kept_out_of_git():
    ignored = (REPO_DIR / ".gitignore").read_text().splitlines()
    assert "var/" in ignored


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite pragmas apply only to the embedded database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        timeout = cursor.fetchone()[0]
    assert mode == "wal"
    assert timeout >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db
def test_the_home_page_says_what_the_product_does(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "How resilient is your business?" in body
    assert "one evening" in body
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert 'href="/accounts/signup/"' in body
    assert 'href="/accounts/login/"' in body


def test_no_template_or_stylesheet_loads_anything_from_the_network():
    offenders = []
    for folder in ("templates", "static/css", "static/js"):
        for path in (REPO_DIR / folder).rglob("*"):
            if path.is_file() and path.suffix in {".html", ".css", ".js"}:
                text = path.read_text(encoding="utf-8", errors="ignore")
                if "https://" in text or "http://" in text or "//cdn" in text:
                    offenders.append(str(path.relative_to(REPO_DIR)))
    assert offenders == []
