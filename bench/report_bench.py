"""How long people wait for the PDF report: stored downloads, renders on demand and in the worker.

``run()`` starts a child process (``python -m bench.report_bench --child``)
that sets up Django on the test settings, with the database task backend,
its own temporary SQLite database and media directory (nothing under var/ is
touched), imports the question bank (fixtures/framework.yaml when it
exists, else a synthetic 72-question framework), submits a fully answered
assessment with notes and consultant comments, and measures:

- a render on demand: the download of a stale PDF, which renders and
  stores it (the first one cold, then the median of a few warm ones);
- the process's peak memory (ru_maxrss) after rendering, which is why this
  runs in its own process;
- the download of the stored PDF (median and 95th percentile);
- the background render: from a consultant's comment (a change to the
  report) until one ``manage.py db_worker``, started beforehand in a
  subprocess with its default one-second polling, has stored the new file.
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
FULL_FRAMEWORK = REPO_DIR / "fixtures" / "framework.yaml"
WARM_RUNS = 5
DOWNLOAD_RUNS = 50
BACKGROUND_RUNS = 3
PAGE_RUNS = 5
# The test settings with the database task backend, for this process and its worker.
BENCH_SETTINGS = """from resilience_site.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
"""

PILLARS = ("operational", "financial", "adaptive", "technology")
LEVELS = ("fundamentals", "intermediate", "advanced")
SECTORS = {
    "manufacturing": (1.3, 1.0, 0.9, 1.0),
    "service": (1.0, 1.0, 1.1, 1.0),
    "retail": (1.1, 1.1, 1.0, 0.9),
    "technology": (1.0, 0.9, 1.1, 1.3),
    "general": (1.0, 1.0, 1.0, 1.0),
}
QUESTIONS_PER_CELL = 6


def synthetic_framework() -> dict:
    """A 72-question framework in the import schema, with wording as long as the real one's."""
    questions = []
    for p, pillar in enumerate(PILLARS):
        for lv, level in enumerate(LEVELS):
            for i in range(QUESTIONS_PER_CELL):
                qid = f"{pillar[:2].upper()}-{level[0].upper()}-{i + 1:02d}"
                questions.append(
                    {
                        "id": qid,
                        "pillar": pillar,
                        "level": level,
                        "component": f"{pillar.title()} practice {i + 1}",
                        "title": f"Write down {pillar} practice {i + 1} ({level})",
                        "text": (
                            f"How well does the business handle {pillar} practice {i + 1} "
                            f"at the {level} level, including who is responsible and how "
                            f"often it is checked?"
                        ),
                        "help": "What counts: a written, shared and tested practice.",
                        "weight": (1.0, 1.5, 2.0)[(p + lv + i) % 3],
                        "allow_na": i % 3 == 0,
                        "options": [
                            {"value": v, "label": label}
                            for v, label in enumerate(
                                (
                                    "Not in place",
                                    "Talked about, nothing written",
                                    "Partly in place",
                                    "In place and written down",
                                    "In place, written, tested in the last 12 months",
                                )
                            )
                        ],
                        "recommendations": {
                            sector: (
                                f"{sector.title()} advice for {qid}: name an owner, write the "
                                f"practice down on one page, share it with the team and test it "
                                f"once a year. Done when: the test is recorded."
                            )
                            for sector in SECTORS
                        },
                        "effort": ("low", "medium", "high")[i % 3],
                    }
                )
    return {
        "version": "bench.report.1",
        "name": "Synthetic benchmark framework",
        "scale": {"min": 0, "max": 4},
        "maturity_threshold": 70,
        "pillars": [
            {"key": k, "name": f"{k.title()} resilience", "description": f"How {k} holds up."}
            for k in PILLARS
        ],
        "levels": [{"key": k, "name": k.title(), "description": ""} for k in LEVELS],
        "sectors": [
            {"key": k, "name": k.title(), "pillar_weights": dict(zip(PILLARS, w, strict=True))}
            for k, w in SECTORS.items()
        ],
        "questions": questions,
    }


def _framework_file(workdir: Path) -> Path:
    if FULL_FRAMEWORK.exists():
        return FULL_FRAMEWORK
    import yaml

    path = workdir / "framework.yaml"
    path.write_text(yaml.safe_dump(synthetic_framework(), sort_keys=False))
    return path


def _setup_django(workdir: Path) -> dict:
    """Set Django up in this process; return the environment for a worker on the same data."""
    (workdir / "bench_settings.py").write_text(BENCH_SETTINGS)
    sys.path.insert(0, str(workdir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    os.environ["VAR_DIR"] = str(workdir)
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(workdir), str(REPO_DIR)])}


def _seed(framework_path: Path):
    """A retail business with every question answered, notes, and consultant comments."""
    from accounts.models import Firm, FirmMembership, Membership, Organization, User
    from assessments.services import (
        AnswerInput,
        answers_save,
        assessment_start,
        assessment_submit,
        framework_import,
    )
    from reports.models import ReviewComment

    framework = framework_import(path=framework_path).framework
    firm = Firm.objects.create(name="Bench Advisers", slug="bench-advisers")
    organization = Organization.objects.create(
        name="Bench Bakery & Sons", sector="retail", size_band="10-49", region="Wales", firm=firm
    )
    owner = User.objects.create_user("owner@bench.example", "bench-password")
    consultant = User.objects.create_user("consultant@bench.example", "bench-password")
    Membership.objects.create(user=owner, organization=organization)
    FirmMembership.objects.create(user=consultant, firm=firm)
    assessment = assessment_start(organization=organization, user=owner)
    rng = random.Random(7)
    inputs = []
    for question in framework.questions.prefetch_related("options").order_by("position"):
        values = [o.value for o in question.options.all()]
        roll = rng.random()
        if question.allow_na and roll < 0.08:
            choice = "na"
        elif roll < 0.14:
            choice = "dont_know"
        else:
            choice = str(rng.choice(values))
        note = (
            "Discussed with the bookkeeper; the owner follows up before the next review."
            if rng.random() < 0.35
            else ""
        )
        inputs.append(AnswerInput(question_code=question.code, choice=choice, note=note))
    answers_save(assessment=assessment, answers=inputs, user=owner)
    assessment = assessment_submit(assessment=assessment, user=owner)
    for pillar_key, text in (
        ("", "A solid start. Focus the next quarter on the cash buffer and the backup test."),
        ("financial", "Agree an overdraft facility before you need it."),
        ("technology", "Test a restore from the backup, not only the backup itself."),
    ):
        ReviewComment.objects.create(
            assessment=assessment, author=consultant, pillar_key=pillar_key, text=text
        )
    return owner, consultant, assessment


def _page_count(document: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(document)).pages)


def _seconds(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _background_renders(worker_env: dict, workdir: Path, assessment, consultant) -> list[float]:
    """Seconds from a consultant's comment until a running db_worker has stored the new PDF."""
    from consultants.services import review_comment_add
    from documents import services
    from documents.kinds import REPORT

    def comment_and_wait(number: int) -> float:
        start = time.perf_counter()
        review_comment_add(assessment=assessment, author=consultant, text=f"Bench note {number}.")
        while not services.is_fresh(REPORT, assessment):
            if time.perf_counter() - start > 60:
                raise RuntimeError(f"no PDF after 60 s; see {workdir / 'worker.log'}")
            time.sleep(0.01)
        return time.perf_counter() - start

    with open(workdir / "worker.log", "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker"],
            cwd=REPO_DIR,
            env=worker_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            comment_and_wait(0)  # the worker's first render loads its fonts and templates
            return [comment_and_wait(number) for number in range(1, BACKGROUND_RUNS + 1)]
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def measure() -> list[dict]:
    """Runs in the child process: set up, seed, measure."""
    import resource

    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        workdir = Path(tmp)
        worker_env = _setup_django(workdir)
        owner, consultant, assessment = _seed(_framework_file(workdir))

        from django.test import Client
        from django.urls import reverse

        from documents.models import ReportPDF

        client = Client()
        client.force_login(owner)
        pdf_url = reverse("documents:report_pdf", args=[assessment.pk])

        def download() -> bytes:
            response = client.get(pdf_url)
            assert response.status_code == 200, response.status_code
            return response.getvalue()

        def download_stale() -> bytes:
            ReportPDF.objects.filter(assessment=assessment).update(digest="")
            return download()

        cold = _seconds(download_stale, 1)[0]
        on_demand = _seconds(download_stale, WARM_RUNS)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        pages = _page_count(download())
        stored = _seconds(download, DOWNLOAD_RUNS)
        page_url = reverse("reports:results", args=[assessment.pk])
        page = statistics.median(_seconds(lambda: client.get(page_url), PAGE_RUNS))
        background = _background_renders(worker_env, workdir, assessment, consultant)

        source = "fixtures/framework.yaml" if FULL_FRAMEWORK.exists() else "synthetic"
        questions = assessment.framework.questions.count()
        label = f"{questions} questions, {source}, {pages} pages"
        return [
            {
                "benchmark": f"PDF render on demand, cold ({label})",
                "value": cold,
                "unit": "s",
                "target": "-",
            },
            {
                "benchmark": "PDF render on demand, warm (median download of a stale PDF)",
                "value": statistics.median(on_demand),
                "unit": "s",
                "target": "<= 1.5 s",
            },
            {
                "benchmark": "PDF render peak memory (process RSS)",
                "value": peak_mb,
                "unit": "MB",
                "target": "<= 250 MB",
            },
            {
                "benchmark": f"stored PDF download (median of {DOWNLOAD_RUNS})",
                "value": statistics.median(stored) * 1000,
                "unit": "ms",
                # The download builds the report's HTML to prove the file is fresh: the p95
                # below is the target a person feels.
                "target": "-",
            },
            {
                "benchmark": f"stored PDF download (p95 of {DOWNLOAD_RUNS})",
                "value": _p95(stored) * 1000,
                "unit": "ms",
                "target": "<= 50 ms",
            },
            {
                "benchmark": f"background render, change to stored file, one db_worker "
                f"(max of {BACKGROUND_RUNS})",
                "value": max(background),
                "unit": "s",
                "target": "<= 10 s",
            },
            {
                "benchmark": "results page (median)",
                "value": page * 1000,
                "unit": "ms",
                "target": "<= 60 ms",
            },
        ]


def run() -> list[dict]:
    """Measure in a fresh child process, so peak memory and the cold render are the report's own."""
    env = {**os.environ, "PYTHONPATH": str(REPO_DIR)}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.report_bench", "--child"],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"report benchmark failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(measure()))
    else:
        for row in run():
            print(f"{row['benchmark']}: {row['value']:.3f} {row['unit']} (target {row['target']})")
