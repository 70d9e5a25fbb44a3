"""Where an organization stands among the businesses of its sector on this installation.

Each organization counts once, with its latest submission, and only once at
least MIN_ORGANIZATIONS contribute: with fewer, quartiles come close to
showing single businesses' scores. What leaves this module is the asking
organization's own standing (a percentile) and the quartiles: no name, no
other business's score, no minimum or maximum.

The distribution of a sector is computed with pandas from one query and kept
in Django's cache, keyed by the sector and by a version that changes with
every submission; ``manage.py rebuild_benchmarks`` computes every sector
afresh (after a deletion, or a business changing its sector).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Max

from accounts.models import Sector
from assessments.models import Assessment

MIN_ORGANIZATIONS = 10
OVERALL = "overall"
QUARTERS = ("the lowest quarter", "the second quarter", "the third quarter", "the top quarter")


@dataclass(frozen=True)
class Standing:
    """One score (overall or a pillar's) against the sector."""

    name: str
    score: float
    percentile: int  # the share of the sector's businesses scoring lower (ties count half)
    quartiles: tuple[float, float, float]

    @property
    def quarter(self) -> str:
        """Which quarter of the sector the score falls in, in words."""
        return QUARTERS[bisect.bisect_left(self.quartiles, self.score)]


@dataclass(frozen=True)
class Benchmark:
    sector_name: str
    organizations: int
    standings: list[Standing]

    @property
    def needed(self) -> int:
        """How many more organizations must contribute before the benchmark shows."""
        return max(MIN_ORGANIZATIONS - self.organizations, 0)


def submissions_version() -> str:
    """The time of the latest submission: a new one starts a new benchmark.

    One look-up in the (status, submitted_at) index. A deletion or a change
    of sector does not change it: ``manage.py rebuild_benchmarks`` then.
    """
    last = Assessment.objects.submitted().aggregate(last=Max("submitted_at"))["last"]
    return f"{last.timestamp() if last else 0}"


def sector_distribution(sector: str, pillar_keys: tuple[str, ...]) -> dict:
    """The sector's scores, computed with pandas from one query.

    Per column (overall and each pillar): how many businesses score below
    each tenth of a point (a cumulative count over 0.0 ... 100.0, small to
    cache whatever the sector's size) and the quartiles.
    """
    rows = (
        Assessment.objects.submitted()
        .filter(organization__sector=sector)
        .order_by("organization_id", "-submitted_at")
        .values_list("organization_id", "overall_score", "pillar_scores")
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["organization_id", OVERALL, "pillar_scores"]
    )
    # Ordered newest first within each organization: the first row is its latest submission.
    latest = frame.drop_duplicates("organization_id")
    pillars = pd.DataFrame.from_records(
        [scores or {} for scores in latest["pillar_scores"]], columns=list(pillar_keys)
    )
    scores = pd.concat([latest[OVERALL].reset_index(drop=True), pillars], axis=1)
    columns = {}
    for column in scores.columns:
        values = pd.to_numeric(scores[column], errors="coerce").dropna()
        tenths = (values * 10).round().clip(0, 1000).astype(int)
        columns[column] = {
            "count": len(values),
            "at_or_below": np.bincount(tenths, minlength=1001).cumsum().astype(np.int32),
            "quartiles": tuple(values.quantile([0.25, 0.5, 0.75]).round(1)) if len(values) else (),
        }
    return {"organizations": len(latest), "columns": columns}


def _cache_key(sector: str, pillar_keys: tuple[str, ...], version: str) -> str:
    return f"benchmark:{sector}:{','.join(pillar_keys)}:{version}"


def cached_distribution(sector: str, pillar_keys: tuple[str, ...], version: str) -> dict:
    key = _cache_key(sector, pillar_keys, version)
    distribution = cache.get(key)
    if distribution is None:
        distribution = sector_distribution(sector, pillar_keys)
        cache.set(key, distribution, timeout=None)
    return distribution


def sector_benchmark(assessment: Assessment, framework, result) -> Benchmark:
    """Where this submitted assessment's scores (``result``) stand in its organization's sector."""
    sector = assessment.organization.sector
    pillars = [(OVERALL, "Overall")] + [(p.key, p.name) for p in framework.pillars]
    distribution = cached_distribution(
        sector, tuple(p.key for p in framework.pillars), submissions_version()
    )
    organizations = distribution["organizations"]
    standings = []
    if organizations >= MIN_ORGANIZATIONS:
        own = {OVERALL: result.overall} | {k: p.score for k, p in result.pillars.items()}
        for key, name in pillars:
            column = distribution["columns"][key]
            if own.get(key) is None or column["count"] < MIN_ORGANIZATIONS:
                continue
            percentile = _percentile(column["at_or_below"], column["count"], own[key])
            standings.append(Standing(name, own[key], percentile, column["quartiles"]))
    return Benchmark(Sector(sector).label, organizations, standings)


def _percentile(at_or_below, count: int, score: float) -> int:
    """The share of ``count`` scores below ``score``, those equal to it counting half."""
    tenth = min(max(round(score * 10), 0), 1000)
    below = at_or_below[tenth - 1] if tenth else 0
    equal = at_or_below[tenth] - below
    return round(100 * (int(below) + int(equal) / 2) / count)


def rebuild_benchmarks(pillar_keys: tuple[str, ...]) -> dict[str, int]:
    """Compute every sector's distribution afresh into the cache; {sector: organizations}."""
    version = submissions_version()
    counts = {}
    for sector in Sector.values:
        distribution = sector_distribution(sector, pillar_keys)
        cache.set(_cache_key(sector, pillar_keys, version), distribution, timeout=None)
        counts[sector] = distribution["organizations"]
    return counts
