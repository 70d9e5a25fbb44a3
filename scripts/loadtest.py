"""``make loadtest``: 50 simulated owners answering and autosaving against real gunicorn.

For each database (SQLite, then PostgreSQL) the script builds a fresh
database, imports fixtures/framework.yaml, creates the owners, starts
gunicorn on 127.0.0.1 with resilience_site/gunicorn.conf.py and the
production settings, and lets every owner, in its own thread, log in and then
loop until the time is up: open a questionnaire section, then autosave each
of its questions with a random answer, carrying the revision the server
returned, as autosave.js does. There is no think time, so the figures are
the server's capacity, not a polite day.

It prints requests per second, p50 and p95 latency and the errors per
database, and exits non-zero on any 5xx, any "database is locked" in the
server log, or any refused save. Threads and http.client rather than locust:
nothing to install, and 50 blocking clients are what threads do well.

Environment: LOADTEST_SECONDS (60), LOADTEST_USERS (50), LOADTEST_DATABASES
("sqlite,postgres"), LOADTEST_THINK_SECONDS (0: a mean pause
after each answer, for a gentler mix), LOADTEST_PG_ADMIN_URL (a role with CREATEDB; default
the CI role), WEB_CONCURRENCY and GUNICORN_THREADS for the server.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from scripts.liveserver import Client, Gunicorn, app_env, parse_section, prepare_site

PG_ADMIN_URL = "postgres://resilience_ci:resilience_ci@127.0.0.1:5432/postgres"
PG_CLUSTER = ("15", "main")


@dataclass
class Results:
    """Latencies per kind of request, status codes, and what went wrong."""

    latencies: dict = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, status: int, seconds: float, problem: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.statuses[status] += 1
            if problem:
                self.problems.append(problem)


def owner_loop(
    port: int,
    owner: dict,
    pillars: list[str],
    password: str,
    start: threading.Barrier,
    deadline_box: list,
    results: Results,
) -> None:
    """One owner: log in, then open sections and autosave their questions until the deadline."""
    client = Client(port)
    rng = random.Random(owner["email"])  # noqa: S311 - load, not secrets
    pk = owner["assessment"]
    try:
        client.login(owner["email"], password)
    except Exception as exc:  # noqa: BLE001 - reported, and the run fails
        results.record("login", 0, 0.0, f"login {owner['email']}: {exc}")
        start.abort()
        return
    try:
        start.wait()
    except threading.BrokenBarrierError:
        return
    deadline = deadline_box[0]
    think = float(os.environ.get("LOADTEST_THINK_SECONDS", "0"))
    revisions: dict[str, int] = {}
    section = rng.randrange(len(pillars))
    while time.monotonic() < deadline:
        path = f"/assessments/{pk}/section/{pillars[section]}/"
        section = (section + 1) % len(pillars)
        status, body, took = _timed(client, "GET", path)
        if status != 200:
            results.record("section", status, took, f"GET {path}: HTTP {status}")
            continue
        results.record("section", status, took)
        page = parse_section(body)
        revisions.update(page.revisions)
        for code, options in page.options.items():
            if time.monotonic() >= deadline:
                break
            data = {
                "choice": rng.choice(options),
                "note": rng.choice(["", "", "Asked the accountant.", "Owner: Sam"]),
                "revision": revisions.get(code, 0),
            }
            status, body, took = _timed(client, "POST", f"/assessments/{pk}/answers/{code}/", data)
            problem = ""
            if status == 200 and b'"saved"' in body:
                revisions[code] = _revision(body)
            else:
                problem = f"autosave {code}: HTTP {status} {body[:200]!r}"
            results.record("autosave", status, took, problem)
            if think:
                time.sleep(rng.uniform(0, 2 * think))
    client.close()


def _timed(client: Client, method: str, path: str, data: dict | None = None):
    began = time.perf_counter()
    try:
        if method == "GET":
            status, _, body = client.get(path)
        else:
            status, _, body = client.post(path, data, csrf_header=True)
    except OSError as exc:
        return 0, repr(exc).encode(), time.perf_counter() - began
    return status, body, time.perf_counter() - began


def _revision(body: bytes) -> int:
    return int(json.loads(body)["revision"])


def run_load(env: dict, *, users: int, seconds: float, label: str) -> dict:
    """Prepare the site, run the owners against gunicorn, and return the figures."""
    began = time.monotonic()
    site = prepare_site(env, owners=users)
    print(f"[{label}] database ready in {time.monotonic() - began:.1f} s", flush=True)
    results = Results()
    with Gunicorn(env) as server:
        deadline_box = [0.0]

        def set_clock():
            # Runs once every owner has logged in, just before they are released.
            deadline_box[0] = time.monotonic() + seconds

        start = threading.Barrier(users + 1, action=set_clock)
        threads = [
            threading.Thread(
                target=owner_loop,
                args=(
                    server.port,
                    owner,
                    site["pillars"],
                    site["password"],
                    start,
                    deadline_box,
                    results,
                ),
                daemon=True,
            )
            for owner in site["owners"]
        ]
        for thread in threads:
            thread.start()
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait(timeout=300)  # a failed login breaks the barrier; reported below
        t0 = time.monotonic()
        for thread in threads:
            thread.join(timeout=seconds + 120)
        elapsed = time.monotonic() - t0
        log = server.log()
    return summarize(label, results, elapsed, log, workers=env.get("WEB_CONCURRENCY"))


def summarize(label: str, results: Results, elapsed: float, log: str, workers=None) -> dict:
    every = [t for times in results.latencies.values() for t in times]
    total = len(every)
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    no_response = results.statuses.get(0, 0)
    locked = log.count("database is locked")
    tracebacks = log.count("Traceback")

    def pct(times, q):
        if not times:
            return 0.0
        if len(times) == 1:
            return times[0] * 1000
        return statistics.quantiles(times, n=100, method="inclusive")[q - 1] * 1000

    return {
        "database": label,
        "seconds": round(elapsed, 1),
        "requests": total,
        "rps": total / elapsed if elapsed else 0.0,
        "p50_ms": pct(every, 50),
        "p95_ms": pct(every, 95),
        "by_kind": {
            kind: {"count": len(times), "p50_ms": pct(times, 50), "p95_ms": pct(times, 95)}
            for kind, times in sorted(results.latencies.items())
        },
        "status_5xx": server_errors,
        "no_response": no_response,
        "database_locked": locked,
        "server_tracebacks": tracebacks,
        "errors": len(results.problems),
        "first_errors": results.problems[:5],
        "statuses": dict(sorted(results.statuses.items())),
    }


def print_summary(summary: dict) -> None:
    s = summary
    print(
        f"\n[{s['database']}] {s['requests']} requests in {s['seconds']} s: "
        f"{s['rps']:.1f} req/s, p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, "
        f"errors {s['errors']}, 5xx {s['status_5xx']}, "
        f'"database is locked" {s["database_locked"]}, server tracebacks {s["server_tracebacks"]}'
    )
    for kind, figures in s["by_kind"].items():
        print(
            f"    {kind:9} {figures['count']:7d} requests, p50 {figures['p50_ms']:.0f} ms, "
            f"p95 {figures['p95_ms']:.0f} ms"
        )
    print(f"    status codes: {s['statuses']}")
    for problem in s["first_errors"]:
        print(f"    error: {problem}")


# --- PostgreSQL: a fresh database, as .ci/run makes one ---------------------------


def postgres_database(name: str) -> tuple[str, callable]:
    """Start the local cluster if needed, create database ``name``; return its URL and a dropper."""
    import psycopg

    admin_url = os.environ.get("LOADTEST_PG_ADMIN_URL", PG_ADMIN_URL)
    _ensure_postgres_running()
    try:
        admin = psycopg.connect(_psycopg_dsn(admin_url), autocommit=True)
    except psycopg.OperationalError:
        _create_ci_role()
        admin = psycopg.connect(_psycopg_dsn(admin_url), autocommit=True)
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    url = urlunsplit(parts._replace(path=f"/{name}"))

    def drop() -> None:
        with psycopg.connect(_psycopg_dsn(admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def _psycopg_dsn(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _ensure_postgres_running() -> None:
    # Fixed commands of the Debian PostgreSQL packages, as .ci/run uses them.
    def ready() -> bool:
        return (
            subprocess.run(  # noqa: S603
                ["pg_isready", "-q", "-h", "127.0.0.1"],
                check=False,  # noqa: S607
            ).returncode
            == 0
        )

    if ready():
        return
    if shutil.which("pg_ctlcluster"):
        subprocess.run(["pg_ctlcluster", *PG_CLUSTER, "start"], check=False)  # noqa: S603, S607
    for _ in range(30):
        if ready():
            return
        time.sleep(1)
    raise RuntimeError("PostgreSQL is not running on 127.0.0.1:5432")


def _create_ci_role() -> None:
    """The CI role, as .ci/run creates it (needs root for ``su postgres``)."""
    sql = (
        "SELECT 'CREATE ROLE resilience_ci LOGIN PASSWORD ''resilience_ci'' CREATEDB' "
        "WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'resilience_ci')\\gexec\n"
    )
    subprocess.run(  # noqa: S603
        ["su", "postgres", "-c", "psql -v ON_ERROR_STOP=1 -q"],  # noqa: S607
        input=sql,
        text=True,
        check=True,
    )


def main() -> int:
    seconds = float(os.environ.get("LOADTEST_SECONDS", "60"))
    users = int(os.environ.get("LOADTEST_USERS", "50"))
    databases = [
        d.strip()
        for d in os.environ.get("LOADTEST_DATABASES", "sqlite,postgres").split(",")
        if d.strip()
    ]
    summaries = []
    for database in databases:
        var_dir = Path(tempfile.mkdtemp(prefix=f"loadtest-{database}-"))
        drop = None
        try:
            if database == "postgres":
                url, drop = postgres_database(f"resilience_load_{os.getpid()}")
                env = app_env(var_dir=var_dir, database_url=url)
            elif database == "sqlite":
                env = app_env(var_dir=var_dir)
            else:
                raise SystemExit(f"unknown database {database!r}: use sqlite or postgres")
            for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
                if os.environ.get(name):
                    env[name] = os.environ[name]
            print(f"[{database}] {users} owners for {seconds:.0f} s", flush=True)
            summary = run_load(env, users=users, seconds=seconds, label=database)
            summaries.append(summary)
            print_summary(summary)
        finally:
            if drop:
                drop()
            shutil.rmtree(var_dir, ignore_errors=True)

    print("\n| database | requests/s | p50 (ms) | p95 (ms) | errors | 5xx | database is locked |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for s in summaries:
        print(
            f"| {s['database']} | {s['rps']:.1f} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | "
            f"{s['errors']} | {s['status_5xx']} | {s['database_locked']} |"
        )
    failed = any(
        s["errors"]
        or s["status_5xx"]
        or s["database_locked"]
        or s["no_response"]
        or not s["requests"]
        for s in summaries
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
