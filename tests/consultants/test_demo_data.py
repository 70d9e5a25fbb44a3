"""The demo data command: real scores through the services, loaded once whatever happens."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Firm, FirmMembership, Organization, User
from assessments.models import Answer, Assessment
from consultants.management.commands import load_demo_data as demo
from continuity.selectors import ContinuityPlanState, continuity_plan_state
from reports.models import ReviewComment
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

NOT_PRODUCTION = "--i-know-this-is-not-production"


@pytest.fixture(autouse=True)
def development(settings):
    """The demo data is for development, where DEBUG is on."""
    settings.DEBUG = True


def test_the_demo_data_is_refused_when_debug_is_off(settings, mini_framework):
    """Its superuser's password is published in the README."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match=NOT_PRODUCTION):
        call_command("load_demo_data", stdout=StringIO())
    assert not User.objects.exists()
    call_command("load_demo_data", NOT_PRODUCTION, stdout=StringIO())
    assert User.objects.filter(email=demo.ADMIN_EMAIL).exists()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, Firm, FirmMembership, Organization, Assessment, Answer, ReviewComment)
    }


def scores():
    return Assessment.objects.order_by("organization__name", "pk").values_list(
        "organization__name", "overall_score"
    )


def test_the_demo_command_loads_a_firm_with_clients_at_every_stage(mini_framework):
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    firm = Firm.objects.get(slug=demo.FIRM_SLUG)
    assert firm.name == "Harbour Resilience Partners"
    roles = dict(firm.memberships.values_list("user__email", "role"))
    assert roles == {demo.FIRM_ADMIN_EMAIL: "admin", demo.CONSULTANT_EMAIL: "consultant"}
    assert User.objects.get(email=demo.ADMIN_EMAIL).is_superuser

    clients = Organization.objects.filter(firm=firm)
    assert clients.count() >= 12
    assert set(clients.values_list("sector", flat=True)) >= {
        "manufacturing",
        "service",
        "retail",
        "technology",
    }
    submitted = Assessment.objects.filter(status="submitted")
    assert submitted.count() >= 8
    assert len({a.submitted_at.date() for a in submitted}) >= 8  # spread over the year
    assert all(a.overall_score is not None and a.result for a in submitted)
    assert len({round(a.overall_score) for a in submitted}) >= 5  # varied answers
    assert Assessment.objects.filter(status="in_progress").exists()
    assert clients.filter(assessments__isnull=True).exists()  # one not started
    assert all(c.memberships.filter(role="owner").exists() for c in clients)

    for email in (
        demo.FIRM_ADMIN_EMAIL,
        demo.CONSULTANT_EMAIL,
        demo.demo_data()["clients"][0].owner,
    ):
        assert User.objects.get(email=email).check_password(demo.DEMO_PASSWORD)
        assert email in out.getvalue()
    assert demo.DEMO_PASSWORD in out.getvalue()


def test_the_demo_data_makes_the_retail_benchmark_visible(mini_framework, client):
    call_command("load_demo_data", stdout=StringIO())
    bakery = Assessment.objects.filter(
        organization__name="Brightwater Bakery", status="submitted"
    ).latest("submitted_at")
    client.force_login(User.objects.get(email=demo.demo_data()["clients"][0].owner))

    shown = client.get(f"/assessments/{bakery.pk}/results/").context["benchmark"]

    assert shown.standings
    assert shown.computed_at is not None


def test_running_the_demo_command_twice_changes_nothing(mini_framework):
    call_command("load_demo_data", stdout=StringIO())
    before = counts()
    scores = list(Assessment.objects.order_by("pk").values_list("overall_score", flat=True))
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert counts() == before
    assert list(Assessment.objects.order_by("pk").values_list("overall_score", flat=True)) == (
        scores
    )
    assert "already loaded" in out.getvalue()


def test_the_demo_answers_are_the_same_on_every_run(mini_framework):
    call_command("load_demo_data", stdout=StringIO())
    first = list(scores())
    Firm.objects.all().delete()
    Assessment.objects.all().delete()
    Organization.objects.all().delete()
    User.objects.all().delete()
    call_command("load_demo_data", stdout=StringIO())
    second = list(scores())
    assert first == second


def test_without_a_framework_the_command_says_what_to_do(db):
    with pytest.raises(CommandError, match="import_framework"):
        call_command("load_demo_data", stdout=StringIO())
    assert not Firm.objects.exists()


def test_the_demo_dashboard_opens_for_the_demo_consultant(client, mini_framework):
    call_command("load_demo_data", stdout=StringIO())
    verified_login(client, User.objects.get(email=demo.CONSULTANT_EMAIL))
    response = client.get("/consultant/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == len(demo.demo_data()["clients"])


def test_with_two_versions_older_submissions_stay_on_the_earlier_one(
    mini_framework, mini_framework_data, write_framework
):
    from assessments.services import framework_import

    mini_framework_data["version"] = "test.2"
    newer = framework_import(path=write_framework(mini_framework_data)).framework

    call_command("load_demo_data", stdout=StringIO())

    bakery = Assessment.objects.filter(organization__name="Brightwater Bakery")
    by_age = list(bakery.order_by("submitted_at").values_list("framework__version", flat=True))
    assert by_age == ["test.1", "test.1", "test.2"]  # submitted 11, 5 and 1 months ago
    in_progress = Assessment.objects.filter(status="in_progress")
    assert set(in_progress.values_list("framework", flat=True)) == {newer.pk}
    assert all(
        a.answers.exclude(question__framework=a.framework).count() == 0
        for a in Assessment.objects.all()
    )


def test_the_demo_bakery_has_a_partly_filled_continuity_plan(mini_framework):
    call_command("load_demo_data", stdout=StringIO())
    bakery = Organization.objects.get(name="Brightwater Bakery")
    parts = dict(bakery.continuity_plan.parts.values_list("key", "is_draft"))
    assert parts["contacts"] is False and parts["premises"] is False
    assert parts["data"] is True
    assert continuity_plan_state(bakery) == ContinuityPlanState.DRAFT


def test_the_demo_bakery_plan_names_its_reviewer_not_an_address(mini_framework):
    call_command("load_demo_data", stdout=StringIO())
    bakery = Organization.objects.get(name="Brightwater Bakery")
    reviewed = bakery.continuity_plan.parts.get(key="contacts")
    assert reviewed.reviewed_by.get_full_name() == "Megan Price"


def test_brightwater_works_its_plan_so_the_demo_shows_the_loop(mini_framework):
    from action_plans.models import ActionItem, Target
    from action_plans.selectors import organization_action_plan

    call_command("load_demo_data", stdout=StringIO())
    bakery = Organization.objects.get(name="Brightwater Bakery")
    plan = organization_action_plan(bakery)
    assert plan.done == 4 and plan.overdue == 2
    assert Target.objects.filter(organization=bakery).count() == 4
    own = ActionItem.objects.get(organization=bakery, title=demo.demo_data()["consultant_action"])
    assert own.firm.slug == demo.FIRM_SLUG and own.events.filter(kind="comment").exists()


def test_the_demo_bakery_owner_sees_who_read_their_reports(mini_framework, client):
    call_command("load_demo_data", stdout=StringIO())
    client.force_login(User.objects.get(email="owner@brightwater-bakery.example"))

    page = client.get(reverse("access_log:list")).content.decode()

    assert "Report" in page
    assert "Harbour Resilience Partners" in page
    assert "Nobody outside" not in page


def test_the_demo_has_a_remote_first_and_a_multi_site_business_asked_what_fits(db):
    from assessments.selectors import assessment_framework
    from assessments.services import framework_import
    from tests.conftest import DATA_DIR

    framework_import(path=DATA_DIR / "framework-profile.yaml")
    call_command("load_demo_data", stdout=StringIO())

    remote = Organization.objects.get(name="Silverpine Software")
    bakery = Organization.objects.get(name="Brightwater Bakery")
    assert remote.traits["no_premises"] and remote.sector == "technology"
    assert bakery.traits["several_sites"] and bakery.traits["makes_goods"]
    assert bakery.traits["card_in_person"] and bakery.main_site
    latest = remote.assessments.filter(status="submitted").latest("submitted_at")
    assert latest.traits == remote.traits
    assert "OP-F-01" not in assessment_framework(latest).questions_by_id
    assert not latest.answers.filter(question__code="OP-F-01").exists()
    kitchen = bakery.assessments.filter(status="submitted").latest("submitted_at")
    assert "OP-I-02" in assessment_framework(kitchen).questions_by_id
