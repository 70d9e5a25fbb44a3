"""Bounds on what people add to a plan: a clear message at the limit, and nothing typed lost."""

import pytest
from django.urls import reverse

from action_plans import services
from action_plans.models import (
    COMMENTS_PER_ACTION_MAX,
    OWN_ACTIONS_MAX,
    ActionItem,
    ActionItemEvent,
)
from action_plans.selectors import OWN_FOLD_OPEN_MAX, TRAIL_SHOWN
from core.errors import ServiceError
from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

HUNDRED_KB = "x" * 100_000


def fill_own_actions(organization, owner, count=OWN_ACTIONS_MAX):
    ActionItem.objects.bulk_create(
        ActionItem(organization=organization, title=f"Own {n}", added_by=owner)
        for n in range(count)
    )


def test_a_plan_holds_at_most_200_own_actions(organization, owner):
    fill_own_actions(organization, owner)

    with pytest.raises(ServiceError) as refused:
        services.action_item_add(organization=organization, user=owner, title="One more")

    assert refused.value.message == services.ERR_TOO_MANY_ACTIONS.format(limit=OWN_ACTIONS_MAX)
    assert ActionItem.objects.filter(organization=organization).count() == OWN_ACTIONS_MAX


@pytest.mark.parametrize(
    ("count", "drawn"), [(OWN_FOLD_OPEN_MAX, True), (OWN_FOLD_OPEN_MAX + 1, False)]
)
def test_own_actions_come_open_until_they_are_many_then_when_their_fold_is_opened(
    client, organization, owner, count, drawn
):
    fill_own_actions(organization, owner, count)
    client.force_login(owner)
    last = ActionItem.objects.filter(organization=organization).last()

    html = client.get(reverse("action_plan:plan")).content.decode()
    assert (f'id="item-{last.pk}"' in html) is drawn
    assert ('href="?fold=own#fold-own"' in html) is not drawn

    html = client.get(reverse("action_plan:plan"), {"fold": "own"}).content.decode()
    assert f'id="item-{last.pk}"' in html
    # The one just added or saved comes back in view, however many there are.
    html = client.get(reverse("action_plan:plan"), {"at": last.pk}).content.decode()
    assert f'id="item-{last.pk}"' in html


def test_gaps_sent_to_a_full_plan_are_still_tracked(organization, owner):
    fill_own_actions(organization, owner)

    item = services.action_item_add(
        organization=organization, user=owner, title="Back up the till", question_code="TE-F-01"
    )

    assert item.question_code == "TE-F-01"


def test_at_the_limit_the_owners_form_comes_back_with_what_was_typed(client, organization, owner):
    fill_own_actions(organization, owner)
    client.force_login(owner)

    response = client.post(
        reverse("action_plan:action_add"),
        {"title": "Call the insurer", "note": "Ask about cover for the van."},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "200 actions of your own, the most a plan can hold" in body
    assert 'value="Call the insurer"' in body
    assert "Ask about cover for the van." in body


def test_deleting_an_own_action_makes_room_for_another(client, organization, owner):
    fill_own_actions(organization, owner)
    first = ActionItem.objects.filter(organization=organization).first()
    client.force_login(owner)

    response = client.post(reverse("action_plan:action_delete", args=[first.pk]))

    assert response.status_code == 302
    assert not ActionItem.objects.filter(pk=first.pk).exists()
    services.action_item_add(organization=organization, user=owner, title="Now it fits")


def test_an_action_from_the_assessment_cannot_be_deleted(client, owner, items):
    gap = next(iter(items.values()))
    client.force_login(owner)

    client.post(reverse("action_plan:action_delete", args=[gap.pk]))

    assert ActionItem.objects.filter(pk=gap.pk).exists()


@pytest.mark.parametrize(
    ("field", "other"), [("title", "note"), ("note", "title")], ids=["title", "note"]
)
def test_100_kb_of_text_is_refused_beside_its_field_and_the_rest_is_kept(
    client, organization, owner, field, other
):
    client.force_login(owner)
    data = {"title": "Call the insurer", "note": "Ask about the van.", field: HUNDRED_KB}

    response = client.post(reverse("action_plan:action_add"), data)

    assert response.status_code == 400
    body = response.content.decode()
    limit = ActionItem.TITLE_MAX_LENGTH if field == "title" else ActionItem.TEXT_MAX_LENGTH
    assert f"at most {limit} characters (it has 100000)" in body
    assert data[other] in body
    assert not ActionItem.objects.filter(organization=organization).exists()


def test_an_action_holds_at_most_200_comments(consultant, firm, owner, items):
    item = next(iter(items.values()))
    ActionItemEvent.objects.bulk_create(
        ActionItemEvent(
            item=item, author=consultant, firm=firm, kind="comment", text=f"Comment {n}"
        )
        for n in range(COMMENTS_PER_ACTION_MAX)
    )

    with pytest.raises(ServiceError) as refused:
        services.action_item_comment(item=item, user=consultant, firm=firm, text="One more")

    assert "200 comments, the most one action can hold" in refused.value.message


def test_at_the_comment_limit_the_consultants_comment_comes_back(client, consultant, firm, items):
    item = next(iter(items.values()))
    ActionItemEvent.objects.bulk_create(
        ActionItemEvent(
            item=item, author=consultant, firm=firm, kind="comment", text=f"Comment {n}"
        )
        for n in range(COMMENTS_PER_ACTION_MAX)
    )
    verified_login(client, consultant)

    response = client.post(
        reverse("consultants:action_comment", args=[item.pk]), {"text": "Check the alarm."}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "200 comments, the most one action can hold" in body
    assert "Check the alarm.</textarea>" in body


def test_a_100_kb_comment_is_refused_beside_its_field_and_kept(client, consultant, items):
    item = next(iter(items.values()))
    verified_login(client, consultant)

    response = client.post(
        reverse("consultants:action_comment", args=[item.pk]), {"text": HUNDRED_KB}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert f"at most {ActionItem.TEXT_MAX_LENGTH} characters" in body
    assert f"{HUNDRED_KB}</textarea>" in body
    assert not ActionItemEvent.objects.filter(item=item, kind="comment").exists()


def test_the_client_page_at_the_limits_shows_the_latest_entries_of_each_action(
    client, consultant, firm, organization, owner, items, django_assert_max_num_queries
):
    fill_own_actions(organization, owner)
    long_comment = "y" * ActionItem.TEXT_MAX_LENGTH
    ActionItemEvent.objects.bulk_create(
        ActionItemEvent(item=item, author=consultant, firm=firm, kind="comment", text=long_comment)
        for item in ActionItem.objects.filter(organization=organization)
        for _ in range(20)
    )
    verified_login(client, consultant)

    with django_assert_max_num_queries(30):
        response = client.get(reverse("consultants:client", args=[organization.pk]))

    body = response.content.decode()
    items_shown = ActionItem.objects.filter(organization=organization).count()
    assert body.count(long_comment) == items_shown * TRAIL_SHOWN
    assert "Latest 5 of 20 entries" in body
    assert len(response.content) < 3_000_000  # every text at its longest: 20.4 MB before
