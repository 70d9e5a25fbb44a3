"""The consultant's view of the loop: the plan on the client page and dashboard, comments."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionItem
from tests.conftest import verified_login
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def overdue(item):
    ActionItem.objects.filter(pk=item.pk).update(due_date=date.today() - timedelta(days=5))


def done(item):
    ActionItem.objects.filter(pk=item.pk).update(status="done", done_at=timezone.now())


def test_the_client_page_shows_the_plan_with_progress(client, consultant, organization, items):
    done(items["OP-F-01"])
    overdue(items["FI-F-01"])
    verified_login(client, consultant)
    html = client.get(reverse("consultants:client", args=[organization.pk])).content.decode()
    assert "1 of 6</strong> actions done" in html and "1 overdue" in html
    assert items["FI-F-01"].title in html


def test_a_consultants_action_is_marked_as_the_firms_and_the_owner_sees_it(
    client, consultant, owner, organization, firm, items
):
    verified_login(client, consultant)
    response = client.post(
        reverse("consultants:action_add", args=[organization.pk]),
        {"title": "Review the insurance cover"},
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(title="Review the insurance cover")
    assert (item.firm, item.added_by, item.question_code) == (firm, consultant, "")
    client.force_login(owner)
    html = client.get(reverse("action_plan:plan")).content.decode()
    assert "Added by Harbour Advisers" in html


def test_a_consultants_comment_lands_in_the_items_history(client, consultant, owner, items):
    item = items["FI-F-01"]
    verified_login(client, consultant)
    client.post(reverse("consultants:action_comment", args=[item.pk]), {"text": "Call the bank."})
    client.force_login(owner)
    html = client.get(reverse("action_plan:action_update", args=[item.pk])).content.decode()
    assert "“Call the bank.”" in html


def test_an_empty_or_too_long_action_is_refused_with_a_message(client, consultant, organization):
    verified_login(client, consultant)
    url = reverse("consultants:action_add", args=[organization.pk])
    response = client.post(url, {"title": "x" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
    assert not ActionItem.objects.filter(firm__isnull=False).exists()


def test_a_consultant_of_another_firm_can_neither_add_nor_comment(
    client, other_consultant, organization, items
):
    verified_login(client, other_consultant)
    item = items["FI-F-01"]
    assert (
        client.post(reverse("consultants:action_add", args=[organization.pk]), {"title": "x"})
    ).status_code == 404
    assert (
        client.post(reverse("consultants:action_comment", args=[item.pk]), {"text": "x"})
    ).status_code == 404
    assert not item.events.filter(kind="comment").exists()


@pytest.fixture
def second_client(firm, submit):
    organization = OrganizationFactory(name="Another Shop", sector="retail", firm=firm)
    submit(organization, MembershipFactory(organization=organization).user)
    return organization


def test_the_dashboard_shows_sorts_and_filters_by_plan_progress(
    client, consultant, organization, items, second_client
):
    done(items["OP-F-01"])
    overdue(items["FI-F-01"])
    verified_login(client, consultant)
    rows = client.get(reverse("consultants:dashboard"), {"sort": "-plan"}).context["rows"]
    assert [(r.organization.name, r.plan_done, r.plan_total, r.plan_overdue) for r in rows] == [
        ("Corner Shop Ltd", 1, 6, 1),
        ("Another Shop", 0, 6, 0),
    ]
    rows = client.get(reverse("consultants:dashboard"), {"plan": "overdue"}).context["rows"]
    assert [r.organization.name for r in rows] == ["Corner Shop Ltd"]
    rows = client.get(reverse("consultants:dashboard"), {"sort": "-overdue"}).context["rows"]
    assert rows[0].organization.name == "Corner Shop Ltd"


def test_the_portfolio_lists_the_actions_most_often_overdue(
    client, consultant, organization, items, second_client
):
    overdue(items["FI-F-01"])
    overdue(ActionItem.objects.get(organization=second_client, question_code="FI-F-01"))
    overdue(items["TE-A-01"])
    verified_login(client, consultant)
    actions = client.get(reverse("consultants:portfolio")).context["overdue_actions"]
    assert [(a["question_code"], a["clients"]) for a in actions] == [("FI-F-01", 2), ("TE-A-01", 1)]
