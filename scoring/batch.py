"""Score many assessments at once into a pandas DataFrame.

The same rules as ``scoring.engine.score``, written as matrix arithmetic so
that 10,000 assessments take a fraction of a second: the answers become one
float matrix (assessments × questions), each (pillar, level) cell and each
pillar is a 0/1 membership matrix, and the weighted sums are matrix products.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

from scoring.engine import MATURITY_LABELS, SCORE_TOLERANCE, maturity_for
from scoring.model import DONT_KNOW, NOT_APPLICABLE, Answers, Framework

if TYPE_CHECKING:
    import pandas


def score_batch(
    framework: Framework,
    answer_sets: Mapping[Hashable, Answers],
    sectors: Mapping[Hashable, str | None] | str | None = None,
) -> pandas.DataFrame:
    """Score every answer set; one row per assessment id.

    ``sectors`` is one sector key for all, a mapping assessment id → sector
    key (ids it lacks get weights 1.0), or None. Columns: overall,
    maturity_index, maturity_label, coverage, one per pillar score
    (``<pillar>``) and one per level score (``<pillar>.<level>``); a score
    with nothing to score is NaN. Answers are trusted as in ``score``.
    """
    # numpy and pandas load here, not at module import, so `python -m scoring`
    # and `import scoring` stay quick for callers that never batch-score.
    import numpy as np
    import pandas as pd

    ids = list(answer_sets)
    pillars, levels = framework.pillar_keys, framework.level_keys
    n, k = len(ids), len(framework.questions)
    n_pillars, n_levels = len(pillars), len(levels)

    # One float per answer: the option value, +inf for "na", -inf for
    # "dont_know", NaN for unanswered, so a single matrix carries all four kinds.
    special = {None: np.nan, NOT_APPLICABLE: np.inf, DONT_KNOW: -np.inf}
    question_ids = [question.id for question in framework.questions]
    rows = [
        [special.get(value, value) for value in map(answers.get, question_ids)]
        for answers in answer_sets.values()
    ]
    raw = np.array(rows, dtype=float).reshape(n, k)

    is_option = np.isfinite(raw)
    is_na = raw == np.inf
    is_counted = is_option | (raw == -np.inf)
    span = framework.scale_max - framework.scale_min
    finite = np.where(is_option, raw, framework.scale_min)
    ratio = (finite - framework.scale_min) / span
    weights = np.array([question.weight for question in framework.questions], dtype=float)
    weighted = ratio * weights
    counted_weight = is_counted * weights

    pillar_index = {key: i for i, key in enumerate(pillars)}
    level_index = {key: i for i, key in enumerate(levels)}
    cell_members = np.zeros((k, n_pillars * n_levels))
    for j, question in enumerate(framework.questions):
        cell = pillar_index[question.pillar] * n_levels + level_index[question.level]
        cell_members[j, cell] = 1.0
    pillar_members = cell_members.reshape(k, n_pillars, n_levels).sum(axis=2)

    with np.errstate(divide="ignore", invalid="ignore"):
        # Divide before scaling, as score() does, so a full level is exactly 100.
        level_scores = 100.0 * ((weighted @ cell_members) / (counted_weight @ cell_members))
        pillar_scores = 100.0 * ((weighted @ pillar_members) / (counted_weight @ pillar_members))
    level_scores = level_scores.reshape(n, n_pillars, n_levels)

    sector_weights = _sector_weights(framework, ids, sectors)
    has_score = ~np.isnan(pillar_scores)
    weight_sum = (sector_weights * has_score).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weighted_sum = (sector_weights * np.where(has_score, pillar_scores, 0.0)).sum(axis=1)
        overall = weighted_sum / weight_sum
    overall[weight_sum == 0] = np.nan
    # Same clamp as score(): float rounding must not push the mean outside its pillars.
    lowest = np.where(has_score, pillar_scores, np.inf).min(axis=1)
    highest = np.where(has_score, pillar_scores, -np.inf).max(axis=1)
    overall = np.clip(overall, lowest, highest)

    threshold = float(framework.maturity_threshold) - SCORE_TOLERANCE
    met = np.isnan(level_scores) | (level_scores >= threshold)
    pillar_maturity = np.cumprod(met, axis=2).sum(axis=2)
    # As in score(): with nothing scored anywhere the overall maturity is "Initial".
    maturity_index = np.where(has_score.any(axis=1), pillar_maturity.min(axis=1), 0).astype(int)
    labels = np.array(
        [maturity_for(framework, i).label for i in range(max(len(MATURITY_LABELS), n_levels + 1))],
        dtype=object,
    )

    coverage = 100.0 * (is_option | is_na).sum(axis=1) / k if k else np.zeros(n)

    columns = {
        "overall": overall,
        "maturity_index": maturity_index,
        "maturity_label": labels[maturity_index],
        "coverage": coverage,
    }
    for p, pillar in enumerate(pillars):
        columns[pillar] = pillar_scores[:, p]
    for p, pillar in enumerate(pillars):
        for lv, level in enumerate(levels):
            columns[f"{pillar}.{level}"] = level_scores[:, p, lv]
    return pd.DataFrame(columns, index=pd.Index(ids, name="assessment_id"))


def _sector_weights(framework: Framework, ids: list, sectors):
    """An (assessments × pillars) matrix of sector pillar weights."""
    import numpy as np

    if sectors is None or isinstance(sectors, str):
        row = list(framework.pillar_weights(sectors).values())
        return np.tile(np.array(row, dtype=float), (len(ids), 1))
    # Few distinct sectors: look each up once, then index rows by sector.
    by_sector = {}
    rows = []
    for assessment_id in ids:
        key = sectors.get(assessment_id)
        if key not in by_sector:
            by_sector[key] = list(framework.pillar_weights(key).values())
        rows.append(by_sector[key])
    return np.array(rows, dtype=float).reshape(len(ids), len(framework.pillars))
