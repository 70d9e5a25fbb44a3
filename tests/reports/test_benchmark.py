"""The sector benchmark: published daily, only from confirmed businesses, in coarse bands.

The attack it resists is played in test_benchmark_attack.py.
"""

import io
import re
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from reports import benchmark
from reports.benchmark import Standing, published_figures, quartile_bands
from reports.models import SectorBenchmark
from tests.factories import MembershipFactory, OrganizationFactory
from tests.reports.conftest import MINI_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def peers(submit_assessment):
    """Submit one assessment for each of ``count`` businesses, named with a canary."""

    def make(count, choice="2", sector="retail", confirmed=True):
        owners = []
        for n in range(count):
            org = OrganizationFactory(name=f"PEER-CANARY {n}", sector=sector)
            owner = MembershipFactory(organization=org, user__email_confirmed=confirmed).user
            answers = dict.fromkeys(MINI_ANSWERS, choice if n % 2 else "4")
            submit_assessment(org, owner, answers)
            owners.append(owner)
        return owners

    return make


def rebuild():
    """The daily run."""
    out = io.StringIO()
    call_command("rebuild_benchmarks", stdout=out)
    return out.getvalue()


def text(response) -> str:
    """The page with its white space collapsed, as a reader sees the sentences."""
    return " ".join(response.content.decode().split())


def benchmark_words(response) -> str:
    """The words of the page's benchmark section, without its markup."""
    html = re.search(r'<section[^>]*id="benchmark".*?</section>', response.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html.group(0)).split())


def results_of(client, owner, assessment):
    client.force_login(owner)
    return client.get(reverse("reports:results", args=[assessment.pk]))


# --- What counts ---------------------------------------------------------------------


def test_below_ten_organizations_it_says_not_enough_without_a_count(
    client, owner, submitted, peers
):
    peers(7)
    rebuild()

    section = benchmark_words(results_of(client, owner, submitted))

    assert "Not enough businesses in your sector yet" in section
    assert "Lower quartile" not in section
    assert not re.search(r"\d", section), section  # no count, no "2 more needed"


def test_with_ten_confirmed_organizations_it_shows_the_quarter_and_the_bands(
    client, owner, submitted, peers
):
    peers(9)
    rebuild()

    response = results_of(client, owner, submitted)

    shown = response.context["benchmark"]
    assert [s.name for s in shown.standings][0] == "Overall"
    body = text(response)
    assert "How you compare in your sector" in body
    assert "Lower quartile" in body
    assert shown.standings[0].where in body
    assert " quarter" in shown.standings[0].where
    assert "PEER-CANARY" not in body


def test_businesses_of_unconfirmed_owners_do_not_count(client, owner, submitted, peers):
    peers(8)
    peers(1, confirmed=False)  # a throw-away sign-up would have made ten

    out = rebuild()

    assert "retail: 9 organizations count (not shown yet)" in out
    assert "Not enough businesses in your sector yet" in text(results_of(client, owner, submitted))


def test_a_business_counts_once_its_owner_confirms(client, owner, submitted, peers):
    (late,) = peers(1, confirmed=False)
    peers(8)
    rebuild()
    assert not results_of(client, owner, submitted).context["benchmark"].standings

    User.objects.filter(pk=late.pk).update(email_confirmed=True)
    rebuild()

    assert results_of(client, owner, submitted).context["benchmark"].standings


def test_an_organization_counts_once_with_its_latest_submission(
    owner, retail_org, submitted, submit_assessment, peers
):
    peers(8)
    submit_assessment(retail_org, owner, dict.fromkeys(MINI_ANSWERS, "4"))

    assert "retail: 9 organizations count (not shown yet)" in rebuild()
    counted = [s["overall"] for s in benchmark.counted_scores("retail")]
    assert submitted.overall_score not in counted  # only the latest, which scored 100


def test_other_sectors_do_not_count(client, owner, submitted, peers):
    peers(12, sector="manufacturing")
    rebuild()

    assert not results_of(client, owner, submitted).context["benchmark"].standings


# --- When it changes -----------------------------------------------------------------


def test_a_submission_changes_nothing_shown_until_the_daily_rebuild(
    client, owner, submitted, peers
):
    peers(8)
    rebuild()
    peers(1)  # the tenth business submits during the day

    assert not results_of(client, owner, submitted).context["benchmark"].standings

    rebuild()

    assert results_of(client, owner, submitted).context["benchmark"].standings


def test_the_page_says_when_the_figures_were_computed(client, owner, submitted, peers):
    peers(9)
    benchmark.rebuild_benchmarks(now=datetime(2026, 12, 5, 2, 0, tzinfo=UTC))

    assert "Figures of 5 Dec 2026" in text(results_of(client, owner, submitted))


def test_rebuild_benchmarks_stores_every_sector(submitted, peers):
    peers(9)

    out = rebuild()

    assert "retail: 10 organizations count (shown)" in out
    assert "manufacturing: 0 organizations count (not shown yet)" in out
    assert set(SectorBenchmark.objects.values_list("sector", flat=True)) >= {
        "retail",
        "manufacturing",
    }
    assert SectorBenchmark.objects.get(sector="manufacturing").bands == {}


def test_reading_the_benchmark_costs_one_query(
    owner, submitted, peers, django_assert_max_num_queries
):
    from assessments.selectors import assessment_framework, stored_result

    peers(9)
    rebuild()
    submitted = benchmark.Assessment.objects.select_related("organization", "framework").get(
        pk=submitted.pk
    )
    framework, result = assessment_framework(submitted), stored_result(submitted)

    with django_assert_max_num_queries(1):
        shown = benchmark.sector_benchmark(submitted, framework, result)

    assert shown.standings


# --- What is shown -------------------------------------------------------------------


def test_no_percentile_count_minimum_or_maximum_is_ever_shown(client, owner, submitted, peers):
    peers(9)
    rebuild()

    section = benchmark_words(results_of(client, owner, submitted))

    assert "%" not in section
    assert not re.search(r"\b10\b", section) and "ten" not in section.lower()
    assert "Minimum" not in section and "Maximum" not in section


def test_each_quartile_is_one_business_s_score_in_a_band_of_25_points():
    # Ten businesses: the lower quartile is the 3rd score, the median the 5th, the upper the 8th.
    scores = [3, 8, 27, 40, 49.9, 50, 61, 76, 90, 100]

    assert quartile_bands(scores) == (25, 25, 75)
    assert quartile_bands([100] * 10) == (75, 75, 75)  # 100 is in the top band, 75-100


def test_a_column_is_published_only_when_ten_businesses_have_a_score_in_it():
    organizations = [{"overall": 50.0, "people": 10.0}] * 10 + [{"overall": 60.0}]
    organizations[0] = {"overall": 50.0, "people": None}

    assert published_figures(organizations) == {"overall": [50, 50, 50]}


@pytest.mark.parametrize(
    "score, where",
    [
        (10, "In the lowest quarter"),
        (30, "In the lowest or second quarter"),  # inside the lower quartile's band
        (55, "In the second or third quarter"),  # inside the median's band
        (80, "In the third or top quarter"),
        (100, "In the top quarter"),
    ],
)
def test_where_you_stand_says_only_what_the_bands_tell(score, where):
    standing = Standing("Overall", score, (25, 50, 75))

    assert standing.where == where
    assert standing.bands_shown == ("25–50", "50–75", "75–100")


def test_where_you_stand_may_span_three_or_four_quarters_when_the_bands_coincide():
    assert Standing("Overall", 60, (25, 50, 50)).where == "Above the lowest quarter"
    assert Standing("Overall", 40, (25, 25, 50)).where == "Below the top quarter"
    assert Standing("Overall", 60, (50, 50, 50)).where == (
        "Too close to the quartiles to say which quarter"
    )
