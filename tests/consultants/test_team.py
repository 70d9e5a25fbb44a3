"""A firm admin manages the team."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from accounts.models import FirmMembership
from consultants import services
from tests.conftest import verified_login
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
    verified_login(client, firm_admin)
    html = client.get(reverse("consultants:team")).content.decode()
    assert "admin@harbour.example" in html and "consultant@harbour.example" in html
    assert "soon@harbour.example" in html
    assert "Firm admin" in html


def test_an_existing_account_joins_the_firm_only_by_accepting_an_invitation(
    client, firm_admin, firm_a, plain_user
):
    """There is no direct add: an account never joins a firm without its owner's consent."""
    verified_login(client, firm_admin)
    response = client.post("/consultant/team/add/", {"add-email": plain_user.email})
    assert response.status_code == 404
    assert not FirmMembership.objects.filter(user=plain_user).exists()
    assert b"Add someone with an account" not in client.get(reverse("consultants:team")).content


@pytest.mark.parametrize(
    "email",
    ["ghost@example.com", "nobody@example.com", "consultant@rival.example"],
    ids=["no account", "an account", "another firm's consultant"],
)
def test_inviting_says_the_same_whatever_the_address_belongs_to(
    client, firm_admin, plain_user, consultant_b, email
):
    verified_login(client, firm_admin)
    response = client.post(
        reverse("consultants:team_invite"),
        {"invite-email": email, "invite-role": "consultant"},
        follow=True,
    )
    assert response.status_code == 200
    assert f"Invitation sent to {email}.".encode() in response.content
    assert [m.to for m in mail.outbox] == [[email]]


def test_inviting_someone_already_in_the_team_is_refused_with_a_message(
    client, firm_admin, consultant
):
    """The team page lists them anyway, so saying so reveals nothing."""
    verified_login(client, firm_admin)
    response = client.post(
        reverse("consultants:team_invite"),
        {"invite-email": consultant.email, "invite-role": "consultant"},
    )
    assert response.status_code == 400
    message = services.ERR_ALREADY_IN_THIS_FIRM.format(
        email=consultant.email, firm="Harbour Partners"
    )
    assert message.encode() in response.content


def test_an_admin_removes_a_consultant_after_confirming(client, firm_admin, consultant):
    membership = FirmMembership.objects.get(user=consultant)
    verified_login(client, firm_admin)
    url = reverse("consultants:team_remove", args=[membership.pk])
    confirm = client.get(url)
    assert b"Remove consultant@harbour.example?" in confirm.content
    assert FirmMembership.objects.filter(pk=membership.pk).exists()
    assert client.post(url).status_code == 302
    assert not FirmMembership.objects.filter(pk=membership.pk).exists()
    verified_login(client, consultant)
    assert client.get(reverse("consultants:dashboard")).status_code == 404


def test_the_last_admin_cannot_be_removed(client, firm_admin):
    membership = FirmMembership.objects.get(user=firm_admin)
    verified_login(client, firm_admin)
    response = client.post(reverse("consultants:team_remove", args=[membership.pk]), follow=True)
    assert escape(services.ERR_LAST_ADMIN.format(email=firm_admin.email)) in (
        response.content.decode()
    )
    assert FirmMembership.objects.filter(pk=membership.pk).exists()


def test_an_admin_cannot_remove_another_firms_consultant(client, firm_admin, consultant_b):
    verified_login(client, firm_admin)
    membership = FirmMembership.objects.get(user=consultant_b)
    assert client.post(reverse("consultants:team_remove", args=[membership.pk])).status_code == 404
    assert FirmMembership.objects.filter(pk=membership.pk).exists()


def test_one_of_two_admins_may_leave(client, firm_admin, firm_a):
    other = FirmMembershipFactory(firm=firm_a, role="admin").user
    verified_login(client, firm_admin)
    membership = FirmMembership.objects.get(user=firm_admin)
    response = client.post(reverse("consultants:team_remove", args=[membership.pk]))
    assert response.status_code == 302
    assert list(FirmMembership.objects.filter(firm=firm_a).values_list("user", flat=True)) == [
        other.pk
    ]
