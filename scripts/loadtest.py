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

LOADTEST_MODE=realistic runs a morning instead: 300 owners log in over a ramp
(LOADTEST_LOGINS_PER_SECOND, 2: each login is a deliberate password hash of
about half a second of CPU here), keep saving while the server catches up
with the ramp (LOADTEST_SETTLE_SECONDS, 20), then, for LOADTEST_SECONDS,
each saves an answer every LOADTEST_SAVE_EVERY seconds (5) and opens a
section page every LOADTEST_PAGE_EVERY seconds (60). Only that window is
measured, and its p95 is printed for each sixth of it too, so a window that
still holds the ramp's queue shows. At the end every acknowledged save is looked up
in the database: a save the server acknowledged but did not keep is a lost
answer, and fails the run.

Environment: LOADTEST_SECONDS (60), LOADTEST_USERS (50; 300 realistic), LOADTEST_DATABASES
("sqlite,postgres"), LOADTEST_THINK_SECONDS (0: a mean pause
after each answer, for a gentler mix), LOADTEST_PG_ADMIN_URL (a role with CREATEDB; default
the CI role), WEB_CONCURRENCY, GUNICORN_THREADS and GUNICORN_MAX_REQUESTS for the server.
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

from scripts.liveserver import Client, Gunicorn, app_env, manage, parse_section, prepare_site

PG_ADMIN_URL = "postgres://resilience_ci:resilience_ci@127.0.0.1:5432/postgres"
PG_CLUSTER = ("15", "main")


@dataclass
class Results:
    """Latencies per kind of request, status codes, and what went wrong."""

    latencies: dict = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)
    # (when it ended, latency) of each measured request, to see whether the window is steady.
    timeline: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self, kind: str, status: int, seconds: float, problem: str = "", ended: float | None = None
    ) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if ended is not None:
                self.timeline.append((ended, seconds))
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


# --- The realistic mode: a morning's owners at their own pace --------------------


@dataclass
class Acknowledged:
    """The last save the server acknowledged per question of one owner's assessment."""

    assessment: int
    answers: dict = field(default_factory=dict)  # code -> (choice, note, revision)


def realistic_owner(
    port: int,
    owner: dict,
    pillars: list[str],
    password: str,
    clock: dict,
    results: Results,
    acknowledged: Acknowledged,
) -> None:
    """One owner: log in at their slot of the ramp, then save an answer every SAVE_EVERY
    seconds and open a section page every PAGE_EVERY seconds until the window closes.

    Only requests made inside the measured window (from a few seconds after the last
    login) count towards the latency figures; logins are reported on their own.
    """
    client = Client(port)
    rng = random.Random(owner["email"])  # noqa: S311 - load, not secrets
    pk = owner["assessment"]
    time.sleep(max(0.0, clock["login_at"][owner["email"]] - time.monotonic()))
    began = time.perf_counter()
    try:
        client.login(owner["email"], password)
    except Exception as exc:  # noqa: BLE001 - reported, and the run fails
        results.record("login", 0, time.perf_counter() - began, f"login {owner['email']}: {exc}")
        clock["logged_in"].release()
        return
    results.record("login", 200, time.perf_counter() - began)
    clock["logged_in"].release()
    page, queue, next_page = None, [], time.monotonic()
    next_save = time.monotonic() + rng.uniform(0, clock["save_every"])
    while time.monotonic() < clock["end"]:
        if time.monotonic() >= next_page or page is None:
            path = f"/assessments/{pk}/section/{rng.choice(pillars)}/"
            status, body, took = _timed(client, "GET", path)
            next_page += clock["page_every"]
            if status != 200:
                results.record("section", status, took, f"GET {path}: HTTP {status}")
                time.sleep(1)
                continue
            ended = time.monotonic()
            if clock["start"] <= ended - took:
                results.record("section", status, took, ended=ended)
            page = parse_section(body)
            queue = list(page.options)
        time.sleep(max(0.0, min(next_save, next_page) - time.monotonic()))
        if time.monotonic() < next_save or time.monotonic() >= clock["end"]:
            continue
        next_save += clock["save_every"]
        code = queue.pop(0) if queue else rng.choice(list(page.options))
        known = acknowledged.answers.get(code)
        data = {
            "choice": rng.choice(page.options[code]),
            "note": rng.choice(["", "Asked the accountant.", "Owner: Sam"]),
            "revision": known[2] if known else page.revisions.get(code, 0),
        }
        status, body, took = _timed(client, "POST", f"/assessments/{pk}/answers/{code}/", data)
        if status == 200 and b'"saved"' in body:
            acknowledged.answers[code] = (data["choice"], data["note"], _revision(body))
            ended = time.monotonic()
            if clock["start"] <= ended - took:
                results.record("autosave", status, took, ended=ended)
        else:
            results.record(
                "autosave", status, took, f"autosave {code}: HTTP {status} {body[:200]!r}"
            )
    client.close()


def run_realistic(env: dict, *, users: int, seconds: float, label: str) -> dict:
    """Owners log in over a ramp, then ``seconds`` are measured; finally count lost answers."""
    logins_per_second = float(os.environ.get("LOADTEST_LOGINS_PER_SECOND", "2"))
    settle = float(os.environ.get("LOADTEST_SETTLE_SECONDS", "20"))
    site = prepare_site(env, owners=users)
    results = Results()
    acknowledged = [Acknowledged(owner["assessment"]) for owner in site["owners"]]
    with Gunicorn(env) as server:
        now = time.monotonic() + 1
        ramp = users / logins_per_second
        clock = {
            "login_at": {
                o["email"]: now + i / logins_per_second for i, o in enumerate(site["owners"])
            },
            "logged_in": threading.Semaphore(0),
            # Set once everyone has logged in; until then nothing is measured.
            "start": float("inf"),
            "end": float("inf"),
            "save_every": float(os.environ.get("LOADTEST_SAVE_EVERY", "5")),
            "page_every": float(os.environ.get("LOADTEST_PAGE_EVERY", "60")),
        }
        print(
            f"[{label}] {users} owners log in over {ramp:.0f} s, settle for {settle:.0f} s, "
            f"then {seconds:.0f} s measured"
        )
        threads = [
            threading.Thread(
                target=realistic_owner,
                args=(server.port, owner, site["pillars"], site["password"], clock, results, acks),
                daemon=True,
            )
            for owner, acks in zip(site["owners"], acknowledged, strict=True)
        ]
        for thread in threads:
            thread.start()
        for _ in threads:
            clock["logged_in"].acquire(timeout=ramp + 300)
        clock["start"] = time.monotonic() + settle
        clock["end"] = clock["start"] + seconds
        for thread in threads:
            thread.join(timeout=seconds + 120)
        log = server.log()
    login_times = results.latencies.pop("login", [])
    summary = summarize(label, results, seconds, log, workers=env.get("WEB_CONCURRENCY"))
    summary["owners"] = users
    summary["login_p95_ms"] = percentile_ms(login_times, 95)
    summary["p95_by_slice_ms"] = p95_by_slice(results.timeline, clock["start"], seconds)
    summary["acknowledged"] = sum(len(a.answers) for a in acknowledged)
    summary["lost_answers"] = lost_answers(env, acknowledged)
    return summary


def p95_by_slice(timeline: list, start: float, seconds: float, slices: int = 6) -> list:
    """The p95 of each sixth of the window: a steady server gives about the same figure in each."""
    width = seconds / slices
    buckets = [[] for _ in range(slices)]
    for ended, latency in timeline:
        index = min(slices - 1, max(0, int((ended - start) / width)))
        buckets[index].append(latency)
    return [round(percentile_ms(bucket, 95)) for bucket in buckets]


def lost_answers(env: dict, acknowledged: list[Acknowledged]) -> int:
    """Acknowledged saves whose answer is not in the database as acknowledged."""
    stored = json.loads(manage(env, "shell", "-c", STORED_ANSWERS).strip().splitlines()[-1])
    lost = 0
    for owner in acknowledged:
        answers = stored.get(str(owner.assessment), {})
        for code, (choice, note, revision) in owner.answers.items():
            if answers.get(code) != [choice, note, revision]:
                lost += 1
    return lost


# The stored answers as {assessment id: {code: [choice, note, revision]}}, printed as JSON.
STORED_ANSWERS = """
import json
from questionnaire.forms import choice_of
from assessments.models import Answer
stored = {}
for a in Answer.objects.select_related("question"):
    answers = stored.setdefault(str(a.assessment_id), {})
    answers[a.question.code] = [choice_of(a), a.note, a.revision]
print(json.dumps(stored))
"""


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


def percentile_ms(times: list[float], q: int) -> float:
    """The q-th percentile of latencies in seconds, in milliseconds (0 for none)."""
    if not times:
        return 0.0
    if len(times) == 1:
        return times[0] * 1000
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1] * 1000


def summarize(label: str, results: Results, elapsed: float, log: str, workers=None) -> dict:
    every = [t for times in results.latencies.values() for t in times]
    total = len(every)
    server_errors = sum(n for status, n in results.statuses.items() if status >= 500)
    no_response = results.statuses.get(0, 0)
    locked = log.count("database is locked")
    tracebacks = log.count("Traceback")

    return {
        "database": label,
        "seconds": round(elapsed, 1),
        "requests": total,
        "rps": total / elapsed if elapsed else 0.0,
        "p50_ms": percentile_ms(every, 50),
        "p95_ms": percentile_ms(every, 95),
        "by_kind": {
            kind: {
                "count": len(times),
                "p50_ms": percentile_ms(times, 50),
                "p95_ms": percentile_ms(times, 95),
            }
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
    if "p95_by_slice_ms" in s:
        print(f"    p95 (ms) in each sixth of the window: {s['p95_by_slice_ms']}")
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


def load_one(database: str, users: int, seconds: float, realistic: bool) -> dict:
    """One run against a fresh database of this kind, its figures printed and returned."""
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
        for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_MAX_REQUESTS"):
            if os.environ.get(name):
                env[name] = os.environ[name]
        print(f"[{database}] {users} owners for {seconds:.0f} s", flush=True)
        run = run_realistic if realistic else run_load
        summary = run(env, users=users, seconds=seconds, label=database)
        print_summary(summary)
        return summary
    finally:
        if drop:
            drop()
        shutil.rmtree(var_dir, ignore_errors=True)


def main() -> int:
    realistic = os.environ.get("LOADTEST_MODE", "capacity") == "realistic"
    seconds = float(os.environ.get("LOADTEST_SECONDS", "60"))
    # Several counts ("300,600,900") run one after another, to find the most owners
    # the machine holds within the target.
    counts = os.environ.get("LOADTEST_USERS", "300" if realistic else "50").split(",")
    databases = [
        d.strip()
        for d in os.environ.get("LOADTEST_DATABASES", "sqlite,postgres").split(",")
        if d.strip()
    ]
    summaries = []
    for database in databases:
        for users in (int(count) for count in counts):
            summaries.append(load_one(database, users, seconds, realistic))
    print("\n| database | requests/s | p50 (ms) | p95 (ms) | errors | 5xx | database is locked |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for s in summaries:
        print(
            f"| {s['database']} | {s['rps']:.1f} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | "
            f"{s['errors']} | {s['status_5xx']} | {s['database_locked']} |"
        )
    if realistic:
        for s in summaries:
            print(
                f"[{s['database']}] {s['owners']} owners: p95 {s['p95_ms']:.0f} ms "
                f"(target <= 150), login p95 {s['login_p95_ms']:.0f} ms, "
                f"{s['acknowledged']} answers acknowledged, {s['lost_answers']} lost"
            )
    failed = any(
        s["errors"]
        or s["status_5xx"]
        or s["database_locked"]
        or s["no_response"]
        or not s["requests"]
        or s.get("lost_answers")
        for s in summaries
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
