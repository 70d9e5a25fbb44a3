"""Editing a part as a new owner lives it: errors that say where, rows that never vanish
unannounced, to-dos that go once done, and a review that is its own act."""

import pytest
from django.urls import reverse

from continuity.models import PlanPart
from continuity.services import continuity_plan_open

from .conftest import part_post, part_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(organization):
    return continuity_plan_open(organization=organization)


def contacts_of(plan) -> PlanPart:
    return plan.parts.get(key="contacts")


# --- Errors name their fields ---------------------------------------------------------


def test_the_error_summary_links_each_failed_field_of_each_row(client, owner, plan):
    client.force_login(owner)
    rows = [
        {"role": "staff", "name": "Ada Shaw", "phone": "+44 7700 900123"},
        {"role": "bank", "name": "High Street Bank", "phone": "ring the branch"},
        {"role": "insurer", "name": "Shield Mutual", "email": "not an address"},
    ]
    response = client.post(part_url("contacts"), part_post(contacts_of(plan), rows=rows))
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[
        page.index('id="error-summary"') : page.index("</ul>", page.index('id="error-summary"'))
    ]
    assert "3 fields need a correction" in summary
    assert 'href="#id_rows-1-phone"' in summary and "Contact 2, Phone:" in summary
    assert 'href="#id_rows-2-phone"' in summary and "Contact 3, Phone:" in summary
    assert 'href="#id_rows-2-email"' in summary and "Contact 3, Email:" in summary
    # Beside the field too, tied to it for screen readers.
    assert 'id="id_rows-1-phone"' in page and 'aria-invalid="true"' in page
    assert "Enter a phone number as you would dial it" in page[page.index('id="id_rows-1-phone"') :]


def test_the_error_summary_names_a_field_of_a_part_made_of_fields(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="data")
    response = client.post(part_url("data"), part_post(part, passwords="login: admin pw: sunshine"))
    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    assert 'href="#id_passwords"' in summary and "Who holds the passwords:" in summary
    assert "1 field needs a correction" in summary


# --- Drafted rows left empty ----------------------------------------------------------


def test_drafted_rows_left_empty_are_removed_with_a_message_naming_them(client, owner, plan):
    client.force_login(owner)
    drafted = contacts_of(plan).content["rows"]
    assert [row["role"] for row in drafted][-3:] == ["bank", "it", "utility"]
    rows = [dict(row) for row in drafted]
    rows[0].update(name="Emergency services", phone="999")
    response = client.post(
        part_url("contacts"), part_post(contacts_of(plan), rows=rows), follow=True
    )
    page = response.content.decode()
    assert "5 drafted rows were left empty and removed: Landlord, Insurer, Bank, IT support" in page
    assert "Utility (power, water, gas, internet)" in page
    assert [row["role"] for row in contacts_of(plan).content["rows"]] == ["emergency"]


def test_the_spare_empty_rows_are_not_announced(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="suppliers")
    rows = [
        {"kind": "supplier", "name": "Wholesale Ltd", "phone": "0161 496 0000"},
        {"kind": "supplier"},
    ]
    response = client.post(part_url("suppliers"), part_post(part, rows=rows), follow=True)
    assert "left empty and removed" not in response.content.decode()


# --- A filled part clears its to-dos --------------------------------------------------


def test_filling_the_field_a_to_do_asks_for_clears_it_and_only_it(client, owner, plan):
    client.force_login(owner)
    page = client.get(reverse("continuity:plan")).content.decode()
    assert "Keep a copy of the backup outside the building." in page
    part = plan.parts.get(key="data")
    client.post(part_url("data"), part_post(part, backups="USB disk kept at home, swapped Fridays"))
    page = client.get(reverse("continuity:plan")).content.decode()
    assert "USB disk kept at home" in page
    assert "Keep a copy of the backup outside the building." not in page
    assert "Test the restore" in page  # the restore field is still empty


def test_the_drafted_quote_of_an_answer_does_not_count_as_filled(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="data")
    client.post(part_url("data"), part_post(part, **part.content))
    page = client.get(reverse("continuity:plan")).content.decode()
    assert "Your assessment says: Regular backups" in page
    assert "Keep a copy of the backup outside the building." in page


def test_an_alternate_for_every_supplier_clears_the_alternate_supplier_to_do(client, owner, plan):
    client.force_login(owner)
    task = "Name an alternate supplier for each key item"
    part = plan.parts.get(key="suppliers")
    rows = [
        {
            "kind": "supplier",
            "name": "Wholesale Ltd",
            "phone": "0161 496 0000",
            "alternate": "Cash & Carry",
        },
        {"kind": "supplier", "name": "Bakery", "phone": "0161 496 0001"},
    ]
    client.post(part_url("suppliers"), part_post(part, rows=rows))
    assert task in client.get(reverse("continuity:plan")).content.decode()
    rows[1]["alternate"] = "The bakery in the next town"
    part.refresh_from_db()
    client.post(part_url("suppliers"), part_post(part, rows=rows))
    assert task not in client.get(reverse("continuity:plan")).content.decode()


# --- Reviewing is its own act ---------------------------------------------------------


def test_saving_a_part_does_not_count_as_reviewing_it(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="premises")
    response = client.post(
        part_url("premises"), part_post(part, evacuation_point="The church car park"), follow=True
    )
    part.refresh_from_db()
    assert not part.is_draft and part.reviewed_at is None
    page = response.content.decode()
    assert "Premises: saved." in page and "Not reviewed yet" in page
    assert "Mark as reviewed" in page


def test_marking_a_part_reviewed_records_who_and_when_and_confirms_a_draft(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="checklists")
    response = client.post(
        reverse("continuity:review", args=["checklists"]), {"revision": part.revision}, follow=True
    )
    part.refresh_from_db()
    assert part.reviewed_by == owner and part.reviewed_at is not None and not part.is_draft
    assert "First hour, first day, first week: marked reviewed today." in response.content.decode()
    assert part.revision == 0  # the content is as it was


def test_a_review_of_a_part_changed_since_the_page_was_opened_is_refused(client, owner, plan):
    client.force_login(owner)
    part = plan.parts.get(key="premises")
    client.post(part_url("premises"), part_post(part, evacuation_point="The church car park"))
    response = client.post(
        reverse("continuity:review", args=["premises"]), {"revision": "0"}, follow=True
    )
    part.refresh_from_db()
    assert part.reviewed_at is None
    assert "changed since you opened the page" in response.content.decode()


def test_reviewing_needs_a_post(client, owner, plan):
    client.force_login(owner)
    assert client.get(reverse("continuity:review", args=["premises"])).status_code == 405
