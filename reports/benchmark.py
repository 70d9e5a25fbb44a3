"""Where an organization stands among the businesses of its sector on this installation.

Each organization counts once, with its latest submission, and only once at
least MIN_ORGANIZATIONS contribute: with fewer, quartiles come close to
showing single businesses' scores. What leaves this module is the asking
organization's own standing (a percentile) and the quartiles: no name, no
other business's score, no minimum or maximum.

The distribution of a sector is computed with pandas from one query and kept
in Django's cache, keyed by the sector and by a version that changes with
every submission; ``manage.py rebuild_benchmarks`` computes every sector
afresh.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.fields.json import KT

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
    """Changes whenever an assessment is submitted (or a submitted one removed)."""
    stats = Assessment.objects.filter(status=Assessment.Status.SUBMITTED).aggregate(
        count=Count("pk"), last=Max("submitted_at")
    )
    return f"{stats['count']}-{stats['last'].timestamp() if stats['last'] else 0}"


def sector_distribution(sector: str, pillar_keys: tuple[str, ...]) -> dict:
    """The sector's scores, each column sorted, with the quartiles: computed from one query."""
    rows = (
        Assessment.objects.filter(status=Assessment.Status.SUBMITTED, organization__sector=sector)
        .order_by("organization_id", "-submitted_at")
        .values(
            "organization_id",
            "overall_score",
            **{key: KT(f"result__pillars__{key}__score") for key in pillar_keys},
        )
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["organization_id", "overall_score", *pillar_keys]
    )
    # Ordered newest first within each organization: the first row is its latest submission.
    latest = frame.drop_duplicates("organization_id").rename(columns={"overall_score": OVERALL})
    columns = {}
    for column in (OVERALL, *pillar_keys):
        values = pd.to_numeric(latest[column], errors="coerce").dropna().sort_values()
        quartiles = values.quantile([0.25, 0.5, 0.75]).round(1).tolist() if len(values) else []
        columns[column] = {"sorted": values.tolist(), "quartiles": tuple(quartiles)}
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
            if own.get(key) is None or len(column["sorted"]) < MIN_ORGANIZATIONS:
                continue
            standings.append(
                Standing(name, own[key], _percentile(column["sorted"], own[key]), column["quartiles"])
            )
    return Benchmark(Sector(sector).label, organizations, standings)


def _percentile(ordered: list[float], value: float) -> int:
    below = bisect.bisect_left(ordered, value)
    equal = bisect.bisect_right(ordered, value) - below
    return round(100 * (below + equal / 2) / len(ordered))


def rebuild_benchmarks(pillar_keys: tuple[str, ...]) -> dict[str, int]:
    """Compute every sector's distribution afresh into the cache; {sector: organizations}."""
    version = submissions_version()
    counts = {}
    for sector in Sector.values:
        distribution = sector_distribution(sector, pillar_keys)
        cache.set(_cache_key(sector, pillar_keys, version), distribution, timeout=None)
        counts[sector] = distribution["organizations"]
    return counts
