"""How fast the scoring engine is, on a synthetic 72-question framework.

The framework is generated here (4 pillars × 3 levels × 6 questions), so the
benchmark does not move when the real question bank changes.
"""

import random
import statistics
import time

from scoring import Framework, LevelDef, OptionDef, PillarDef, QuestionDef, SectorDef
from scoring.batch import score_batch
from scoring.engine import score

PILLARS = ("operational", "financial", "adaptive", "technology")
LEVELS = ("fundamentals", "intermediate", "advanced")
QUESTIONS_PER_CELL = 6
SINGLE_RUNS = 500
BATCH_SIZE = 10_000
BATCH_RUNS = 3


def synthetic_framework() -> Framework:
    """A 72-question framework shaped like the real one (scale 0-4, four sectors)."""
    questions = []
    for p, pillar in enumerate(PILLARS):
        for lv, level in enumerate(LEVELS):
            for i in range(QUESTIONS_PER_CELL):
                questions.append(
                    QuestionDef(
                        id=f"{pillar[:2].upper()}-{level[0].upper()}-{i + 1:02d}",
                        pillar=pillar,
                        level=level,
                        text=f"Question {i + 1} on {pillar} at {level} level?",
                        weight=(1.0, 1.5, 2.0)[(p + lv + i) % 3],
                        allow_na=i % 3 == 0,
                        options=tuple(OptionDef(v, f"option {v}") for v in range(5)),
                        effort=("low", "medium", "high")[i % 3],
                    )
                )
    sectors = tuple(
        SectorDef(key, key.title(), dict(zip(PILLARS, weights, strict=True)))
        for key, weights in (
            ("manufacturing", (1.3, 1.0, 0.9, 1.0)),
            ("retail", (1.1, 1.1, 1.0, 0.9)),
            ("service", (1.0, 1.0, 1.1, 1.0)),
            ("technology", (1.0, 0.9, 1.1, 1.3)),
        )
    )
    return Framework(
        version="bench.1",
        name="Synthetic benchmark framework",
        scale_min=0,
        scale_max=4,
        maturity_threshold=70,
        pillars=tuple(PillarDef(key, key.title()) for key in PILLARS),
        levels=tuple(LevelDef(key, key.title()) for key in LEVELS),
        sectors=sectors,
        questions=tuple(questions),
    )


def random_answers(framework: Framework, rng: random.Random) -> dict:
    """A plausible answer set: mostly options, some "dont_know", "na" and blanks."""
    answers = {}
    for question in framework.questions:
        roll = rng.random()
        if roll < 0.05:
            continue
        if roll < 0.12:
            answers[question.id] = "dont_know"
        elif roll < 0.2 and question.allow_na:
            answers[question.id] = "na"
        else:
            answers[question.id] = rng.choice(question.options).value
    return answers


def run(single_runs: int = SINGLE_RUNS, batch_size: int = BATCH_SIZE) -> list[dict]:
    """Time one assessment (median of many runs) and a batch of assessments."""
    framework = synthetic_framework()
    rng = random.Random(20260101)
    sectors = [s.key for s in framework.sectors]

    one = random_answers(framework, rng)
    score(framework, one, "retail")  # warm-up: first call fills the framework's caches
    timings = []
    for _ in range(single_runs):
        start = time.perf_counter()
        score(framework, one, "retail")
        timings.append(time.perf_counter() - start)

    answer_sets = {i: random_answers(framework, rng) for i in range(batch_size)}
    sector_of = {i: sectors[i % len(sectors)] for i in answer_sets}
    batch_timings = []
    for _ in range(BATCH_RUNS):
        start = time.perf_counter()
        score_batch(framework, answer_sets, sector_of)
        batch_timings.append(time.perf_counter() - start)

    return [
        {
            "benchmark": "score one 72-question assessment (median)",
            "value": statistics.median(timings) * 1000,
            "unit": "ms",
            "target": "< 2 ms",
        },
        {
            "benchmark": f"score_batch {batch_size:,} assessments (median of {BATCH_RUNS})",
            "value": statistics.median(batch_timings),
            "unit": "s",
            "target": "< 3 s",
        },
    ]
