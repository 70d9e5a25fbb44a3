"""The dashboard: a row per client with status, scores and activity; sort, filter, search."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from assessments.models import Answer, Assessment, Question
from assessments.selectors import assessment_result
from assessments.services import AnswerInput, answer_save, assessment_start
from consultants.views.dashboard import CLIENTS_PER_PAGE
from tests.conftest import verified_login
from tests.consultants.conftest import answer_all, submitted_assessment
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("consultants:dashboard")
# Session read and save (3), user, firm membership, framework, pillars, count, the page's
# ids then its rows, in-progress answers and question totals, and the site nav's role
# checks: 16 today, whatever the number of clients, plus a little room for the nav.
MAX_DASHBOARD_QUERIES = 18


def client_of(firm, name, sector="retail"):
    membership = MembershipFactory(
        organization__name=name, organization__sector=sector, organization__firm=firm
    )
    return membership.organization, membership.user


@pytest.fixture
def portfolio(firm_a, mini_framework):
    """Five clients of firm A at each stage of the cycle."""
    strong, strong_owner = client_of(firm_a, "Anchor Bakery", "retail")
    submitted_assessment(strong, strong_owner, "4", days_ago=40)
    weak, weak_owner = client_of(firm_a, "Breakwater Metal", "manufacturing")
    submitted_assessment(weak, weak_owner, "0", days_ago=20)
    mixed, mixed_owner = client_of(firm_a, "Cove Consulting", "service")
    reviewed = submitted_assessment(
        mixed,
        mixed_owner,
        "2",
        overrides={"TE-F-01": "4", "TE-I-01": "4", "TE-A-01": "4"},
        days_ago=10,
    )
    Assessment.objects.filter(pk=reviewed.pk).update(reviewed_at=timezone.now())
    started, started_owner = client_of(firm_a, "Dune Software", "technology")
    from assessments.services import AnswerInput, answers_save, assessment_start

    in_progress = assessment_start(organization=started, user=started_owner)
    answers_save(
        assessment=in_progress,
        answers=[AnswerInput(c, "2") for c in ("OP-F-01", "OP-I-01", "OP-A-01")],
        user=started_owner,
    )
    not_started, _ = client_of(firm_a, "Estuary Shop", "retail")
    Organization.objects.filter(pk=not_started.pk).update(
        created_at=timezone.now() - timedelta(days=5)
    )
    return {"strong": strong, "weak": weak, "mixed": mixed, "started": started}


def names(response):
    return [row.organization.name for row in response.context["rows"]]


def test_every_client_shows_status_scores_maturity_pillars_and_activity(
    client, consultant, portfolio
):
    verified_login(client, consultant)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    rows = {row.organization.name: row for row in response.context["rows"]}
    assert list(rows) == [
        "Anchor Bakery",
        "Breakwater Metal",
        "Cove Consulting",
        "Dune Software",
        "Estuary Shop",
    ]
    assert rows["Anchor Bakery"].status == "submitted"
    assert rows["Anchor Bakery"].score == pytest.approx(100)
    assert rows["Anchor Bakery"].maturity_label == "Advanced"
    assert rows["Anchor Bakery"].pillars == [pytest.approx(100)] * 4
    assert rows["Breakwater Metal"].score == pytest.approx(0)
    assert rows["Breakwater Metal"].maturity_label == "Initial"
    assert rows["Cove Consulting"].status == "reviewed"
    assert rows["Cove Consulting"].pillars == [
        pytest.approx(50),
        pytest.approx(50),
        pytest.approx(50),
        pytest.approx(100),
    ]
    assert rows["Dune Software"].status == "in_progress"
    assert rows["Dune Software"].progress == 25  # 3 of 12
    assert rows["Dune Software"].score is None
    assert rows["Estuary Shop"].status == "not_started"
    html = response.content.decode()
    assert "In progress" in html and "25%" in html and "Not started" in html
    assert "Reviewed" in html and "Advanced" in html


def test_a_reassessment_counts_answers_from_last_time_only_once_confirmed(
    client, consultant, portfolio
):
    owner = portfolio["strong"].memberships.get().user
    again = assessment_start(organization=portfolio["strong"], user=owner, from_last_time=True)
    answer_save(assessment=again, data=AnswerInput("OP-F-01", "4"), user=owner)
    verified_login(client, consultant)

    response = client.get(DASHBOARD)

    rows = {row.organization.name: row for row in response.context["rows"]}
    assert rows["Anchor Bakery"].status == "in_progress"
    assert rows["Anchor Bakery"].progress == 8  # 1 of 12 confirmed; 11 still last time's


def test_scores_match_the_stored_result_of_the_latest_submitted_assessment(
    client, consultant, portfolio
):
    """A re-assessment in progress shows its progress, with the last submitted scores."""
    org = portfolio["strong"]
    owner = org.memberships.get().user
    from assessments.services import assessment_start

    assessment_start(organization=org, user=owner)
    verified_login(client, consultant)
    row = next(r for r in client.get(DASHBOARD).context["rows"] if r.organization == org)
    assert row.status == "in_progress" and row.progress == 0
    latest = org.assessments.filter(status="submitted").get()
    assert row.score == pytest.approx(latest.overall_score)
    assert row.score == pytest.approx(assessment_result(latest).overall)


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("name", ["Anchor", "Breakwater", "Cove", "Dune", "Estuary"]),
        ("-name", ["Estuary", "Dune", "Cove", "Breakwater", "Anchor"]),
        ("-score", ["Anchor", "Cove", "Breakwater", "Dune", "Estuary"]),
        ("score", ["Breakwater", "Cove", "Anchor", "Dune", "Estuary"]),  # no score: last
        ("-technology", ["Anchor", "Cove", "Breakwater", "Dune", "Estuary"]),
        ("operational", ["Breakwater", "Cove", "Anchor", "Dune", "Estuary"]),
        ("status", ["Estuary", "Dune", "Anchor", "Breakwater", "Cove"]),
        ("-status", ["Cove", "Anchor", "Breakwater", "Dune", "Estuary"]),
        ("-activity", ["Dune", "Estuary", "Cove", "Breakwater", "Anchor"]),
        ("-maturity", ["Anchor", "Breakwater", "Cove", "Dune", "Estuary"]),
    ],
)
def test_sorting_by_each_column(client, consultant, portfolio, sort, expected):
    verified_login(client, consultant)
    response = client.get(DASHBOARD, {"sort": sort})
    assert [n.split()[0] for n in names(response)] == expected
    assert not response.context["query"].ignored


def test_the_sorted_column_says_so_to_screen_readers(client, consultant, portfolio):
    verified_login(client, consultant)
    html = client.get(DASHBOARD, {"sort": "-score"}).content.decode()
    assert 'aria-sort="descending"' in html
    assert "Clients sorted by overall (descending)" in html
    assert '<th scope="row">' in html and '<th scope="col"' in html


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"sector": "retail"}, ["Anchor Bakery", "Estuary Shop"]),
        ({"status": "in_progress"}, ["Dune Software"]),
        ({"status": "reviewed"}, ["Cove Consulting"]),
        ({"status": "submitted"}, ["Anchor Bakery", "Breakwater Metal"]),
        ({"status": "not_started"}, ["Estuary Shop"]),
        ({"maturity": "3"}, ["Anchor Bakery"]),
        ({"maturity": "0"}, ["Breakwater Metal", "Cove Consulting"]),
        ({"maturity": "none"}, ["Dune Software", "Estuary Shop"]),
        ({"q": "bakery"}, ["Anchor Bakery"]),
        ({"q": "  COVE "}, ["Cove Consulting"]),
        ({"sector": "retail", "status": "submitted"}, ["Anchor Bakery"]),
        ({"q": "no such business"}, []),
    ],
)
def test_filters_and_search(client, consultant, portfolio, params, expected):
    verified_login(client, consultant)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert names(response) == expected
    if not expected:
        assert b"No client matches these filters." in response.content


def test_filter_controls_are_labelled(client, consultant, portfolio):
    verified_login(client, consultant)
    html = client.get(DASHBOARD).content.decode()
    for field in ("q", "sector", "maturity", "status"):
        assert f'<label class="form-label" for="id_{field}">' in html
        assert f'id="id_{field}"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "password"},
        {"sort": "--score"},
        {"sort": "name;DROP TABLE"},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1e9"},
        {"sector": "xyz"},
        {"maturity": "7"},
        {"maturity": "abc"},
        {"status": "lost"},
        {"q": "x" * 500},
        {"q": "%00\x00"},
        {"sector": ["retail", "xyz"]},
    ],
)
def test_bad_query_parameters_never_fail(client, consultant, portfolio, params):
    verified_login(client, consultant)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert response.context["rows"] is not None


def test_unknown_values_are_ignored_and_the_page_says_so(client, consultant, portfolio):
    verified_login(client, consultant)
    response = client.get(DASHBOARD, {"sector": "xyz", "sort": "bogus", "page": "abc"})
    assert len(names(response)) == 5  # no filter applied
    html = response.content.decode()
    assert "Ignored what this page does not recognise: sector, sort order." in html
    assert "There is no page “abc”" in html


def test_a_page_beyond_the_last_shows_the_last_page_with_a_notice(client, consultant, portfolio):
    verified_login(client, consultant)
    response = client.get(DASHBOARD, {"page": "99999"})
    assert response.context["page"].number == 1
    assert "There is no page “99999” of this list; showing page 1 of 1." in (
        response.content.decode()
    )


def test_a_consultant_with_no_clients_sees_how_to_invite_one(client, consultant, mini_framework):
    verified_login(client, consultant)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert b"No clients yet" in response.content
    assert b"Invite your first client" in response.content


def test_a_client_who_stops_sharing_leaves_the_dashboard(client, consultant, portfolio):
    Organization.objects.filter(pk=portfolio["strong"].pk).update(firm=None)
    verified_login(client, consultant)
    assert "Anchor Bakery" not in names(client.get(DASHBOARD))


# --- Many clients: 50 a page, and a fixed number of queries --------------------------


def make_clients(firm, framework, count):
    """Many clients at once (bulk inserts), cycling through every status.

    Scores come from one real assessment's stored result and pillar scores, so
    the dashboard reads the same JSON shapes as in production.
    """
    template_org, owner = client_of(firm, "Template Client 0000")
    template = submitted_assessment(template_org, owner, "2")
    now = timezone.now()
    orgs = Organization.objects.bulk_create(
        Organization(
            name=f"Client {i:04d}",
            slug=f"{firm.slug}-client-{i:04d}",
            sector=("manufacturing", "service", "retail", "technology")[i % 4],
            size_band="1-9",
            region="Wales",
            firm=firm,
        )
        for i in range(1, count)
    )
    assessments = []
    for i, org in enumerate(orgs):
        if i % 4 == 3:
            continue  # not started
        submitted = i % 4 != 2
        assessments.append(
            Assessment(
                organization=org,
                framework=framework,
                sector=org.sector,
                status="submitted" if submitted else "in_progress",
                submitted_at=now - timedelta(days=i % 300) if submitted else None,
                result=template.result if submitted else None,
                pillar_scores=template.pillar_scores if submitted else None,
                overall_score=(i * 7) % 100 if submitted else None,
                maturity_index=i % 4 if submitted else None,
                reviewed_at=now if i % 4 == 1 else None,
            )
        )
    created = Assessment.objects.bulk_create(assessments)
    question = Question.objects.filter(framework=framework).first()
    Answer.objects.bulk_create(
        Answer(assessment=a, question=question, kind="option", value=2)
        for a in created
        if a.status == "in_progress"
    )


@pytest.mark.parametrize("count", [10, 500])
def test_dashboard_queries_do_not_grow_with_the_number_of_clients(
    client, consultant, firm_a, mini_framework, count, django_assert_max_num_queries
):
    make_clients(firm_a, mini_framework, count)
    verified_login(client, consultant)
    for params in (
        {},
        {"sort": "-operational"},
        {"sort": "status", "sector": "retail"},
        {"status": "in_progress", "page": "2"},
        {"q": "client", "maturity": "2", "sort": "-activity"},
    ):
        with django_assert_max_num_queries(MAX_DASHBOARD_QUERIES):
            response = client.get(DASHBOARD, params)
        assert response.status_code == 200


def test_the_query_count_is_the_same_at_10_and_at_500_clients(
    client, consultant, firm_a, firm_b, mini_framework
):
    def queries_for(firm, count):
        make_clients(firm, mini_framework, count)
        from tests.factories import FirmMembershipFactory

        user = FirmMembershipFactory(firm=firm).user
        verified_login(client, user)
        client.get(DASHBOARD)  # warm the framework caches
        counts = []
        for params in ({}, {"status": "in_progress", "sort": "-activity"}):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(DASHBOARD, params)
            assert response.status_code == 200
            counts.append(len(captured))
        assert len(client.get(DASHBOARD).context["rows"]) == min(count, CLIENTS_PER_PAGE)
        return counts

    # Both pages hold in-progress clients, so both need the progress queries.
    assert queries_for(firm_a, 10) == queries_for(firm_b, 500)


def test_fifty_clients_a_page_with_working_page_links(client, consultant, firm_a, mini_framework):
    make_clients(firm_a, mini_framework, 120)
    verified_login(client, consultant)
    first = client.get(DASHBOARD)
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.num_pages == 3
    assert b"120 clients share" in first.content
    third = client.get(DASHBOARD, {"page": "3"})
    assert len(third.context["rows"]) == 20
    assert 'aria-current="page">3<' in third.content.decode()
    page_names = set(names(first)) | set(names(client.get(DASHBOARD, {"page": "2"})))
    assert not page_names & set(names(third))


def test_answer_all_helper_answers_every_question(client_org, client_owner):
    from assessments.services import assessment_start

    assessment = answer_all(
        assessment_start(organization=client_org, user=client_owner), client_owner
    )
    assert assessment.answers.filter(kind__isnull=False).count() == 12


def test_organizations_outside_the_firm_never_count(client, consultant, portfolio):
    OrganizationFactory(name="Nobody's Client")
    verified_login(client, consultant)
    response = client.get(DASHBOARD)
    assert "Nobody's Client" not in names(response)
    assert b"5 clients share" in response.content


@pytest.mark.parametrize(
    "url",
    [
        reverse("consultants:portfolio"),
        reverse("consultants:portfolio_export", args=["csv"]),
        reverse("consultants:portfolio_export", args=["xlsx"]),
    ],
)
def test_the_portfolio_and_exports_read_a_fixed_number_of_queries(
    client, firm_a, firm_b, mini_framework, url
):
    from tests.factories import FirmMembershipFactory

    def queries_for(firm, count):
        make_clients(firm, mini_framework, count)
        verified_login(client, FirmMembershipFactory(firm=firm).user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_for(firm_a, 10) == queries_for(firm_b, 300)


def test_a_pillar_with_nothing_to_score_shows_empty_not_zero(client, consultant, portfolio):
    """A stored JSON null stays NULL: SQLite's key transform would otherwise cast it to 0."""
    assessment = Assessment.objects.submitted().get(organization__name="Anchor Bakery")
    scores = {**assessment.pillar_scores, "operational": None}
    Assessment.objects.filter(pk=assessment.pk).update(pillar_scores=scores)
    verified_login(client, consultant)
    rows = {row.organization.name: row for row in client.get(DASHBOARD).context["rows"]}
    assert rows["Anchor Bakery"].pillars == [None] + [pytest.approx(100)] * 3
    ordered = names(client.get(DASHBOARD, {"sort": "operational"}))
    assert ordered[-1] in ("Anchor Bakery", "Dune Software", "Estuary Shop")


@pytest.mark.parametrize(
    "name, tab",
    [
        ("consultants:dashboard", "Clients"),
        ("consultants:portfolio", "Portfolio"),
        ("consultants:invitations", "Invite clients"),
    ],
)
def test_the_workspace_menu_marks_the_page_you_are_on(client, consultant, portfolio, name, tab):
    verified_login(client, consultant)
    page = re.sub(r"\s+", " ", client.get(reverse(name)).content.decode())
    assert re.search(rf'aria-current="page">{tab}</a>', page)
    assert page.count('aria-current="page"') == 1
