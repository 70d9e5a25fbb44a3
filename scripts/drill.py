"""``make drill``: two app servers on one PostgreSQL, and the faults an operator will meet.

On this one machine the script builds what docs/deployment.md section 8
describes for several hosts: a PostgreSQL 15 cluster of its own (in a
temporary directory, on 127.0.0.1:DRILL_PORT+1, so that restarting it
disturbs nobody else's database), the database cache shared by every
server, two gunicorn app servers (DRILL_PORT+2 and +3) with the production
settings and one SECRET_KEY, and two ``db_worker`` processes. Owners save
answers (one every DRILL_SAVE_EVERY seconds each) and open section pages, each request going to the
next server in turn, so every session must work on either. A few more owners
have submitted reports and change their business profile now and then, which
queues a PDF render.

Then, one after another, while the owners keep saving, the faults:
an app server killed (SIGKILL) and restarted; a worker killed in the middle
of a render and restarted; PostgreSQL restarted; the cache flushed; the
media directory read-only; a deploy (a migration adding a nullable column
applied under load, then one server restarted on the new release). Each is
reported with the requests in flight when it struck, the errors the owners
saw, and how long until every request succeeded again.

At the end the script checks what must hold whatever happened: every save an
owner saw acknowledged is in the database with its value and revision (an
answer lost or silently overwritten fails the run), every server answers
``/healthz/``, and every report's stored PDF is fresh within 60 s of the
last change. It prints the table and exits non-zero if any of that fails.
Whatever happens, it stops every process it started and removes the
cluster, the release copy and the temporary files.

DRILL_CAPACITY=300,500 adds the capacity comparison: for each count, the
realistic load (a save every 5 s, a section page every 60 s) on one server,
then on two, in the same run, with sessions made for the owners at set-up
rather than by logging each one in (a login is half a second of password
hashing, and is not what the target is about).

Environment: DRILL_FAULTS ("all"; "0" for the baseline alone, or some of server, worker,
postgres, cache, media, deploy), DRILL_CONNECTIONS (N autosaves per round for the
persistent-connections-against-pool comparison),
DRILL_OWNERS (40), DRILL_REPORTS (6), DRILL_PHASE_SECONDS (12),
DRILL_SAVE_EVERY (1.0), DRILL_PORT (8301), DRILL_CAPACITY (none),
DRILL_CAPACITY_SECONDS (60), DRILL_WEB_CONCURRENCY (3 per server), DATABASE_POOL
(passed to the servers: 1 for Django's connection pool instead of persistent connections).
"""

from __future__ import annotations

import contextlib
import glob
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from scripts.liveserver import (
    REPO_DIR,
    Client,
    Gunicorn,
    app_env,
    manage,
    parse_section,
    prepare_site,
)
from scripts.loadtest import Acknowledged, lost_answers, percentile_ms

FRESH_WITHIN = 60.0  # seconds from the last change to every report's PDF fresh


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def _log(message: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- PostgreSQL: a cluster of the drill's own ----------------------------------------------


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    preferred = [p for p in found if "/15/" in p]
    if not (preferred or found):
        raise SystemExit(f"PostgreSQL's {name} not found: apt-get install postgresql-15")
    return (preferred or found)[-1]


class Postgres:
    """A throwaway cluster under ``root``, listening on 127.0.0.1 only, run as ``postgres``.

    Its own cluster rather than the machine's: the drill restarts it, and
    the machine's cluster may hold other people's databases and test runs.
    """

    def __init__(self, root: Path, port: int):
        self.root, self.port = root, port
        self.data = root / "data"
        self.log_path = root / "postgres.log"

    def _run(self, *args: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, *args], check=True, capture_output=True, timeout=120)  # noqa: S603

    def create(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self.start()

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=100"
        )
        self._run(
            _pg_bin("pg_ctl"), action, "-D", str(self.data), "-l", str(self.log_path),
            "-w", "-t", "60", "-o", options, *extra,
        )  # fmt: skip

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "immediate")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def createdb(self, name: str) -> None:
        self._run(
            _pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name
        )


# --- The PDF workers ------------------------------------------------------------------------


class Worker:
    """``manage.py db_worker`` with a fixed worker id, in its own process group.

    Started as the systemd unit in docs/deployment.md starts it: first
    ``requeue_lost_renders`` for this worker id (a render this worker was
    killed in the middle of is queued again), then the worker.
    """

    def __init__(self, env: dict, worker_id: str, log_path: Path, cwd: Path = REPO_DIR):
        self.env, self.worker_id, self.log_path, self.cwd = env, worker_id, log_path, cwd
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        manage(self.env, "requeue_lost_renders", "--worker-id", self.worker_id)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
                [sys.executable, "manage.py", "db_worker", "--worker-id", self.worker_id,
                 "--interval", "0.5"],
                cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# --- Owners: each request to the next server --------------------------------------------------


class RoundRobin:
    """One browser whose requests go to each server in turn: one cookie jar, one CSRF token."""

    def __init__(self, ports: list[int]):
        self.clients = [Client(port, timeout=20) for port in ports]
        self.cookies: dict = {}
        for client in self.clients:
            client.cookies = self.cookies  # one jar: a session must work on either server
        self.turn = random.randrange(len(ports))  # noqa: S311 - load, not secrets

    def next(self) -> tuple[int, Client]:
        self.turn = (self.turn + 1) % len(self.clients)
        client = self.clients[self.turn]
        client.csrf_token = self.clients[self.turn - 1].csrf_token or client.csrf_token
        return self.turn, client

    def close(self) -> None:
        for client in self.clients:
            client.close()


@dataclass
class Event:
    """One request as an owner saw it."""

    began: float
    ended: float
    kind: str
    server: int
    status: int
    ok: bool
    detail: str = ""
    refused: int = 0  # servers that refused the connection first (the balancer moved on)


@dataclass
class Log:
    events: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Cleared to hold the owners between two requests, so answers can be counted exactly.
    go: threading.Event = field(default_factory=threading.Event)
    busy: int = 0

    def __post_init__(self):
        self.go.set()

    def begin(self) -> None:
        self.go.wait()
        with self.lock:
            self.busy += 1

    def end(self, event: Event) -> None:
        with self.lock:
            self.busy -= 1
            self.events.append(event)

    def hold(self, timeout: float = 60) -> None:
        """Stop the owners between requests and wait for the requests in flight."""
        self.go.clear()
        deadline = time.monotonic() + timeout
        while self.busy and time.monotonic() < deadline:
            time.sleep(0.05)

    def add(self, event: Event) -> None:
        with self.lock:
            self.events.append(event)

    def between(self, start: float, end: float) -> list[Event]:
        with self.lock:
            return [e for e in self.events if e.ended >= start and e.began <= end]


def _request(rr: RoundRobin, log: Log, kind: str, method: str, path: str, data=None):
    """One request to the next server; a refused connection goes to the other one.

    That is what the load balancer in front does (nginx's default
    ``proxy_next_upstream error``): a server that refuses the connection never
    saw the request, so sending it elsewhere is safe. A request that reached a
    server which then died is not sent again here: the owner sees the error.
    """
    log.begin()
    began, refused = time.monotonic(), 0
    for _ in rr.clients:
        server, client = rr.next()
        try:
            if method == "GET":
                status, _, body = client.get(path)
            else:
                status, _, body = client.post(path, data, csrf_header=True)
            break
        except ConnectionRefusedError as exc:
            client.close()
            refused += 1
            status, body = 0, repr(exc).encode()
        except (OSError, http.client.HTTPException) as exc:
            # A server killed while it answered: a reset connection (OSError) or an answer cut
            # short (IncompleteRead). Either way the owner saw an error and saves again.
            client.close()
            status, body = 0, repr(exc).encode()
            break
    if method == "GET" and status == 200:
        for other in rr.clients:
            other.csrf_token = client.csrf_token
    ok = status == 200 or (method == "POST" and status in (302, 409))
    detail = body[:160].decode(errors="replace")
    log.end(Event(began, time.monotonic(), kind, server, status, ok, detail, refused))
    return status, body


def owner_loop(rr, owner, pillars, acknowledged: Acknowledged, log: Log, stop: threading.Event,
               save_every: float, page_every: float) -> None:  # fmt: skip
    """Save an answer every ``save_every`` s; a failed save is sent again a second later with
    the same revision, as autosave.js does, until it is stored or the drill ends."""
    rng = random.Random(owner["email"])  # noqa: S311 - load, not secrets
    pk = owner["assessment"]
    page, next_page = None, 0.0
    stop.wait(rng.uniform(0, save_every))  # owners do not all start in the same instant
    while not stop.is_set():
        if page is None or time.monotonic() >= next_page:
            path = f"/assessments/{pk}/section/{rng.choice(pillars)}/"
            status, body = _request(rr, log, "section", "GET", path)
            if status != 200:
                stop.wait(1)
                continue
            # The first page at a random point of the period, then once a period: owners who
            # started together would otherwise all open a page in the same few seconds.
            period = page_every if page is not None else rng.uniform(0, page_every)
            page, next_page = parse_section(body), time.monotonic() + period
        code = rng.choice(list(page.options))
        known = acknowledged.answers.get(code)
        data = {
            "choice": rng.choice(page.options[code]),
            "note": rng.choice(["", "Asked the accountant.", "Owner: Sam"]),
            "revision": known[2] if known else page.revisions.get(code, 0),
        }
        while not stop.is_set():
            status, body = _request(
                rr, log, "autosave", "POST", f"/assessments/{pk}/answers/{code}/", data
            )
            if status == 200 and b'"saved"' in body:
                acknowledged.answers[code] = (
                    data["choice"],
                    data["note"],
                    json.loads(body)["revision"],
                )
                break
            if status == 409 and b'"stale"' in body:
                # The first try was stored but its answer never arrived: the page now shows
                # the stored answer, as autosave.js does; nothing was lost if it is ours.
                current = json.loads(body)["current"]
                if (current["choice"], current["note"]) == (data["choice"], data["note"]):
                    acknowledged.answers[code] = (data["choice"], data["note"], current["revision"])
                else:
                    page = None
                break
            if status in (400, 401, 404):
                break  # a refusal, not a fault: counted as an error, not retried
            stop.wait(1.0)
        stop.wait(save_every * rng.uniform(0.5, 1.5))


# --- The set-up inside the app's environment ----------------------------------------------

SUBMIT_REPORTS = """
from accounts.models import User
from assessments.models import Assessment
from assessments.selectors import assessment_framework
from assessments.services import AnswerInput, answers_save, assessment_submit
for owner in {owners!r}:
    user = User.objects.get(email=owner["email"])
    a = Assessment.objects.get(pk=owner["assessment"])
    codes = list(assessment_framework(a).questions_by_id)
    answers_save(assessment=a, answers=[AnswerInput(c, "dont_know") for c in codes], user=user)
    assessment_submit(assessment=a, user=user)
"""

SESSIONS = """
import json
from django.conf import settings
from django.contrib.auth import login
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import RequestFactory
from accounts.models import User
keys = {{}}
for email in {emails!r}:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    login(request, User.objects.get(email=email), backend=settings.AUTHENTICATION_BACKENDS[-1])
    request.session.save()
    keys[email] = request.session.session_key
print(json.dumps(keys))
"""

REPORTS_FRESH = """
import json
from documents.kinds import REPORT
from documents.services import is_fresh
reports = REPORT.sources().filter(pk__in={ids!r})
print(json.dumps({{str(a.pk): is_fresh(REPORT, a) for a in reports}}))
"""

FLUSH_CACHE = "from django.core.cache import cache; cache.clear()"


# --- The drill ----------------------------------------------------------------------------------


@dataclass
class Fault:
    name: str
    began: float = 0.0
    recovered: float = 0.0
    in_flight: int = 0
    failovers: int = 0
    errors: int = 0
    lost: int = 0
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    note: str = ""
    ok: bool = True


class Drill:
    def __init__(self, root: Path):
        self.root = root
        base = _int("DRILL_PORT", 8301)
        self.pg = Postgres(root / "pg", base + 1)
        self.ports = [base + 2, base + 3]
        self.servers: list[Gunicorn] = []
        self.workers: list[Worker] = []
        self.release: Path | None = None
        self.log = Log()
        self.faults: list[Fault] = []

    # set-up and tear-down

    def setup(self) -> None:
        _log(f"PostgreSQL cluster of the drill's own on 127.0.0.1:{self.pg.port}")
        self.pg.create()
        self.pg.createdb("drill_app")
        extra = {
            "DJANGO_CACHE_BACKEND": "database",
            "WEB_CONCURRENCY": str(_int("DRILL_WEB_CONCURRENCY", 3)),
            "GUNICORN_MAX_REQUESTS": "0",
        }
        if os.environ.get("DATABASE_POOL"):
            extra["DATABASE_POOL"] = os.environ["DATABASE_POOL"]
        self.env = app_env(
            var_dir=self.root / "var", database_url=self.pg.url("drill_app"), extra=extra
        )
        owners = _int("DRILL_OWNERS", 40)
        self.site = prepare_site(self.env, owners=owners)
        manage(self.env, "createcachetable")
        reports = json.loads(subprocess.run(  # noqa: S603
            [sys.executable, "-m", "scripts.liveserver", "create-owners", "--count",
             str(_int("DRILL_REPORTS", 6)), "--prefix", "report"],
            cwd=REPO_DIR, env=self.env, capture_output=True, text=True, check=True, timeout=300,
        ).stdout)["owners"]  # fmt: skip
        manage(self.env, "shell", "-c", SUBMIT_REPORTS.format(owners=reports))
        self.reports = reports
        for i, port in enumerate(self.ports):
            self.servers.append(
                Gunicorn(self.env, port=port, log_path=self.root / f"server{i}.log")
            )
        for i in range(2):
            self.workers.append(Worker(self.env, f"drill-pdf-{i}", self.root / f"worker{i}.log"))
        for process in (*self.servers, *self.workers):
            process.start()
        self.supervise()
        _log(
            f"servers on {self.ports}, 2 workers, {owners} owners, {len(reports)} submitted reports"
        )

    def supervise(self) -> None:
        """Restart a worker that exited, as systemd's Restart=always does (docs/deployment.md):
        db_worker exits when the database goes away under it."""
        self.worker_restarts = 0
        self.supervising = threading.Event()

        def loop():
            while not self.supervising.wait(1.0):
                for worker in self.workers:
                    if worker.process is not None and worker.process.poll() is not None:
                        _log(f"{worker.worker_id} exited ({worker.process.returncode}): restarted")
                        self.worker_restarts += 1
                        with contextlib.suppress(Exception):
                            worker.start()

        threading.Thread(target=loop, daemon=True).start()

    def teardown(self) -> None:
        if hasattr(self, "supervising"):
            self.supervising.set()
        for process in (*self.servers, *self.workers):
            with contextlib.suppress(Exception):
                process.stop()
        media = str(Path(self.env["VAR_DIR"]) / "media") if hasattr(self, "env") else None
        # A bind mount of a directory onto itself: os.path.ismount cannot tell, the table can.
        if media and media in Path("/proc/self/mounts").read_text().split():
            subprocess.run(["umount", media], check=False)  # noqa: S603, S607
        with contextlib.suppress(Exception):
            self.pg.stop()
        if self.release:
            shutil.rmtree(self.release, ignore_errors=True)

    # the load

    def start_owners(self, owners: list[dict], save_every: float, page_every: float, ports=None):
        self.stop_owners = threading.Event()
        self.acknowledged = [Acknowledged(o["assessment"]) for o in owners]
        self.threads = []
        for i, (owner, acks) in enumerate(zip(owners, self.acknowledged, strict=True)):
            rr = RoundRobin(ports or self.ports)
            rr.cookies["sessionid"] = owner["session"]
            thread = threading.Thread(
                target=owner_loop,
                args=(rr, owner, self.site["pillars"], acks, self.log, self.stop_owners,
                      save_every, page_every),
                daemon=True, name=f"owner-{i}",
            )  # fmt: skip
            thread.start()
            self.threads.append(thread)

    def end_owners(self) -> None:
        self.stop_owners.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def sessions(self, owners: list[dict]) -> None:
        keys = json.loads(manage(self.env, "shell", "-c", SESSIONS.format(
            emails=[o["email"] for o in owners])).strip().splitlines()[-1])  # fmt: skip
        for owner in owners:
            owner["session"] = keys[owner["email"]]

    # faults

    def fault(self, name: str, action, settle: float) -> Fault:
        """Run ``action`` while the owners save; report what the owners saw until all is well."""
        phase = _float("DRILL_PHASE_SECONDS", 12)
        time.sleep(phase / 2)
        record = Fault(name)
        record.began = time.monotonic()
        _log(f"fault: {name}")
        try:
            record.note = action() or ""
        except Exception as exc:  # noqa: BLE001 - reported in the table, fails the run
            record.note, record.ok = f"the fault itself failed: {exc!r}"[:300], False
        time.sleep(settle + phase / 2)
        window_end = time.monotonic()
        events = self.log.between(record.began, window_end)
        record.in_flight = sum(1 for e in events if e.began < record.began)
        failed = [e for e in events if not e.ok]
        record.requests, record.errors = len(events), len(failed)
        record.failovers = sum(e.refused for e in events)
        self.log.hold()
        record.lost = lost_answers(self.env, self.acknowledged)
        self.log.go.set()
        record.ok = record.ok and not record.lost
        record.statuses = dict(sorted({e.status: sum(1 for f in failed if f.status == e.status)
                                       for e in failed}.items()))  # fmt: skip
        record.recovered = (max(e.ended for e in failed) if failed else record.began) - record.began
        # Still failing at the end of the window: not recovered.
        tail = [e for e in events if e.began > window_end - 2]
        if tail and not any(e.ok for e in tail):
            record.ok, record.note = False, (record.note + " still failing").strip()
        self.faults.append(record)
        return record

    def kill_server(self) -> str:
        server, began = self.servers[0], time.monotonic()
        server.stop(signal.SIGKILL)
        time.sleep(2)  # the host is down a moment before the supervisor restarts it
        server.start()
        return (
            f"server {server.port} killed, answering again after {time.monotonic() - began:.1f} s"
        )

    def kill_worker_mid_render(self) -> str:
        self._change_profiles(self.reports)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            running = json.loads(
                manage(self.env, "shell", "-c", RUNNING_RENDERS).strip().splitlines()[-1]
            )
            for i, worker in enumerate(self.workers):
                if worker.worker_id in running:
                    worker.stop(signal.SIGKILL)  # the supervisor starts it again
                    return f"worker {i} killed during a render; restarted by the supervisor"
            time.sleep(0.05)
        raise RuntimeError("no render was seen running within 20 s")

    def restart_postgres(self) -> str:
        began = time.monotonic()
        self.pg.restart()
        return f"restarted in {time.monotonic() - began:.1f} s"

    def flush_cache(self) -> str:
        attacker = Client(self.ports[0])
        attacker.get("/accounts/login/")
        forwarded = {"X-Forwarded-For": "203.0.113.9"}  # a header value: no traffic goes there
        victim = self.site["owners"][0]["email"]

        def guess(password):
            attacker.get("/accounts/login/")
            fields = (
                f"csrfmiddlewaretoken={attacker.csrf_token}&username={victim}&password={password}"
            )
            headers = {"Content-Type": "application/x-www-form-urlencoded", **forwarded}
            status, _, _ = attacker.request("POST", "/accounts/login/", fields, headers)
            return status

        before = [guess(f"wrong-{i}") for i in range(6)]
        manage(self.env, "shell", "-c", FLUSH_CACHE)
        after = guess(self.site["password"])  # the right password, from the locked-out address
        attacker.close()
        if before[-1] != 429 or after != 429:
            raise RuntimeError(f"lockout lost: guesses {before}, after the flush {after}")
        return "5 wrong guesses locked the address out; still locked after the flush"

    def media_read_only(self) -> str:
        media = Path(self.env["VAR_DIR"]) / "media"
        media.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "--bind", "-o", "ro", str(media), str(media)], check=True)  # noqa: S603, S607
        try:
            self._change_profiles(self.reports[:1])
            owner = self.reports[0]
            client = Client(self.ports[1])
            client.cookies["sessionid"] = owner["session"]
            status, headers, body = client.get(f"/assessments/{owner['assessment']}/report.pdf")
            client.close()
            kind = headers.get("Content-Type", "")
            time.sleep(3)
        finally:
            subprocess.run(["umount", str(media)], check=True)  # noqa: S603, S607
        logged = sum(
            w.log_path.read_text(errors="replace").count("the render failed") for w in self.workers
        )
        if not (status == 200 and (body.startswith(b"%PDF") or "html" in kind)):
            raise RuntimeError(f"download during a read-only media: HTTP {status} {body[:120]!r}")
        return f"download: HTTP {status} {kind.split(';')[0]}; failed renders logged: {logged}"

    def deploy(self) -> str:
        self.release = self.root / "release"
        shutil.copytree(REPO_DIR, self.release, ignore=shutil.ignore_patterns(
            ".git", ".venv", "var", "__pycache__", "node_modules", ".ruff_cache"))  # fmt: skip
        migrations = self.release / "assessments" / "migrations"
        latest = sorted(p.stem for p in migrations.glob("[0-9][0-9][0-9][0-9]_*.py"))[-1]
        (migrations / "9000_drill_answer_reviewed_by_column.py").write_text(
            DEPLOY_MIGRATION.format(latest=latest)
        )
        env = dict(self.env, PYTHONPATH=str(self.release))
        began = time.monotonic()
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=self.release,  # noqa: S603
                       env=env, check=True, capture_output=True, timeout=300)  # fmt: skip
        migrated = time.monotonic() - began
        old = self.servers[1]
        old.stop()  # SIGTERM: gunicorn finishes the requests in hand
        new = Gunicorn(env, port=old.port, log_path=old.log_path, cwd=self.release)
        new.start()
        self.servers[1] = new
        return f"migration applied in {migrated:.1f} s under load; {new.port} on the new release"

    def _change_profiles(self, owners: list[dict]) -> None:
        """Each report owner renames their business: the report changes, a render is queued."""
        for owner in owners:
            client = Client(self.ports[0])
            client.cookies["sessionid"] = owner["session"]
            client.get("/accounts/business/")
            stamp = time.strftime("%H%M%S")
            status, _, body = client.post("/accounts/business/", {
                "name": f"Report business {owner['email'].split('@')[0]} {stamp}",
                "sector": "retail", "size_band": "1-9", "region": "Wales"})  # fmt: skip
            client.close()
            if status != 302:
                raise RuntimeError(f"profile change refused: HTTP {status} {body[:200]!r}")
            self.last_change = time.monotonic()

    # the checks at the end

    def reports_fresh(self) -> tuple[bool, float]:
        ids = [o["assessment"] for o in self.reports]
        while True:
            fresh = json.loads(manage(self.env, "shell", "-c", REPORTS_FRESH.format(ids=ids))
                               .strip().splitlines()[-1])  # fmt: skip
            waited = time.monotonic() - self.last_change
            if all(fresh.values()) and len(fresh) == len(ids):
                return True, waited
            if waited > FRESH_WITHIN:
                _log(f"stale reports: {[k for k, v in fresh.items() if not v]}")
                return False, waited
            time.sleep(1)

    def healthy(self) -> list[bool]:
        answers = []
        for port in self.ports:
            try:
                answers.append(Client(port, secure=False).get("/healthz/")[0] == 200)
            except OSError:
                answers.append(False)
        return answers

    def capacity(self, counts: list[int]) -> list[dict]:
        """The realistic load on one server, then on both, for each count of owners."""
        seconds = _float("DRILL_CAPACITY_SECONDS", 60)
        settle = _float("DRILL_CAPACITY_SETTLE_SECONDS", 15)
        owners = json.loads(subprocess.run(  # noqa: S603
            [sys.executable, "-m", "scripts.liveserver", "create-owners", "--count",
             str(max(counts)), "--prefix", "capacity"],
            cwd=REPO_DIR, env=self.env, capture_output=True, text=True, check=True, timeout=600,
        ).stdout)["owners"]  # fmt: skip
        self.sessions(owners)
        rows = []
        for count in counts:
            for servers in (1, 2):
                self.log = Log()
                ports = self.ports[:servers]
                _log(f"capacity: {count} owners on {servers} server(s), {settle:.0f} s settle "
                     f"then {seconds:.0f} s measured")  # fmt: skip
                self.start_owners(owners[:count], 5.0, page_every=60, ports=ports)
                time.sleep(settle)
                start = time.monotonic()
                time.sleep(seconds)
                self.end_owners()
                events = [
                    e for e in self.log.events if e.began >= start and e.ended <= start + seconds
                ]
                latencies = [e.ended - e.began for e in events]
                rows.append({
                    "owners": count, "servers": servers, "requests": len(events),
                    "rps": len(events) / seconds,
                    "p50_ms": percentile_ms(latencies, 50), "p95_ms": percentile_ms(latencies, 95),
                    "errors": sum(1 for e in events if not e.ok),
                    "lost": lost_answers(self.env, self.acknowledged),
                })  # fmt: skip
                r = rows[-1]
                _log(f"  p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, {r['rps']:.1f} req/s, "
                     f"errors {r['errors']}, lost {r['lost']}")  # fmt: skip
        return rows

    def connections_compared(self, requests: int, rounds: int = 3) -> None:
        """Persistent connections against Django's pool: one server process, requests one
        after another, the configurations taking turns so the host's drift falls on both.

        CPU seconds of the server process per request are reported beside the latency:
        on a busy host the CPU a request costs moves far less than its wall time.
        """
        owner = self.site["owners"][0]
        figures = {"persistent": [], "pool": []}
        for _ in range(rounds):
            for name in figures:
                env = dict(
                    self.env, WEB_CONCURRENCY="1", DATABASE_POOL="1" if name == "pool" else ""
                )
                server = Gunicorn(env, port=self.ports[1] + 2, log_path=self.root / "ab.log")
                server.start()
                client = Client(server.port)
                client.cookies["sessionid"] = owner["session"]
                pk = owner["assessment"]
                status, _, body = client.get(
                    f"/assessments/{pk}/section/{self.site['pillars'][0]}/"
                )
                page = parse_section(body)
                codes = list(page.options)
                revisions = dict(page.revisions)
                worker = _children(server.process.pid)[0]
                cpu_before, latencies = _cpu_seconds(worker), []
                for i in range(requests):
                    code = codes[i % len(codes)]
                    data = {
                        "choice": page.options[code][i % 2],
                        "note": "",
                        "revision": revisions[code],
                    }
                    began = time.perf_counter()
                    status, _, body = client.post(f"/assessments/{pk}/answers/{code}/", data,
                                                  csrf_header=True)  # fmt: skip
                    latencies.append(time.perf_counter() - began)
                    revisions[code] = json.loads(body)["revision"]
                cpu = (_cpu_seconds(worker) - cpu_before) / requests
                client.close()
                server.stop()
                figures[name].append((percentile_ms(latencies, 50), cpu * 1000))
        print("\nConnections: one worker, autosaves one after another (p50 ms, server CPU ms):")
        for name, rows in figures.items():
            shown = ", ".join(f"{p50:.1f} / {cpu:.2f}" for p50, cpu in rows)
            print(f"  {name:10} {shown}")

    def run(self) -> int:
        owners = self.site["owners"]
        self.sessions(owners + self.reports)
        save_every = _float("DRILL_SAVE_EVERY", 1.0)
        self.start_owners(owners, save_every, page_every=15)
        self.last_change = time.monotonic()
        faults = [
            ("baseline", "none (baseline)", lambda: "", 0),
            ("server", "app server killed (SIGKILL) and restarted", self.kill_server, 2),
            ("worker", "worker killed mid-render", self.kill_worker_mid_render, 2),
            ("postgres", "PostgreSQL restarted", self.restart_postgres, 2),
            ("cache", "cache flushed", self.flush_cache, 2),
            ("media", "media directory read-only", self.media_read_only, 2),
            ("deploy", "deploy: migration + one server restarted", self.deploy, 2),
        ]
        chosen = os.environ.get("DRILL_FAULTS", "all")
        if chosen != "all":  # "0": the baseline alone; or some of the keys above
            keys = {"baseline", *chosen.split(",")}
            faults = [fault for fault in faults if fault[0] in keys]
        try:
            for _, name, action, settle in faults:
                self.fault(name, action, settle)
            self._change_profiles(self.reports)
        finally:
            self.end_owners()
        lost = lost_answers(self.env, self.acknowledged)
        acknowledged = sum(len(a.answers) for a in self.acknowledged)
        fresh, waited = self.reports_fresh()
        healthy = self.healthy()
        print_table(self.faults)
        saves = [e for e in self.log.events if e.kind == "autosave"]
        print(
            f"\n{len(saves)} save requests, {acknowledged} distinct answers acknowledged, "
            f"{lost} lost or overwritten; p95 of all requests "
            f"{percentile_ms([e.ended - e.began for e in self.log.events], 95):.0f} ms"
        )
        print(f"every server answers /healthz/: {all(healthy)} {healthy}")
        print(f"every report's PDF fresh {waited:.1f} s after the last change: {fresh}")
        for server in self.servers:
            tracebacks = server.log().count("Traceback")
            if tracebacks:
                print(
                    f"server {server.port}: {tracebacks} tracebacks in its log ({server.log_path})"
                )
        failed = lost or not all(healthy) or not fresh or not all(f.ok for f in self.faults)
        if os.environ.get("DRILL_CONNECTIONS"):
            self.connections_compared(int(os.environ["DRILL_CONNECTIONS"]))
        counts = [int(c) for c in os.environ.get("DRILL_CAPACITY", "").split(",") if c.strip()]
        if counts:
            rows = self.capacity(counts)
            print_capacity(rows)
            failed = failed or any(r["errors"] or r["lost"] for r in rows)
        return 1 if failed else 0


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers), from /proc."""
    children = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError), open(stat) as f:
            if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.split("/")[2]))
    return sorted(children)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


RUNNING_RENDERS = """
import json
from django_tasks_db.models import DBTaskResult
running = DBTaskResult.objects.running().filter(task_path__startswith="documents.tasks.refresh_")
print(json.dumps([w for t in running for w in t.worker_ids[-1:]]))
"""

# A nullable column, added by the database only: the models (old and new release alike)
# do not read it, which is what a deploy's first step looks like.
DEPLOY_MIGRATION = '''"""Throwaway migration written by scripts/drill.py into its release copy."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("assessments", "{latest}")]
    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddField(
                    model_name="answer",
                    name="drill_reviewed_by",
                    field=models.TextField(null=True),
                )
            ]
        )
    ]
'''


def print_table(faults: list[Fault]) -> None:
    print(
        "\n| fault | requests in flight | requests in window | sent to the other server | "
        "errors seen by owners | recovery (s) | answers lost | held | what happened |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for f in faults:
        statuses = ", ".join(f"{s or 'no answer'}: {n}" for s, n in f.statuses.items())
        errors = f"{f.errors} ({statuses})" if f.errors else "0"
        print(
            f"| {f.name} | {f.in_flight} | {f.requests} | {f.failovers} | {errors} | "
            f"{f.recovered:.1f} | {f.lost} | {'yes' if f.ok else 'NO'} | {f.note} |"
        )


def print_capacity(rows: list[dict]) -> None:
    print("\nCapacity (the load generator shares the machine's cores with everything else):")
    print("| owners | app servers | requests/s | p50 (ms) | p95 (ms) | target p95 <= 150 ms | "
          "errors | lost answers |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in rows:
        met = "met" if r["p95_ms"] <= 150 else "missed"
        print(f"| {r['owners']} | {r['servers']} | {r['rps']:.1f} | {r['p50_ms']:.0f} | "
              f"{r['p95_ms']:.0f} | {met} | {r['errors']} | {r['lost']} |")  # fmt: skip


def main() -> int:
    if os.geteuid() != 0:
        raise SystemExit("make drill needs root: it runs PostgreSQL as postgres and bind-mounts")
    root = Path(tempfile.mkdtemp(prefix="drill-"))
    os.chmod(root, 0o755)  # noqa: S103 - postgres must reach its cluster below
    drill = Drill(root)
    began = time.monotonic()
    # SIGTERM (a timeout, a stopped CI job) runs the clean-up below too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        drill.setup()
        rc = drill.run()
        print(f"\ndrill finished in {time.monotonic() - began:.0f} s; logs were in {root}")
        return rc
    finally:
        drill.teardown()
        if os.environ.get("DRILL_KEEP_LOGS"):
            print(f"logs kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
