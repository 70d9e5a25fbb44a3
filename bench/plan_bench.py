"""How fast the owner's action plan page answers with 100 items.

Runs in a child process (``python -m bench.plan_bench --child``) on the test
settings with a throw-away SQLite database, like the dashboard benchmark.
The child imports the current question bank, submits a fully answered
assessment through the services (which tracks its ranked actions), adds own
actions up to 100 items with due dates, statuses and a trail, then requests
the plan page in-process through Django's test client: p50 and p95, and the
number of SQL queries per request.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from bench.child import run_child
from bench.dashboard_bench import percentile

REPO_DIR = Path(__file__).resolve().parent.parent
FRAMEWORK_FILE = REPO_DIR / "fixtures" / "framework-2026.3.yaml"
ITEMS = 100
# 200, not 40: the p95 of 40 is the second-slowest request, which one pause of this shared
# host can move by 15 ms; of 200 it is the tenth-slowest, what a busy morning looks like.
REQUESTS = 200
WARM_UP = 3
TARGET_P95_MS = 50
SEED = 20260417


def run(items: int = ITEMS, requests: int = REQUESTS) -> list[dict]:
    """Measure in a fresh process and return the benchmark rows."""
    timings = run_child("bench.plan_bench", str(items), str(requests))
    page = timings["plan_ms"]
    return [
        {
            "benchmark": f"action plan page, {items} items (p50 of {len(page)})",
            "value": percentile(page, 50),
            "unit": "ms",
            "target": "-",
        },
        {
            "benchmark": f"action plan page, {items} items (p95 of {len(page)})",
            "value": percentile(page, 95),
            "unit": "ms",
            "target": f"<= {TARGET_P95_MS} ms",
        },
        {
            "benchmark": (
                f"action plan page with its largest fold opened, {items} items "
                f"(p95 of {len(timings['fold_ms'])})"
            ),
            "value": percentile(timings["fold_ms"], 95),
            "unit": "ms",
            "target": f"<= {TARGET_P95_MS} ms",
        },
        {
            "benchmark": f"action plan page SQL queries per request, {items} items",
            "value": float(max(timings["queries"])),
            "unit": "queries",
            "target": "fixed (tests/action_plans/test_plan_page.py)",
        },
    ]


def _child(items: int, requests: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    owner = _load(items)
    client = Client()
    client.force_login(owner)
    for _ in range(WARM_UP):
        _get(client)
    page, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            _get(client)
            page.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured))
    # What opening a closed fold waits for: js/plan_folds.js fetches the page with it open.
    fold = f"/plan/?fold={_largest_closed_fold(owner)}"
    folded = []
    for _ in range(requests):
        start = time.perf_counter()
        _get(client, fold)
        folded.append((time.perf_counter() - start) * 1000)
    return {"plan_ms": page, "fold_ms": folded, "queries": queries}


def _get(client, url="/plan/"):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def _largest_closed_fold(owner) -> str:
    from accounts.permissions import owner_organization
    from action_plans.selectors import organization_action_plan

    plan = organization_action_plan(owner_organization(owner))
    closed = [fold for fold in plan.folds if not fold.open]
    return max(closed, key=lambda fold: len(fold.rows)).key


def _load(items: int):
    """An owner with a submitted assessment of the real bank and a plan of ``items`` items."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Membership, Organization, User
    from action_plans.models import ActionItem
    from action_plans.services import ItemChange, action_item_add, action_item_update
    from assessments.models import Question
    from assessments.selectors import assessment_framework
    from assessments.services import (
        AnswerInput,
        answers_save,
        assessment_start,
        assessment_submit,
        framework_import,
    )

    rng = random.Random(SEED)
    framework = framework_import(path=FRAMEWORK_FILE).framework
    owner = User.objects.create_user(email="owner@bench.example", password=None)
    org = Organization.objects.create(
        name="Bench Bakery", sector="retail", size_band="1-9", region="Wales"
    )
    Membership.objects.create(organization=org, user=owner)
    assessment = assessment_start(organization=org, user=owner)
    # Every question the business's profile is asked (a 2026.3 bank leaves some out).
    asked = assessment_framework(assessment).questions_by_id
    answers = [
        AnswerInput(q.code, str(rng.choice([o.value for o in q.options.all()])))
        for q in Question.objects.filter(framework=framework).prefetch_related("options")
        if q.code in asked
    ]
    answers_save(assessment=assessment, answers=answers, user=owner)
    assessment_submit(assessment=assessment, user=owner)
    today = timezone.localdate()
    for n in range(items - ActionItem.objects.filter(organization=org).count()):
        action_item_add(organization=org, user=owner, title=f"Own action {n + 1}")
    for n, item in enumerate(ActionItem.objects.filter(organization=org)):
        status = ("todo", "doing", "done", "todo")[n % 4]
        action_item_update(
            item=item,
            user=owner,
            change=ItemChange(
                status=status,
                assignee=("Priya", "Tom", "")[n % 3],
                due_date=today + timedelta(days=rng.randint(-20, 120)),
                revision=item.revision,
            ),
        )
    return owner


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        sys.path.insert(0, str(REPO_DIR))
        print(json.dumps(_child(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        for row in run():
            print(row)
