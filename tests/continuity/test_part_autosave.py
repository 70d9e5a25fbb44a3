"""A part saves as you type: the page's script posts the form and reads a JSON answer."""

import pytest

from continuity.services import continuity_plan_open

from .conftest import part_post, part_url

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def plan(organization):
    return continuity_plan_open(organization=organization)


def test_an_autosave_saves_the_part_and_answers_with_its_new_revision(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="premises")
    response = client.post(
        part_url("premises"), part_post(part, evacuation_point="The church car park"), **AUTOSAVE
    )
    assert response.status_code == 200
    assert {k: v for k, v in response.json().items() if k != "state"} == {
        "status": "saved",
        "revision": 1,
    }
    part.refresh_from_db()
    assert part.content["evacuation_point"] == "The church car park" and part.reviewed_at is None


def test_an_autosave_of_a_drafted_part_answers_its_new_state_for_the_page(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="contacts")
    assert part.is_draft
    rows = [dict(row) for row in part.content["rows"]]
    rows[0].update(name="Emergency services", phone="999")

    response = client.post(part_url("contacts"), part_post(part, rows=rows), **AUTOSAVE)

    state = response.json()["state"]
    assert "Not reviewed yet" in state and "Draft" not in state


def test_an_autosave_keeps_drafted_rows_left_empty_until_the_owner_saves(client, owner, plan):
    """Rows vanish only on "Save", where the message names them; never while typing."""
    client.force_login(owner)
    part = plan.parts.get(key="contacts")
    rows = [dict(row) for row in part.content["rows"]]
    rows[0].update(name="Emergency services", phone="999")
    client.post(part_url("contacts"), part_post(part, rows=rows), **AUTOSAVE)
    part.refresh_from_db()
    assert [row["role"] for row in part.content["rows"]] == [row["role"] for row in rows]
    assert part.content["rows"][0]["phone"] == "999"


def test_an_autosave_of_a_wrong_field_saves_nothing_and_names_the_field(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="data")
    response = client.post(
        part_url("data"), part_post(part, passwords="login: admin pw: sunshine"), **AUTOSAVE
    )
    assert response.status_code == 400
    data = response.json()
    assert data["status"] == "invalid"
    assert data["errors"][0]["where"] == "Who holds the passwords"
    assert data["errors"][0]["field_id"] == "id_passwords"
    part.refresh_from_db()
    assert part.revision == 0 and "sunshine" not in str(part.content)


def test_an_autosave_from_an_older_tab_is_refused_as_stale(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="premises")
    old_tab = part_post(part, evacuation_point="Old tab: the bus stop")
    client.post(part_url("premises"), part_post(part, evacuation_point="The church car park"))
    response = client.post(part_url("premises"), old_tab, **AUTOSAVE)
    assert response.status_code == 409
    assert response.json()["status"] == "stale"
    part.refresh_from_db()
    assert part.content["evacuation_point"] == "The church car park"


def test_the_part_page_offers_autosave_and_keeps_its_save_button(client, owner, plan):
    client.force_login(owner)
    page = client.get(part_url("premises")).content.decode()
    assert "data-part-autosave" in page and "js/part_autosave.js" in page
    assert 'aria-live="polite"' in page
    assert '<button type="submit" class="btn btn-primary">Save</button>' in page
