"""Invitations: emailed single-use links that expire, and the pages they lead to."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import FirmMembership, Membership, Organization, User
from consultants import services
from consultants.models import Invitation, hash_token
from core.errors import ServiceError
from tests.conftest import verified_login
from tests.factories import FirmMembershipFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"
PASSWORD = "harbour-lights-2026"


def invite(firm, inviter, email="new.owner@example.com", **kwargs):
    return services.invitation_create(
        firm=firm, email=email, invited_by=inviter, base_url=BASE, **kwargs
    )


def link_in(message) -> str:
    match = re.search(r"http://testserver(/consultant/join/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def signup_data(**overrides):
    data = {
        "password1": PASSWORD,
        "password2": PASSWORD,
        "org_name": "Seaview Guesthouse",
        "org_sector": "service",
        "org_size_band": "1-9",
        "org_region": "Cornwall",
    }
    data.update(overrides)
    return data


# --- Creating -------------------------------------------------------------------


def test_a_consultant_invites_a_client_by_email_from_the_invitations_page(
    client, consultant, firm_a
):
    verified_login(client, consultant)
    response = client.post(reverse("consultants:invitations"), {"email": "Owner@Seaview.example"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "owner@seaview.example"
    assert invitation.firm == firm_a
    assert invitation.kind == Invitation.Kind.CLIENT
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@seaview.example"]
    assert "Harbour Partners" in message.subject
    assert "14 days" in message.body
    link = link_in(message)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash


def test_the_token_is_random_long_and_only_its_digest_is_stored(consultant, firm_a):
    first, second = invite(firm_a, consultant, "a@example.com"), invite(firm_a, consultant)
    assert first.token != second.token
    assert len(first.token) >= 40
    stored = Invitation.objects.values_list("token_hash", flat=True)
    assert first.token not in stored and second.token not in stored
    assert first.invitation.expires_at - first.invitation.created_at >= timedelta(days=14) - (
        timedelta(seconds=5)
    )


def test_a_new_invitation_to_the_same_address_withdraws_the_earlier_one(client, consultant, firm_a):
    old = invite(firm_a, consultant)
    new = invite(firm_a, consultant)
    old.invitation.refresh_from_db()
    assert old.invitation.state == "revoked"
    assert new.invitation.state == "pending"
    response = client.get(reverse("consultants:invitation_accept", args=[old.token]))
    assert response.status_code == 410


def test_inviting_an_owner_whose_business_is_already_a_client_is_refused(
    client, consultant, client_org, firm_a
):
    with pytest.raises(ServiceError) as exc:
        invite(firm_a, consultant, "owner@cornerbakery.example")
    assert exc.value.message == services.ERR_ALREADY_CLIENT.format(
        organization="Corner Bakery", firm="Harbour Partners"
    )
    assert Invitation.objects.count() == 0
    verified_login(client, consultant)
    response = client.post(
        reverse("consultants:invitations"), {"email": "owner@cornerbakery.example"}
    )
    assert response.status_code == 400
    assert "already shares its assessments" in response.content.decode()


def test_an_invalid_address_is_refused_with_a_message(client, consultant):
    verified_login(client, consultant)
    response = client.post(reverse("consultants:invitations"), {"email": "not-an-email"})
    assert response.status_code == 400
    assert b"Enter a valid email address" in response.content
    assert Invitation.objects.count() == 0


def test_when_the_email_cannot_be_sent_no_invitation_is_kept(consultant, firm_a, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    with pytest.raises(ServiceError) as exc:
        invite(firm_a, consultant)
    assert exc.value.message == services.ERR_EMAIL_FAILED
    assert Invitation.objects.count() == 0


# --- Accepting as a new owner --------------------------------------------------------


def test_a_new_owner_signs_up_through_the_link_and_their_business_is_linked(
    client, consultant, firm_a, mini_framework
):
    issued = invite(firm_a, consultant)
    url = link_in(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200
    assert b"new.owner@example.com" in page.content  # the address, pre-filled
    assert b"Harbour Partners" in page.content

    response = client.post(url, signup_data(email="someone.else@example.com"))
    assert response.status_code == 302
    user = User.objects.get(email="new.owner@example.com")  # the invited address, not the posted
    assert not User.objects.filter(email="someone.else@example.com").exists()
    org = Organization.objects.get(name="Seaview Guesthouse")
    assert org.firm == firm_a
    assert Membership.objects.get(user=user).role == Membership.Role.OWNER
    invitation = Invitation.objects.get(pk=issued.invitation.pk)
    assert invitation.state == "accepted"
    assert invitation.accepted_by == user and invitation.organization == org
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_up_errors_are_shown_and_the_invitation_stays_usable(client, consultant, firm_a):
    issued = invite(firm_a, consultant)
    url = reverse("consultants:invitation_accept", args=[issued.token])
    response = client.post(url, signup_data(password2="something-else-2026"))
    assert response.status_code == 400
    assert b"The two passwords do not match." in response.content
    assert Invitation.objects.get().state == "pending"
    assert not User.objects.filter(email="new.owner@example.com").exists()


def test_an_invited_address_that_already_has_an_account_is_asked_to_log_in(
    client, consultant, firm_a, lone_owner
):
    issued = invite(firm_a, consultant, lone_owner.email)
    url = reverse("consultants:invitation_accept", args=[issued.token])
    response = client.get(url)
    assert response.status_code == 200
    assert b"Log in to accept the invitation" in response.content
    assert f"?next={url}".encode() in response.content
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(token=issued.token, password=PASSWORD, organization={})
    assert exc.value.message == services.ERR_ACCOUNT_EXISTS.format(email=lone_owner.email)


# --- Accepting as an existing owner --------------------------------------------------


def test_a_logged_in_owner_accepts_and_links_their_business(client, consultant, firm_a, lone_owner):
    issued = invite(firm_a, consultant, lone_owner.email)
    url = reverse("consultants:invitation_accept", args=[issued.token])
    client.force_login(lone_owner)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Share your business with Harbour Partners?" in page.content
    assert b"Solo Plumbing" in page.content
    org = lone_owner.memberships.get().organization
    assert org.firm is None  # looking at the page changes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sharing")
    org.refresh_from_db()
    assert org.firm == firm_a
    assert Invitation.objects.get().state == "accepted"


def test_a_member_who_is_not_the_owner_cannot_link_the_business(client, consultant, firm_a):
    from tests.consultants.conftest import add_member
    from tests.factories import OrganizationFactory

    member = add_member(OrganizationFactory(name="Shared Shop"), "staff@shop.example")
    issued = invite(firm_a, consultant, member.email)
    client.force_login(member)
    response = client.post(reverse("consultants:invitation_accept", args=[issued.token]))
    assert response.status_code == 400
    assert services.ERR_NOT_AN_OWNER.encode() in response.content
    assert Organization.objects.get(name="Shared Shop").firm is None
    assert Invitation.objects.get().state == "pending"


def test_a_client_invitation_opened_by_another_account_is_refused(
    client, consultant, firm_a, lone_owner
):
    """A forwarded link must not link whatever business the person who opens it owns."""
    issued = invite(firm_a, consultant, "the.invitee@example.com")
    url = reverse("consultants:invitation_accept", args=[issued.token])
    client.force_login(lone_owner)
    page = client.get(url)
    assert page.status_code == 200
    assert b"This invitation was sent to the.invitee@example.com" in page.content
    assert b"Log out and continue as the.invitee@example.com" in page.content
    assert b"Share Solo Plumbing" not in page.content

    response = client.post(url)
    assert response.status_code == 400
    assert lone_owner.memberships.get().organization.firm is None
    assert Invitation.objects.get().state == "pending"
    with pytest.raises(ServiceError) as exc:
        services.invitation_accept(token=issued.token, user=lone_owner)
    assert exc.value.message == services.ERR_WRONG_ACCOUNT.format(email="the.invitee@example.com")

    # The page's "log out and continue" button comes back to the link, logged out.
    response = client.post(reverse("accounts:logout"), {"next": url})
    assert response["Location"] == url
    assert b"Create account and share" in client.get(url).content


def test_a_consultant_invitation_opened_by_another_account_is_refused(
    client, firm_admin, firm_a, plain_user
):
    """A forwarded firm-admin invitation must not make a stranger a firm admin."""
    issued = invite(
        firm_a, firm_admin, "new.admin@example.com", kind=Invitation.Kind.CONSULTANT, role="admin"
    )
    client.force_login(plain_user)
    response = client.post(reverse("consultants:invitation_accept", args=[issued.token]))
    assert response.status_code == 400
    assert b"This invitation was sent to new.admin@example.com" in response.content
    assert not FirmMembership.objects.filter(user=plain_user).exists()
    assert Invitation.objects.get().state == "pending"


def test_the_invited_address_is_matched_without_regard_to_case(
    client, firm_admin, firm_a, plain_user
):
    issued = invite(firm_a, firm_admin, "NOBODY@Example.com", kind=Invitation.Kind.CONSULTANT)
    client.force_login(plain_user)
    assert (
        client.post(reverse("consultants:invitation_accept", args=[issued.token])).status_code
        == 302
    )
    assert FirmMembership.objects.filter(user=plain_user, firm=firm_a).exists()


# --- Links that cannot be used ---------------------------------------------------------


def test_an_expired_link_gets_a_clear_410_page(client, consultant, firm_a):
    issued = invite(firm_a, consultant)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    url = reverse("consultants:invitation_accept", args=[issued.token])
    for response in (client.get(url), client.post(url, signup_data())):
        assert response.status_code == 410
        assert b"This invitation can no longer be used" in response.content
        assert b"expired on" in response.content
    assert not User.objects.filter(email="new.owner@example.com").exists()
    with pytest.raises(services.InvitationGone):
        services.invitation_accept(token=issued.token, password=PASSWORD, organization={})


def test_a_link_still_works_just_before_fourteen_days(client, consultant, firm_a):
    issued = invite(firm_a, consultant)
    Invitation.objects.update(
        created_at=timezone.now() - timedelta(days=13, hours=23),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert (
        client.get(reverse("consultants:invitation_accept", args=[issued.token])).status_code == 200
    )


def test_a_used_link_cannot_be_used_again(client, consultant, firm_a, mini_framework):
    issued = invite(firm_a, consultant)
    url = reverse("consultants:invitation_accept", args=[issued.token])
    assert client.post(url, signup_data()).status_code == 302
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assert services.ERR_INVITATION_USED.encode() in response.content
    response = client.post(url, signup_data(org_name="Second Try Ltd"))
    assert response.status_code == 410
    assert not Organization.objects.filter(name="Second Try Ltd").exists()
    with pytest.raises(services.InvitationGone) as exc:
        services.invitation_accept(token=issued.token, password=PASSWORD, organization={})
    assert exc.value.message == services.ERR_INVITATION_USED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t[:20],
        lambda t: t + "x",
        lambda t: "x" * 43,
        lambda t: "%00%ff",
    ],
)
def test_a_tampered_link_gets_a_plain_404_page(client, consultant, firm_a, tamper):
    issued = invite(firm_a, consultant)
    response = client.get(f"/consultant/join/{tamper(issued.token)}/")
    assert response.status_code == 404
    assert b"This invitation link is not valid" in response.content
    assert b"Harbour Partners" not in response.content  # says nothing about the firm
    assert Invitation.objects.get().state == "pending"


def test_a_withdrawn_link_gets_a_410_page(client, consultant, firm_a):
    issued = invite(firm_a, consultant)
    verified_login(client, consultant)
    response = client.post(reverse("consultants:invitation_revoke", args=[issued.invitation.pk]))
    assert response.status_code == 302
    client.logout()
    response = client.get(reverse("consultants:invitation_accept", args=[issued.token]))
    assert response.status_code == 410
    assert b"withdrew this invitation" in response.content


# --- Consultant invitations --------------------------------------------------------------


def test_a_firm_admin_invites_a_new_consultant_who_signs_up_through_the_link(
    client, firm_admin, firm_a
):
    verified_login(client, firm_admin)
    response = client.post(
        reverse("consultants:team_invite"),
        {"invite-email": "newbie@harbour.example", "invite-role": "consultant"},
    )
    assert response.status_code == 302
    url = link_in(mail.outbox[0])
    client.logout()
    page = client.get(url)
    assert b"Join Harbour Partners" in page.content
    assert b"org_name" not in page.content  # no business profile for a consultant
    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("consultants:dashboard")
    membership = FirmMembership.objects.get(user__email="newbie@harbour.example")
    assert membership.firm == firm_a
    assert membership.role == FirmMembership.Role.CONSULTANT


def test_someone_already_in_another_firm_cannot_accept(client, firm_admin, firm_a, consultant_b):
    """The inviter is not told; the invitee is, when they open the link."""
    issued = invite(firm_a, firm_admin, consultant_b.email, kind=Invitation.Kind.CONSULTANT)
    verified_login(client, consultant_b)
    response = client.post(reverse("consultants:invitation_accept", args=[issued.token]))
    assert response.status_code == 400
    assert services.ERR_ALREADY_IN_FIRM.format(email=consultant_b.email).encode() in (
        response.content
    )
    assert FirmMembership.objects.get(user=consultant_b).firm != firm_a


def test_a_logged_in_consultant_cannot_accept_a_client_invitation(
    client, consultant, consultant_b, firm_a
):
    issued = invite(firm_a, consultant, consultant_b.email)
    verified_login(client, consultant_b)
    page = client.get(reverse("consultants:invitation_accept", args=[issued.token]))
    assert services.ERR_NOT_AN_OWNER.encode() in page.content
    response = client.post(reverse("consultants:invitation_accept", args=[issued.token]))
    assert response.status_code == 400
    assert Invitation.objects.get().state == "pending"


def test_an_existing_user_accepts_a_consultant_invitation(client, firm_admin, firm_a, plain_user):
    issued = invite(
        firm_a, firm_admin, plain_user.email, kind=Invitation.Kind.CONSULTANT, role="admin"
    )
    client.force_login(plain_user)
    response = client.post(reverse("consultants:invitation_accept", args=[issued.token]))
    assert response.status_code == 302
    assert FirmMembership.objects.get(user=plain_user).role == FirmMembership.Role.ADMIN


def test_the_invitation_service_is_all_or_nothing(consultant, firm_a, mini_framework):
    """A business profile that fails validation leaves no account behind."""
    issued = invite(firm_a, consultant)
    with pytest.raises(Exception):  # noqa: B017 - owner_signup's ValidationError
        services.invitation_accept(
            token=issued.token,
            password=PASSWORD,
            organization={"name": "X", "sector": "no-such", "size_band": "1-9", "region": "Y"},
        )
    assert not User.objects.filter(email="new.owner@example.com").exists()
    assert Invitation.objects.get().state == "pending"


def test_firm_memberships_factory_consultants_see_client_invitations(client, firm_a):
    user = FirmMembershipFactory(firm=firm_a).user
    verified_login(client, user)
    invite(firm_a, user, "visible@example.com")
    response = client.get(reverse("consultants:invitations"))
    assert b"visible@example.com" in response.content
    assert b"Pending <span" in response.content


# --- Confirmed addresses and throttling -------------------------------------------------


def test_an_account_whose_address_is_unconfirmed_cannot_accept(
    client, consultant, firm_a, lone_owner
):
    """Anyone can sign up with someone else's address; only its owner can confirm it."""
    User.objects.filter(pk=lone_owner.pk).update(email_confirmed=False)
    issued = invite(firm_a, consultant, lone_owner.email)
    client.force_login(lone_owner)
    response = client.post(reverse("consultants:invitation_accept", args=[issued.token]))
    assert response.status_code == 400
    assert services.ERR_EMAIL_NOT_CONFIRMED.encode() in response.content
    assert b"Send the confirmation link again" in response.content
    assert lone_owner.memberships.get().organization.firm is None
    assert Invitation.objects.get().state == "pending"


def test_an_account_whose_address_is_unconfirmed_cannot_invite(client, consultant, firm_a):
    User.objects.filter(pk=consultant.pk).update(email_confirmed=False)
    verified_login(client, consultant)
    response = client.post(reverse("consultants:invitations"), {"email": "owner@seaview.example"})
    assert response.status_code == 400
    assert services.ERR_EMAIL_NOT_CONFIRMED.encode() in response.content
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invitation_sends_are_throttled_per_invited_address(client, consultant):
    verified_login(client, consultant)
    for n in range(5):
        client.post(
            reverse("consultants:invitations"),
            {"email": "owner@seaview.example"},
            REMOTE_ADDR=f"10.1.0.{n}",
        )
    response = client.post(reverse("consultants:invitations"), {"email": "owner@seaview.example"})
    assert response.status_code == 429
    assert len(mail.outbox) == 5
