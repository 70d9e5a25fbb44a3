"""The sector benchmark: where a business stands, shown only when ten or more contribute."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from assessments.selectors import assessment_framework, stored_result
from reports import benchmark
from tests.factories import MembershipFactory, OrganizationFactory
from tests.reports.conftest import MINI_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def peers(submit_assessment):
    """Submit one assessment for each of ``count`` retail businesses, named with a canary."""

    def make(count, choice="2", sector="retail"):
        for n in range(count):
            org = OrganizationFactory(name=f"PEER-CANARY {n}", sector=sector)
            owner = MembershipFactory(organization=org).user
            answers = dict.fromkeys(MINI_ANSWERS, choice if n % 2 else "4")
            submit_assessment(org, owner, answers)

    return make


def text(response) -> str:
    """The page with its white space collapsed, as a reader sees the sentences."""
    return " ".join(response.content.decode().split())


def results_of(client, owner, assessment):
    client.force_login(owner)
    return client.get(reverse("reports:results", args=[assessment.pk]))


def test_with_fewer_than_ten_organizations_it_says_how_many_more_are_needed(
    client, owner, submitted, peers
):
    peers(7)

    response = results_of(client, owner, submitted)

    body = text(response)
    assert "once 2 more retail businesses submit an assessment" in body
    assert "Lower quartile" not in body


def test_with_ten_organizations_it_shows_percentile_and_quartiles(client, owner, submitted, peers):
    peers(9)

    response = results_of(client, owner, submitted)

    shown = response.context["benchmark"]
    assert shown.organizations == 10
    assert [s.name for s in shown.standings][0] == "Overall"
    assert all(0 <= s.percentile <= 100 for s in shown.standings)
    body = text(response)
    assert "How you compare in your sector" in body
    assert "Lower quartile" in body
    assert "PEER-CANARY" not in body


def test_an_organization_counts_once_with_its_latest_submission(
    owner, retail_org, submitted, submit_assessment, peers
):
    peers(9)
    latest = submit_assessment(retail_org, owner, dict.fromkeys(MINI_ANSWERS, "4"))

    shown = benchmark.sector_benchmark(latest, assessment_framework(latest), stored_result(latest))

    assert shown.organizations == 10
    overall = shown.standings[0]
    assert overall.score == latest.overall_score


def test_other_sectors_do_not_count(client, owner, submitted, peers):
    peers(12, sector="manufacturing")

    assert results_of(client, owner, submitted).context["benchmark"].needed == 9


def test_no_minimum_or_maximum_is_ever_shown(client, owner, submitted, peers):
    peers(9)

    body = text(results_of(client, owner, submitted))

    assert "Minimum" not in body and "Maximum" not in body
    assert "Lowest score" not in body and "Highest score" not in body


def test_the_percentile_counts_lower_scores_and_half_the_ties():
    # Five businesses scoring 10, 20, 30, 40 and 50.
    at_or_below = [sum(1 for s in (10, 20, 30, 40, 50) if s * 10 <= t) for t in range(1001)]

    assert benchmark._percentile(at_or_below, 5, 30) == 50
    assert benchmark._percentile(at_or_below, 5, 45) == 80
    assert benchmark._percentile(at_or_below, 5, 5) == 0


def test_a_new_submission_changes_the_cached_benchmark(client, owner, submitted, peers):
    peers(8)
    assert results_of(client, owner, submitted).context["benchmark"].needed == 1

    peers(1)

    assert results_of(client, owner, submitted).context["benchmark"].needed == 0


def test_the_benchmark_is_served_from_the_cache(
    client, owner, submitted, peers, django_assert_max_num_queries
):
    peers(9)
    results_of(client, owner, submitted)
    submitted = benchmark.Assessment.objects.select_related("organization", "framework").get(
        pk=submitted.pk
    )
    framework, result = assessment_framework(submitted), stored_result(submitted)

    with django_assert_max_num_queries(1):  # only the version: the distribution is cached
        shown = benchmark.sector_benchmark(submitted, framework, result)

    assert shown.standings


def test_rebuild_benchmarks_computes_every_sector(submitted, peers, capsys):
    peers(9)
    cache.clear()

    call_command("rebuild_benchmarks")

    assert "retail: 10 organizations (shown)" in capsys.readouterr().out
