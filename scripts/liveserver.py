"""The app under real gunicorn on 127.0.0.1, and a small HTTP client that logs in to it.

Shared by ``scripts/loadtest.py``, ``bench/http_bench.py`` and the restart
test in ``tests/assessments/test_no_lost_answers.py``. Everything that needs
Django runs in a subprocess with the server's own environment, so the
calling process (pytest, with its test settings) is never confused about
which database it talks to.

``python -m scripts.liveserver create-owners --count N`` is the setup step:
it creates N owners, each with a business and an assessment in progress on
the active framework, and prints them as JSON.
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONF = REPO_DIR / "resilience_site" / "gunicorn.conf.py"
FULL_FRAMEWORK = REPO_DIR / "fixtures" / "framework.yaml"
OWNER_PASSWORD = "load-test-pass-2026"  # noqa: S105 - throwaway accounts in a temporary database
SECTORS = ["retail", "manufacturing", "service", "technology"]

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def free_port() -> int:
    """A TCP port nobody listens on right now (the usual bind-to-0 trick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(
    *,
    var_dir: Path,
    settings: str = "production",
    database_url: str | None = None,
    extra: dict | None = None,
) -> dict:
    """The environment for manage.py and gunicorn: a private VAR_DIR and database.

    Production settings by default, as deployed; the client then plays the
    TLS proxy (``X-Forwarded-Proto: https``), so secure cookies and the
    HTTPS CSRF checks are exercised too.
    """
    var_dir = Path(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": f"resilience_site.settings.{settings}",
            "VAR_DIR": str(var_dir),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if settings == "production":
        env["SECRET_KEY"] = secrets.token_urlsafe(60)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(var_dir / "db.sqlite3")
    env.update(extra or {})
    return env


def manage(env: dict, *args: str, timeout: int = 300) -> str:
    """Run ``manage.py`` with the server's environment; fail loudly with its output."""
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare_site(env: dict, *, framework: Path = FULL_FRAMEWORK, owners: int = 1) -> dict:
    """Migrate, import the framework, collect static files, create owners.

    Returns ``{"owners": [{"email", "assessment"}...], "pillars": [...],
    "password": ...}``.
    """
    manage(env, "migrate", "--noinput")
    manage(env, "import_framework", str(framework))
    if env["DJANGO_SETTINGS_MODULE"].endswith(".production"):
        # The manifest storage refuses to render a page before collectstatic.
        manage(env, "collectstatic", "--noinput")
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "scripts.liveserver", "create-owners", "--count", str(owners)],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"creating owners failed:\n{result.stderr}")
    return json.loads(result.stdout)


class Gunicorn:
    """``gunicorn resilience_site.wsgi`` with the project's config, in its own process group.

    The group lets ``stop(signal.SIGKILL)`` take the master and its workers
    down at once, like a crashed host, without touching anything else.
    """

    def __init__(
        self,
        env: dict,
        *,
        port: int | None = None,
        workers: int | None = None,
        threads: int | None = None,
        log_path: Path | None = None,
        cwd: Path = REPO_DIR,
    ):
        self.env = dict(env)
        self.cwd = cwd  # another release's copy of the code, in the fault drill's deploy
        self.port = port or free_port()
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        if threads:
            self.env["GUNICORN_THREADS"] = str(threads)
        self.log_path = Path(log_path or Path(env["VAR_DIR"]) / "gunicorn.log")
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> Gunicorn:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "resilience_site.wsgi"],
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start-up:\n{self.log()}")
            try:
                status, _, _ = Client(self.port).get("/healthz/")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        if sig == signal.SIGKILL:
            # Orphaned workers notice their master is gone within a second or so.
            _wait_for_port_free(self.port, timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _wait_for_port_free(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.1)


@dataclass
class Client:
    """A browser in miniature: one keep-alive connection, a cookie jar, CSRF tokens.

    ``secure=True`` adds the headers a TLS-terminating proxy would, so the
    production settings (secure cookies, HTTPS redirects, Origin checks) see
    an HTTPS request.
    """

    port: int
    secure: bool = True
    timeout: float = 30
    cookies: dict = field(default_factory=dict)
    csrf_token: str = ""
    reconnects: int = 0
    _conn: http.client.HTTPConnection | None = None

    def _headers(self, extra: dict | None = None) -> dict:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "resilience-loadtest"}
        if self.secure:
            headers["X-Forwarded-Proto"] = "https"
            headers["Origin"] = f"https://127.0.0.1:{self.port}"
        else:
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[int, dict, bytes]:
        """One request; reconnect once if the server closed the idle connection."""
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout
                )
            try:
                self._conn.request(method, path, body=body, headers=self._headers(headers))
                response = self._conn.getresponse()
                data = response.read()
            except (
                http.client.RemoteDisconnected,
                BrokenPipeError,
                ConnectionResetError,
                http.client.CannotSendRequest,
                http.client.ResponseNotReady,
            ):
                # Keep-alive ended (idle timeout, or a worker recycled by
                # max_requests) before the request was read: safe to resend.
                self.close()
                if attempt == 2:
                    raise
                self.reconnects += 1
                continue
            self._store_cookies(response.headers.get_all("Set-Cookie") or [])
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, dict(response.headers.items()), data
        raise AssertionError("unreachable")

    def _store_cookies(self, headers: list[str]) -> None:
        for header in headers:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str) -> tuple[int, dict, bytes]:
        status, headers, body = self.request("GET", path)
        token = csrf_token_in(body)
        if token:
            self.csrf_token = token
        return status, headers, body

    def post(self, path: str, data: dict, *, csrf_header: bool = False) -> tuple[int, dict, bytes]:
        """A form post; the CSRF token goes in the body, or in X-CSRFToken like autosave.js."""
        fields = dict(data)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if csrf_header:
            headers["X-CSRFToken"] = self.csrf_token
            headers["X-Requested-With"] = "fetch"
        else:
            fields.setdefault("csrfmiddlewaretoken", self.csrf_token)
        return self.request("POST", path, urlencode(fields), headers)

    def login(self, email: str, password: str = OWNER_PASSWORD) -> None:
        self.get("/accounts/login/")
        status, headers, body = self.post(
            "/accounts/login/", {"username": email, "password": password}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {email} failed: HTTP {status}\n{body[:500]!r}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def csrf_token_in(body: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    return match.group(1).decode() if match else ""


@dataclass
class SectionPage:
    """What the questionnaire page shows: each question's options and stored revision."""

    options: dict[str, list[str]]
    revisions: dict[str, int]
    checked: dict[str, str]


def parse_section(body: bytes) -> SectionPage:
    options: dict[str, list[str]] = {}
    revisions: dict[str, int] = {}
    checked: dict[str, str] = {}
    for tag in _INPUT.findall(body.decode("utf-8", errors="replace")):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        name = attrs.get("name", "")
        if attrs.get("type") == "radio" and name.startswith("q-"):
            code = name[2:]
            options.setdefault(code, []).append(attrs.get("value", ""))
            if re.search(r"\schecked\b", tag):
                checked[code] = attrs.get("value", "")
        elif name.startswith("rev-"):
            revisions[name[4:]] = int(attrs.get("value") or 0)
    return SectionPage(options=options, revisions=revisions, checked=checked)


# --- The setup step, run inside the server's environment ---------------------------


def create_owners(count: int, prefix: str = "owner") -> dict:
    """Owners with a business and an assessment in progress; idempotent per email."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import Membership, Organization, User
    from assessments.models import Pillar
    from assessments.selectors import active_framework
    from assessments.services import assessment_start

    # One hash for every account: hashing is slow on purpose, and these
    # accounts live as long as one temporary database.
    hashed = make_password(OWNER_PASSWORD)
    owners = []
    with transaction.atomic():
        for i in range(count):
            email = f"{prefix}{i}@loadtest.example"
            user, created = User.objects.get_or_create(email=email, defaults={"password": hashed})
            if created:
                organization = Organization.objects.create(
                    name=f"Load test business {prefix}{i}",
                    sector=SECTORS[i % len(SECTORS)],
                    size_band="1-9",
                    region="Wales",
                )
                Membership.objects.create(
                    user=user, organization=organization, role=Membership.Role.OWNER
                )
            organization = Membership.objects.get(user=user).organization
            assessment = assessment_start(organization=organization, user=user)
            owners.append({"email": email, "assessment": assessment.pk})
    pillars = list(
        Pillar.objects.filter(framework=active_framework())
        .order_by("position")
        .values_list("key", flat=True)
    )
    return {"owners": owners, "pillars": pillars, "password": OWNER_PASSWORD}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    owners = sub.add_parser("create-owners", help="create owners with an assessment in progress")
    owners.add_argument("--count", type=int, default=1)
    owners.add_argument("--prefix", default="owner")
    args = parser.parse_args(argv)
    if args.command == "create-owners":
        print(json.dumps(create_owners(args.count, args.prefix)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
