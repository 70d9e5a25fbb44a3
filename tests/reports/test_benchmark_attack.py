"""The attack of issue 23: nine accounts in a sector try to read the tenth business's score.

The attacker owns nine confirmed businesses in a sector where one real
business (the victim) has submitted. It picks its nine scores, waits for the
daily rebuild and reads everything the benchmark shows its nine accounts.
From that it keeps every victim score that would have shown exactly the
same: the victim's score is safe when that set reaches more than 10 points
away from the true score.

The first test plays the issue's own strategy through the real pipeline
(submissions, ``manage.py rebuild_benchmarks``, the results pages). The
sweep then plays many strategies, and all of them in a row as if on
successive days, through the same two functions the pipeline uses: the
rebuild stores ``published_figures`` and each page shows a ``Standing``.
"""

import io
import random
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment
from reports.benchmark import OVERALL, Standing, published_figures
from tests.factories import MembershipFactory, OrganizationFactory
from tests.reports.conftest import MINI_ANSWERS

SAFE_DISTANCE = 10  # the issue's target: the victim's score is not recoverable to ±10 points


def benchmark_section(response) -> str:
    """What the results page shows of the benchmark, white space collapsed."""
    html = response.content.decode()
    section = re.search(r'<section[^>]*id="benchmark".*?</section>', html, re.S)
    assert section, "the results page shows no benchmark section"
    return " ".join(section.group(0).split())


@pytest.mark.django_db
def test_the_issues_attack_cannot_tell_the_victims_score_from_one_far_away(
    client, submit_assessment
):
    victim_org = OrganizationFactory(name="The Victim", sector="retail")
    victim = submit_assessment(
        victim_org, MembershipFactory(organization=victim_org).user, MINI_ANSWERS
    )
    attackers = []
    for n in range(9):  # the issue's strategy: four at the bottom, five at the top
        org = OrganizationFactory(name=f"Throw-away {n}", sector="retail")
        owner = MembershipFactory(organization=org).user
        answers = dict.fromkeys(MINI_ANSWERS, "0" if n < 4 else "4")
        attackers.append((owner, submit_assessment(org, owner, answers)))

    def shown_to_attackers(victim_score: float) -> list[str]:
        """Give the victim this score, run the daily rebuild, read the nine results pages."""
        Assessment.objects.filter(pk=victim.pk).update(
            overall_score=victim_score,
            pillar_scores=dict.fromkeys(victim.pillar_scores, victim_score),
        )
        call_command("rebuild_benchmarks", stdout=io.StringIO())
        pages = []
        for owner, assessment in attackers:
            client.force_login(owner)
            pages.append(
                benchmark_section(client.get(reverse("reports:results", args=[assessment.pk])))
            )
        return pages

    true_score = 52.0
    seen = shown_to_attackers(true_score)
    assert "Lower quartile" in seen[0]  # the attacker does get figures to read

    candidates = [true_score] + [float(s) for s in range(0, 101, 10)]
    consistent = [s for s in candidates if shown_to_attackers(s) == seen]

    assert max(abs(s - true_score) for s in consistent) > SAFE_DISTANCE, consistent


# --- The sweep -------------------------------------------------------------------------

VICTIM_SCORES = [x / 2 for x in range(0, 201)]  # 0.0, 0.5, ... 100.0


def strategies() -> dict[str, list[float]]:
    """Nine attacker scores per strategy: the issue's, splits, clusters, probes, random."""
    plays = {"the issue's: four at 0, five at 100": [0.0] * 4 + [100.0] * 5}
    for low, high in ((0.0, 100.0), (40.0, 60.0), (49.0, 51.0), (74.0, 76.0)):
        for k in range(10):
            plays[f"{k} at {low}, {9 - k} at {high}"] = [low] * k + [high] * (9 - k)
    for value in range(0, 101, 5):
        plays[f"all nine at {value}"] = [float(value)] * 9
    for threshold in range(0, 101, 5):
        for below in (2, 4, 7):
            plays[f"{below} just below {threshold}, the rest just above"] = [
                threshold - 0.5
            ] * below + [threshold + 0.5] * (9 - below)
    plays["evenly spread"] = [i * 12.5 for i in range(9)]
    rng = random.Random(23)
    for n in range(200):
        plays[f"random {n}"] = [round(rng.uniform(0, 100), 1) for _ in range(9)]
    return plays


def shown(attacker_scores: list[float], victim_score: float) -> tuple:
    """Everything the benchmark shows the nine accounts after a rebuild, for one column."""
    figures = published_figures([{OVERALL: s} for s in [*attacker_scores, victim_score]])
    bands = figures.get(OVERALL)
    if bands is None:
        return ("not enough businesses",)
    standings = [Standing("Overall", s, tuple(bands)) for s in attacker_scores]
    return tuple(bands), tuple((s.bands_shown, s.where) for s in standings)


@pytest.fixture(scope="module")
def views() -> dict[str, dict[float, tuple]]:
    """For each strategy, what the nine accounts are shown for each possible victim score."""
    return {
        name: {x: shown(attacker, x) for x in VICTIM_SCORES}
        for name, attacker in strategies().items()
    }


def widest_doubt(seen: dict[float, tuple]) -> dict[float, float]:
    """For each true victim score, how far the farthest score showing the same lies from it."""
    alike: dict[tuple, list[float]] = {}
    for x, view in seen.items():
        alike.setdefault(view, []).append(x)
    return {x: max(abs(y - x) for y in alike[seen[x]]) for x in seen}


def test_no_strategy_narrows_the_victims_score_to_ten_points(views):
    for name, seen in views.items():
        pinned = [x for x, doubt in widest_doubt(seen).items() if doubt <= SAFE_DISTANCE]
        assert not pinned, f"{name}: these victim scores are known to ±10 points: {pinned}"


def test_all_strategies_played_on_successive_days_still_leave_more_than_ten_points(views):
    seen_over_the_days = {x: tuple(seen[x] for seen in views.values()) for x in VICTIM_SCORES}
    pinned = [x for x, doubt in widest_doubt(seen_over_the_days).items() if doubt <= SAFE_DISTANCE]
    assert not pinned, f"these victim scores are known to ±10 points: {pinned}"
