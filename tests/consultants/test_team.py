"""A firm admin manages the team."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.models import FirmMembership
from consultants import services
from tests.factories import FirmMembershipFactory

pytestmark = pytest.mark.django_db


def test_the_team_page_lists_consultants_and_pending_invitations(
    client, firm_admin, consultant, firm_a
):
    services.invitation_create(
        firm=firm_a,
        email="soon@harbour.example",
        invited_by=firm_admin,
        base_url="http://testserver/",
        kind="consultant",
    )
    client.force_login(firm_admin)
    html = client.get(reverse("consultant_team")).content.decode()
    assert "admin@harbour.example" in html and "consultant@harbour.example" in html
    assert "soon@harbour.example" in html
    assert "Firm admin" in html


def test_an_admin_adds_an_existing_user_by_email(client, firm_admin, firm_a, plain_user):
    client.force_login(firm_admin)
    response = client.post(
        reverse("consultant_team_add"), {"add-email": "NOBODY@example.com", "add-role": "admin"}
    )
    assert response.status_code == 302
    membership = FirmMembership.objects.get(user=plain_user)
    assert membership.firm == firm_a and membership.role == "admin"


@pytest.mark.parametrize(
    "email, message",
    [
        ("ghost@example.com", services.ERR_NO_SUCH_USER.format(email="ghost@example.com")),
        (
            "consultant@rival.example",
            services.ERR_ALREADY_IN_FIRM.format(email="consultant@rival.example"),
        ),
        (
            "consultant@harbour.example",
            services.ERR_ALREADY_IN_THIS_FIRM.format(
                email="consultant@harbour.example", firm="Harbour Partners"
            ),
        ),
    ],
)
def test_adding_someone_who_cannot_join_is_refused_with_a_message(
    client, firm_admin, consultant, consultant_b, email, message
):
    client.force_login(firm_admin)
    response = client.post(
        reverse("consultant_team_add"), {"add-email": email, "add-role": "consultant"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_admin_removes_a_consultant_after_confirming(client, firm_admin, consultant):
    membership = FirmMembership.objects.get(user=consultant)
    client.force_login(firm_admin)
    url = reverse("consultant_team_remove", args=[membership.pk])
    confirm = client.get(url)
    assert b"Remove consultant@harbour.example?" in confirm.content
    assert FirmMembership.objects.filter(pk=membership.pk).exists()
    assert client.post(url).status_code == 302
    assert not FirmMembership.objects.filter(pk=membership.pk).exists()
    client.force_login(consultant)
    assert client.get(reverse("consultant_dashboard")).status_code == 404


def test_the_last_admin_cannot_be_removed(client, firm_admin):
    membership = FirmMembership.objects.get(user=firm_admin)
    client.force_login(firm_admin)
    response = client.post(reverse("consultant_team_remove", args=[membership.pk]), follow=True)
    assert escape(services.ERR_LAST_ADMIN.format(email=firm_admin.email)) in (
        response.content.decode()
    )
    assert FirmMembership.objects.filter(pk=membership.pk).exists()


def test_an_admin_cannot_remove_another_firms_consultant(client, firm_admin, consultant_b):
    client.force_login(firm_admin)
    membership = FirmMembership.objects.get(user=consultant_b)
    assert client.post(reverse("consultant_team_remove", args=[membership.pk])).status_code == 404
    assert FirmMembership.objects.filter(pk=membership.pk).exists()


def test_one_of_two_admins_may_leave(client, firm_admin, firm_a):
    other = FirmMembershipFactory(firm=firm_a, role="admin").user
    client.force_login(firm_admin)
    membership = FirmMembership.objects.get(user=firm_admin)
    response = client.post(reverse("consultant_team_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert list(FirmMembership.objects.filter(firm=firm_a).values_list("user", flat=True)) == [
        other.pk
    ]
