"""A backup is only as good as its restore: dump the demo data, load it elsewhere, compare.

The commands are the ones docs/deployment.md gives. The databases are the
kind the suite runs on: SQLite files, or, when DATABASE_URL names
PostgreSQL (as in CI), fresh PostgreSQL databases on the same server, where
``pg_dump``/``pg_restore`` are proved too.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import FULL_FRAMEWORK, REPO_DIR

DUMPDATA = [
    "dumpdata",
    "--natural-foreign",
    "--exclude",
    "contenttypes",
    "--exclude",
    "auth.permission",
    "--exclude",
    "sessions",
    "--exclude",
    "axes",
    "--indent",
    "1",
]
# Rebuilt by migrate, or not worth keeping (sessions, lockout records).
NOT_BACKED_UP = ("contenttypes.", "auth.Permission", "sessions.", "axes.")

REPORT = """
import json, django
django.setup()
from django.apps import apps
from assessments.models import Answer, Assessment
counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
assessment = Assessment.objects.filter(status="submitted").order_by("pk").first()
answers = sorted(
    Answer.objects.filter(assessment=assessment)
    .values_list("question__code", "kind", "value", "note", "revision")
)
print(json.dumps({"counts": counts, "assessment": assessment.pk, "answers": answers,
                  "result": assessment.result, "email": assessment.created_by.email}))
"""


def run(args, env, **kwargs):
    result = subprocess.run(
        args, cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=300, **kwargs
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def manage(env, *args):
    return run([sys.executable, "manage.py", *args], env)


def report(env) -> dict:
    return json.loads(run([sys.executable, "-c", REPORT], env).strip().splitlines()[-1])


def backed_up(counts: dict) -> dict:
    return {k: v for k, v in counts.items() if not k.startswith(NOT_BACKED_UP)}


class Databases:
    """Fresh databases of the kind the suite runs on, dropped afterwards."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.server_url = os.environ.get("DATABASE_URL", "")
        self.postgres = self.server_url.startswith(("postgres://", "postgresql://"))
        self.created = []

    def env(self, name: str) -> dict:
        env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "resilience_site.settings.local",
            "VAR_DIR": str(self.tmp_path),
            "DEBUG": "false",
        }
        if self.postgres:
            env["DATABASE_URL"] = self.url(name)
        else:
            env["SQLITE_PATH"] = str(self.tmp_path / f"{name}.sqlite3")
        return env

    def url(self, name: str) -> str:
        return urlunsplit(urlsplit(self.server_url)._replace(path=f"/{self.dbname(name)}"))

    def dbname(self, name: str) -> str:
        return f"backup_{name}_{self.suffix}"

    suffix = uuid.uuid4().hex[:8]

    def create(self, name: str) -> dict:
        if self.postgres:
            self._admin(f'CREATE DATABASE "{self.dbname(name)}"')
            self.created.append(self.dbname(name))
        return self.env(name)

    def drop_all(self):
        for dbname in self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')

    def _admin(self, sql: str):
        import psycopg

        dsn = self.server_url.replace("postgres://", "postgresql://", 1)
        dsn = urlunsplit(urlsplit(dsn)._replace(path="/postgres"))
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(sql)


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    dbs = Databases(tmp_path_factory.mktemp("backup"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="module")
def source(databases):
    """A database with the demo consultancy: clients, answers, submissions, comments."""
    env = databases.create("source")
    manage(env, "migrate", "--noinput")
    manage(env, "import_framework", str(FULL_FRAMEWORK))
    manage(env, "load_demo_data", "--i-know-this-is-not-production")
    return env


def test_a_dumpdata_backup_restores_every_row_and_every_answer(databases, source, tmp_path):
    backup = tmp_path / "backup.json"
    manage(source, *DUMPDATA, "--output", str(backup))
    target = databases.create("restored")
    manage(target, "migrate", "--noinput")

    manage(target, "loaddata", str(backup))

    before, after = report(source), report(target)
    assert backed_up(before["counts"]) == backed_up(after["counts"])
    assert before["counts"]["assessments.Answer"] > 100
    assert before["counts"]["reports.ReviewComment"] > 0
    assert after["assessment"] == before["assessment"]
    assert after["answers"] == before["answers"]
    assert after["result"] == before["result"]
    assert after["email"] == before["email"]


def test_a_pg_dump_backup_restores_every_row_and_every_answer(databases, source, tmp_path):
    """On PostgreSQL the nightly backup is pg_dump; on SQLite, the online backup API."""
    target = databases.create("restored_native")
    if databases.postgres:
        if not shutil.which("pg_dump"):
            pytest.fail("pg_dump is not installed: apt-get install postgresql-client")
        dump = tmp_path / "backup.dump"
        run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--file",
                str(dump),
                databases.url("source"),
            ],
            source,
        )
        run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                databases.url("restored_native"),
                str(dump),
            ],
            source,
        )
    else:
        # sqlite3's .backup, through Python's online backup API: safe while the app runs.
        code = (
            "import sqlite3, sys; src = sqlite3.connect(sys.argv[1]); "
            "dst = sqlite3.connect(sys.argv[2]); src.backup(dst); dst.close()"
        )
        run([sys.executable, "-c", code, source["SQLITE_PATH"], target["SQLITE_PATH"]], source)

    before, after = report(source), report(target)
    assert before["counts"] == after["counts"]
    assert after["answers"] == before["answers"]
    assert after["result"] == before["result"]
