"""Where an organization stands among the businesses of its sector on this installation.

What counts: each organization whose owner has confirmed their email address,
once, with its latest submitted assessment. Throw-away sign-ups count for
nothing, and nothing is shown while fewer than MIN_ORGANIZATIONS count.

What is published, once a day by ``manage.py rebuild_benchmarks`` (stored in
``SectorBenchmark``, never recomputed on a submission): per score, overall
and each pillar, the lower quartile, the median and the upper quartile, each
as the 25-point band it falls in (0-25, 25-50, 50-75, 75-100). A page then
shows the owner's own score and which quarter of the sector it is in, as far
as those bands tell; no percentile, no count of businesses, no minimum or
maximum.

Why that is safe against someone who owns most of a sector (issue 23): each
quartile is the score of one real business (no interpolation between two),
so whatever scores an attacker chooses for its own businesses, every figure
is either one of its own scores' bands or the band of the victim's score,
and which one depends only on that band (banding and taking the middle of
three commute). Everything shown is therefore the same for every victim
score in one band: 25 points wide, so never narrower than ±12.5 points
around the score, however many days the attacker plays.
``tests/reports/test_benchmark_attack.py`` plays that attack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Membership, Sector
from assessments.models import Assessment

from .models import SectorBenchmark

MIN_ORGANIZATIONS = 10
BAND = 25  # points: wider than twice the ±10 points a business's score must stay hidden within
OVERALL = "overall"
QUARTERS = ("lowest", "second", "third", "top")


def band_of(score: float) -> int:
    """The lower edge of the 25-point band a 0-100 score falls in (100 is in 75-100)."""
    return min(int(max(score, 0) // BAND) * BAND, 100 - BAND)


def quartile_bands(scores: Iterable[float]) -> tuple[int, int, int]:
    """The bands of the lower quartile, median and upper quartile of ``scores``.

    Each quartile is one business's score, the smallest with at least a
    quarter (a half, three quarters) of the scores at or below it, never a
    mix of two: a mix would move with the victim's score point by point.
    """
    ordered = sorted(scores)
    count = len(ordered)
    return tuple(band_of(ordered[-(-count * k // 4) - 1]) for k in (1, 2, 3))


def published_figures(organizations: Iterable[Mapping[str, float | None]]) -> dict[str, list[int]]:
    """{column: quartile bands} from each counted organization's {column: score}.

    A column (overall or a pillar) is published only when at least
    MIN_ORGANIZATIONS have a score in it.
    """
    columns: dict[str, list[float]] = {}
    for scores in organizations:
        for column, score in scores.items():
            if score is not None:
                columns.setdefault(column, []).append(float(score))
    return {
        column: list(quartile_bands(scores))
        for column, scores in sorted(columns.items())
        if len(scores) >= MIN_ORGANIZATIONS
    }


@dataclass(frozen=True)
class Standing:
    """One score (overall or a pillar's) against the sector's published bands."""

    name: str
    score: float
    bands: tuple[int, int, int]  # lower edges of the lower quartile's, median's, upper quartile's

    @property
    def bands_shown(self) -> tuple[str, str, str]:
        """Each quartile as its band in words: "50–75"."""
        return tuple(f"{low}–{low + BAND}" for low in self.bands)

    @property
    def quarters(self) -> tuple[int, int]:
        """The first and last quarter (0-3) the score may be in, as far as the bands tell.

        Quarter k is possible when the score may be at or above the k-th
        quartile (at or above its band's lower edge) and below the next one
        (below its band's upper edge).
        """
        possible = [
            k
            for k in range(4)
            if (k == 0 or self.score >= self.bands[k - 1])
            and (k == 3 or self.score < self.bands[k] + BAND)
        ]
        return possible[0], possible[-1]

    @property
    def where(self) -> str:
        """The quarter in words: "In the top quarter", "Above the lowest quarter"."""
        first, last = self.quarters
        if first == last:
            return f"In the {QUARTERS[first]} quarter"
        if last == first + 1:
            return f"In the {QUARTERS[first]} or {QUARTERS[last]} quarter"
        if first == 0 and last == 3:
            return "Too close to the quartiles to say which quarter"
        return "Above the lowest quarter" if first == 1 else "Below the top quarter"


@dataclass(frozen=True)
class Benchmark:
    sector_name: str
    computed_at: datetime | None  # None until the first rebuild
    standings: list[Standing]


def sector_benchmark(assessment: Assessment, framework, result) -> Benchmark:
    """Where this submitted assessment's scores (``result``) stand in its organization's sector.

    One query: the sector's stored figures.
    """
    sector = assessment.organization.sector
    stored = SectorBenchmark.objects.filter(sector=sector).first()
    bands = stored.bands if stored else {}
    own = {OVERALL: result.overall} | {k: p.score for k, p in result.pillars.items()}
    columns = [(OVERALL, "Overall")] + [(p.key, p.name) for p in framework.pillars]
    standings = [
        Standing(name, own[key], tuple(bands[key]))
        for key, name in columns
        if key in bands and own.get(key) is not None
    ]
    return Benchmark(Sector(sector).label, stored.computed_at if stored else None, standings)


def counted_scores(sector: str) -> list[dict[str, float | None]]:
    """{column: score} of each organization that counts in the sector, from its latest submission.

    An organization counts when its owner has confirmed their address: an
    account anyone can make with any address in a minute must not move the
    figures.
    """
    confirmed_owner = Membership.objects.filter(
        organization=OuterRef("organization"),
        role=Membership.Role.OWNER,
        user__email_confirmed=True,
        user__is_active=True,
    )
    rows = (
        Assessment.objects.submitted()
        .filter(Exists(confirmed_owner), organization__sector=sector)
        .order_by("organization_id", "-submitted_at")
        .values_list("organization_id", "overall_score", "pillar_scores")
    )
    latest = {}
    for organization_id, overall, pillars in rows:
        # Newest first within each organization: the first row seen is its latest submission.
        latest.setdefault(organization_id, {OVERALL: overall} | (pillars or {}))
    return list(latest.values())


@transaction.atomic
def rebuild_benchmarks(now: datetime | None = None) -> dict[str, int]:
    """Publish every sector's figures afresh; {sector: organizations counted}."""
    now = now or timezone.now()
    counts = {}
    for sector in Sector.values:
        organizations = counted_scores(sector)
        SectorBenchmark.objects.update_or_create(
            sector=sector,
            defaults={"bands": published_figures(organizations), "computed_at": now},
        )
        counts[sector] = len(organizations)
    return counts
