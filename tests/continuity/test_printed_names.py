"""The printed plan names people by name and leaves no raw {placeholder} in its messages."""

import pytest
from django.urls import reverse

from accounts.models import User
from continuity.services import continuity_part_review, continuity_plan_open

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(organization):
    return continuity_plan_open(organization=organization)


def printed(client):
    """The PDF's text and the Markdown's, as read: lines joined, Markdown's escapes undone."""
    _, pdf = pdf_text(client.get(reverse("documents:continuity_plan_pdf")))
    markdown = client.get(reverse("continuity:markdown")).content.decode().replace("\\_", "_")
    return " ".join(pdf.split()), " ".join(markdown.split())


def test_the_messages_name_the_owner_and_leave_blanks_to_write_in(client, owner, plan, pdf_storage):
    client.force_login(owner)
    for text in printed(client):
        assert "hear from Ada Shaw" in text  # {owner}
        assert "{" not in text and "}" not in text
        assert "Call us on ________ with any question" in text  # {phone}
        assert "appointment on ________ will ________" in text  # {date}, {change}


def test_the_reviewer_is_printed_by_name(client, owner, plan, pdf_storage):
    continuity_part_review(part=plan.parts.get(key="data"), revision=0, user=owner)
    client.force_login(owner)
    for text in printed(client):
        assert "by Ada Shaw" in text and "owner@corner-shop.example" not in text


def test_without_a_name_the_plan_leaves_a_blank_and_the_page_asks_for_the_name(
    client, owner, plan, pdf_storage
):
    User.objects.filter(pk=owner.pk).update(first_name="", last_name="")
    continuity_part_review(part=plan.parts.get(key="data"), revision=0, user=owner)
    client.force_login(owner)
    for text in printed(client):
        assert "owner@corner-shop.example" not in text
        assert "by ________" in text and "hear from ________" in text
    page = client.get(reverse("continuity:plan")).content.decode()
    assert "Add your name" in page and reverse("accounts:organization_edit") in page


def test_the_owner_gives_their_name_in_the_business_profile(client, owner, plan, pdf_storage):
    User.objects.filter(pk=owner.pk).update(first_name="", last_name="")
    client.force_login(owner)
    page = client.get(reverse("accounts:organization_edit")).content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page
    response = client.post(
        reverse("accounts:organization_edit"),
        {"first_name": "Ada", "last_name": "Shaw", "save_name": "1"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.get_full_name() == "Ada Shaw"
    assert owner.memberships.get().organization.name == "Corner Shop"  # the business untouched
    pdf, _ = printed(client)
    assert "hear from Ada Shaw" in pdf


def test_a_name_left_empty_in_the_profile_is_asked_for_again(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("accounts:organization_edit"), {"first_name": "", "last_name": "", "save_name": "1"}
    )
    assert "Enter your first name" in response.content.decode()
    owner.refresh_from_db()
    assert owner.first_name == "Ada"
