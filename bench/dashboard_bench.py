"""How fast the consultant dashboard answers for a firm with 1,000 clients.

The measurement runs in a child process (``python -m bench.dashboard_bench
--child``) with the test settings and a throw-away SQLite database in a
temporary directory, so it never touches var/db.sqlite3 and cannot clash with
another benchmark that sets Django up differently. The child migrates, imports
the real framework (fixtures/framework.yaml), bulk-loads 1,000 clients with
histories of real scoring results, then requests the dashboard in-process
through Django's test client: p50 and p95 over a mix of sorts, filters,
searches and pages.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench.child import run_child

REPO_DIR = Path(__file__).resolve().parent.parent
FRAMEWORK_FILE = REPO_DIR / "fixtures" / "framework.yaml"
CLIENTS = 1_000
REQUESTS = 30
WARM_UP = 3
TARGET_P95_MS = 150
SEED = 20260301
SECTORS = ("manufacturing", "service", "retail", "technology", "general")
# A consultant's morning: the default list, each sort, filters, a search, later pages.
QUERIES = [
    {},
    {"sort": "-score"},
    {"sort": "operational"},
    {"sort": "-technology"},
    {"sort": "status"},
    {"sort": "-activity"},
    {"sector": "retail"},
    {"status": "in_progress"},
    {"maturity": "1", "sort": "-score"},
    {"q": "bakery"},
    {"page": "7"},
    {"page": "20", "sort": "-financial"},
    {"sector": "service", "status": "submitted", "sort": "name"},
    {"page": "abc", "sort": "bogus"},
    {"maturity": "none"},
]
NAMES = ("Bakery", "Metalworks", "Consulting", "Software", "Garden Centre", "Logistics", "Print")


def run(clients: int = CLIENTS, requests: int = REQUESTS) -> list[dict]:
    """Measure in a fresh process and return the benchmark rows."""
    timings = run_child("bench.dashboard_bench", str(clients), str(requests))
    dashboard = timings["dashboard_ms"]
    return [
        {
            "benchmark": f"consultant dashboard, {clients:,} clients (p50 of {len(dashboard)})",
            "value": percentile(dashboard, 50),
            "unit": "ms",
            "target": "-",
        },
        {
            "benchmark": f"consultant dashboard, {clients:,} clients (p95 of {len(dashboard)})",
            "value": percentile(dashboard, 95),
            "unit": "ms",
            "target": f"<= {TARGET_P95_MS} ms",
        },
        {
            "benchmark": f"consultant dashboard SQL queries per request, {clients:,} clients",
            "value": float(max(timings["queries"])),
            "unit": "queries",
            "target": "same as with 10 clients",
        },
        {
            "benchmark": f"portfolio summary (pandas), {clients:,} clients (median)",
            "value": statistics.median(timings["portfolio_ms"]),
            "unit": "ms",
            "target": "-",
        },
    ]


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the smallest value with pct % of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


# --- In the child process ----------------------------------------------------------


def _child(clients: int, requests: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    consultant = _load(clients)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    _verified_login(client, consultant)
    for _ in range(WARM_UP):
        _get(client, "/consultant/", {})
    dashboard, queries = [], []
    for i in range(requests):
        params = QUERIES[i % len(QUERIES)]
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            _get(client, "/consultant/", params)
            dashboard.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured))
    portfolio = []
    for _ in range(5):
        start = time.perf_counter()
        _get(client, "/consultant/portfolio/", {})
        portfolio.append((time.perf_counter() - start) * 1000)
    return {"dashboard_ms": dashboard, "queries": queries, "portfolio_ms": portfolio}


def _verified_login(client, consultant) -> None:
    """Log in with a second factor: the test settings require it of consultants, as production."""
    import django_otp
    from django.http import HttpRequest
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=consultant, name="Authenticator app")
    client.force_login(consultant)
    request = HttpRequest()
    request.user, request.session = consultant, client.session
    django_otp.login(request, device)
    request.session.save()


def _get(client, url, params):
    response = client.get(url, params)
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params} answered {response.status_code}")
    return response


def _load(clients: int):
    """A firm with ``clients`` clients: bulk inserts, with real scoring results."""
    from django.db import transaction
    from django.utils import timezone

    import scoring
    from accounts.models import Firm, FirmMembership, Organization, User
    from assessments.models import Answer, Assessment, Question
    from assessments.selectors import framework_definition
    from assessments.services import framework_import

    rng = random.Random(SEED)
    framework = framework_import(path=FRAMEWORK_FILE).framework
    scorer = framework_definition(framework)
    questions = list(
        Question.objects.filter(framework=framework)
        .prefetch_related("options")
        .order_by("position")
    )
    now = timezone.now()
    with transaction.atomic():
        firm = Firm.objects.create(name="Bench Partners", slug="bench-partners")
        consultant = User.objects.create_user(email="bench@example.com", password=None)
        FirmMembership.objects.create(firm=firm, user=consultant, role="admin")
        orgs = Organization.objects.bulk_create(
            Organization(
                name=f"{rng.choice(NAMES)} {i:04d}",
                slug=f"bench-client-{i:04d}",
                sector=SECTORS[i % len(SECTORS)],
                size_band="1-9",
                region="Wales",
                firm=firm,
            )
            for i in range(clients)
        )
        assessments, partial_answers = [], []
        for org in orgs:
            skill = rng.uniform(0.2, 0.9)
            rounds = rng.choice((0, 1, 1, 2, 3))
            for r in range(rounds):
                answers = _answers(questions, rng, skill + 0.08 * r)
                result = scoring.score(scorer, answers, org.sector)
                when = now - timedelta(days=rng.randint(5, 360) // (r + 1))
                assessments.append(
                    Assessment(
                        organization=org,
                        framework=framework,
                        sector=org.sector,
                        status="submitted",
                        started_at=when - timedelta(days=3),
                        submitted_at=when,
                        result=result.to_dict(),
                        overall_score=result.overall,
                        pillar_scores={k: p.score for k, p in result.pillars.items()},
                        maturity_index=result.maturity.index,
                        coverage=result.coverage,
                        reviewed_at=when + timedelta(days=2) if rng.random() < 0.4 else None,
                    )
                )
            if rng.random() < 0.3 or rounds == 0 and rng.random() < 0.5:
                assessment = Assessment(organization=org, framework=framework, sector=org.sector)
                assessments.append(assessment)
                share = rng.random()
                partial_answers.append((assessment, questions[: int(len(questions) * share)]))
        created = Assessment.objects.bulk_create(assessments)
        # bulk_create ignores auto_now_add: put each assessment at its own date.
        for a in created:
            if a.status == "submitted":
                Assessment.objects.filter(pk=a.pk).update(
                    started_at=a.submitted_at - timedelta(days=3), updated_at=a.submitted_at
                )
        Answer.objects.bulk_create(
            Answer(
                assessment=assessment,
                question=question,
                kind="option",
                value=rng.choice(list(question.options.all())).value,
            )
            for assessment, answered in partial_answers
            for question in answered
        )
    return consultant


def _answers(questions, rng: random.Random, ability: float) -> dict:
    answers = {}
    for question in questions:
        values = sorted(o.value for o in question.options.all())
        roll = rng.random()
        if roll < 0.04:
            answers[question.code] = "dont_know"
        elif roll < 0.08 and question.allow_na:
            answers[question.code] = "na"
        else:
            level = min(max(ability + rng.gauss(0, 0.2), 0.0), 1.0)
            answers[question.code] = values[round(level * (len(values) - 1))]
    return answers


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        sys.path.insert(0, str(REPO_DIR))
        print(json.dumps(_child(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        for row in run():
            print(row)
