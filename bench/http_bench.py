"""HTTP throughput of the questionnaire against the bare /healthz/ view, on one gunicorn.

The server is the deployed one: gunicorn with resilience_site/gunicorn.conf.py,
the production settings, SQLite in a temporary directory and the full
framework (an 18-question section page). Each phase runs CONCURRENCY
keep-alive clients for SECONDS: the bare view (no session, no database),
the section page as a logged-in owner, and the autosave POST. The ratios are
the point: the client runs on the same machine, so absolute figures say as
much about the host as about the app.

The phases take turns, in BENCH_HTTP_ROUNDS (5) rounds of a fifth of the
time each, rather than one long phase after the other: this host's speed
drifts by 10-25 % within minutes, and a slow spell that fell on one long
phase moved the ratio by several points. Throughputs are totals over the
rounds; the ratio's spread over the rounds is printed beside it.

Worker recycling (``max_requests``) is off during the run: at benchmark
rates each worker would be replaced every second or two, and the
measurement would be of restarts and reconnections rather than of the
pages. Recycling costs the bare view most (it makes the most requests), so
leaving it on would flatter the ratios.

BENCH_HTTP_SECONDS (5 per phase, over all rounds), BENCH_HTTP_ROUNDS and
BENCH_HTTP_CONCURRENCY (8) tune a run;
WEB_CONCURRENCY and GUNICORN_THREADS the server.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from scripts.liveserver import Client, Gunicorn, app_env, parse_section, prepare_site


def _phase(clients: list[Client], request, seconds: float) -> tuple[list[float], float]:
    """Run ``request(client, i)`` in a loop on every client; each request's time, and the total."""
    latencies: list[list[float]] = [[] for _ in clients]
    failures: list[str] = []
    barrier = threading.Barrier(len(clients) + 1)
    stop_at = [0.0]

    def work(i: int, client: Client) -> None:
        barrier.wait()
        n = 0
        while time.monotonic() < stop_at[0]:
            began = time.perf_counter()
            status = request(client, n)
            latencies[i].append(time.perf_counter() - began)
            if status != 200:
                failures.append(f"HTTP {status}")
                return
            n += 1

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    began = time.monotonic()
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    if failures:
        raise RuntimeError(f"benchmark requests failed: {failures[:3]}")
    return [t for per_client in latencies for t in per_client], elapsed


class Tally:
    """One kind of request over every round: how many, how long, each one's time."""

    def __init__(self):
        self.latencies: list[float] = []
        self.seconds = 0.0
        self.rounds: list[float] = []  # requests/s in each round

    def add(self, latencies: list[float], seconds: float) -> None:
        self.latencies += latencies
        self.seconds += seconds
        self.rounds.append(len(latencies) / seconds)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000


def run() -> list[dict]:
    seconds = float(os.environ.get("BENCH_HTTP_SECONDS", "5"))
    rounds = max(1, int(os.environ.get("BENCH_HTTP_ROUNDS", "5")))
    concurrency = int(os.environ.get("BENCH_HTTP_CONCURRENCY", "8"))
    var_dir = Path(tempfile.mkdtemp(prefix="http-bench-"))
    try:
        env = app_env(var_dir=var_dir, extra={"GUNICORN_MAX_REQUESTS": "0"})
        for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
            if os.environ.get(name):
                env[name] = os.environ[name]
        site = prepare_site(env, owners=concurrency)
        pillar = site["pillars"][0]
        with Gunicorn(env) as server:
            bare_clients = [Client(server.port) for _ in range(concurrency)]
            owners = []
            for owner in site["owners"]:
                client = Client(server.port)
                client.login(owner["email"], site["password"])
                owners.append((client, owner["assessment"]))
            section_paths = [f"/assessments/{pk}/section/{pillar}/" for _, pk in owners]
            # Each owner's page, once: the CSRF token, the questions and the choices to post.
            pages = []
            for (client, _), path in zip(owners, section_paths, strict=True):
                pages.append(parse_section(client.get(path)[2]))
            codes = list(pages[0].options)
            revisions = [dict(page.revisions) for page in pages]
            index = {id(client): i for i, (client, _) in enumerate(owners)}

            def healthz(client, n):
                return client.get("/healthz/")[0]

            def section(client, n):
                return client.get(section_paths[index[id(client)]])[0]

            def autosave(client, n):
                i = index[id(client)]
                code = codes[n % len(codes)]
                options = pages[i].options[code]
                status, _, body = client.post(
                    f"/assessments/{owners[i][1]}/answers/{code}/",
                    {"choice": options[n % len(options)], "revision": revisions[i].get(code, 0)},
                    csrf_header=True,
                )
                if status == 200:
                    revisions[i][code] = json.loads(body)["revision"]
                return status

            owner_clients = [client for client, _ in owners]
            # Warm every worker up: imports, connections, the questionnaire's caches.
            _phase(bare_clients, healthz, min(1.0, seconds))
            _phase(owner_clients, section, min(1.0, seconds))
            bare, page, save = Tally(), Tally(), Tally()
            for _ in range(rounds):
                bare.add(*_phase(bare_clients, healthz, seconds / rounds))
                page.add(*_phase(owner_clients, section, seconds / rounds))
                save.add(*_phase(owner_clients, autosave, seconds / rounds))
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)

    page_ratios = [100 * p / b for p, b in zip(page.rounds, bare.rounds, strict=True)]
    save_ratios = [100 * s / b for s, b in zip(save.rounds, bare.rounds, strict=True)]
    bare_rps, bare_p50 = bare.rate, bare.p50_ms
    page_rps, page_p50 = page.rate, page.p50_ms
    save_rps, save_p50 = save.rate, save.p50_ms
    setup = f"{concurrency} clients, {seconds:g} s each in {rounds} rounds"
    return [
        {
            "benchmark": f"HTTP /healthz/ bare view ({setup})",
            "value": bare_rps,
            "unit": "req/s",
            "target": f"baseline; p50 {bare_p50:.1f} ms",
        },
        {
            "benchmark": "HTTP questionnaire section page, GET logged in",
            "value": page_rps,
            "unit": "req/s",
            "target": f"p50 {page_p50:.1f} ms",
        },
        {
            "benchmark": "HTTP autosave POST",
            "value": save_rps,
            "unit": "req/s",
            "target": f"p50 {save_p50:.1f} ms",
        },
        {
            "benchmark": "section page throughput / bare view",
            "value": 100 * page_rps / bare_rps,
            "unit": "%",
            "target": f"reported; rounds {min(page_ratios):.1f}-{max(page_ratios):.1f}",
        },
        {
            "benchmark": "autosave throughput / bare view",
            "value": 100 * save_rps / bare_rps,
            "unit": "%",
            "target": f"reported; rounds {min(save_ratios):.1f}-{max(save_ratios):.1f}",
        },
    ]
