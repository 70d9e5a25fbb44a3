"""What an account whose address nobody has confirmed may do, and how its address is won back.

Anyone can sign up with anyone's address. Such an account may answer and
submit for its own report, but it does not count in the sector benchmark
(tests/reports/test_benchmark.py), shares nothing with a consultancy, and
a later sign-up for the same address lets the mailbox's owner start afresh.
"""

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Organization, User
from assessments.services import assessment_start, assessment_submit
from consultants.services import invitation_create
from tests.factories import FirmMembershipFactory, MembershipFactory, OrganizationFactory
from tests.reports.conftest import answer_all

from .test_accounts_views import PASSWORD, confirmation_link, signup_data

pytestmark = pytest.mark.django_db

OWN_PASSWORD = "the-real-bakers-own-77"


def afresh_data(**overrides):
    data = {
        "password1": OWN_PASSWORD,
        "password2": OWN_PASSWORD,
        "org_name": "The Real Bakery",
        "org_sector": "retail",
        "org_size_band": "10-49",
        "org_region": "Devon",
    }
    data.update(overrides)
    return data


@pytest.fixture
def squatted(client):
    """A stranger signed up with baker@example.com and a business of their choosing."""
    client.post("/accounts/signup/", signup_data(org_name="Squatter Ltd"))
    mail.outbox.clear()
    client.logout()
    return User.objects.get(email="baker@example.com")


# --- What an unconfirmed owner may do ------------------------------------------------


def test_an_unconfirmed_owner_can_answer_and_submit_for_their_own_report(client, mini_framework):
    owner = MembershipFactory(user__email_confirmed=False).user
    assessment = assessment_start(organization=owner.memberships.get().organization, user=owner)
    answer_all(assessment, owner)

    assessment_submit(assessment=assessment, user=owner)

    client.force_login(owner)
    response = client.get(reverse("reports:results", args=[assessment.pk]))
    assert response.status_code == 200
    assert "Results by pillar" in response.content.decode()


def test_the_sharing_page_tells_an_unconfirmed_owner_to_confirm_before_sharing(client):
    owner = MembershipFactory(user__email_confirmed=False).user
    client.force_login(owner)

    body = " ".join(client.get(reverse("accounts:sharing")).content.decode().split())

    assert "Confirm your email address before you share" in body
    assert 'action="/accounts/confirm/send/"' in body


def test_a_confirmed_owner_s_sharing_page_says_nothing_about_confirming(client):
    client.force_login(MembershipFactory().user)

    body = client.get(reverse("accounts:sharing")).content.decode()

    assert "before you share" not in body


# --- A second sign-up for an unconfirmed address -------------------------------------


def test_a_sign_up_for_an_unconfirmed_address_sends_a_fresh_link_and_keeps_nothing(
    client, squatted
):
    response = client.post("/accounts/signup/", signup_data(org_name="The Real Bakery"))

    assert "Check your email" in response.content.decode()  # the same answer as ever
    (message,) = mail.outbox
    assert message.to == ["baker@example.com"]
    assert confirmation_link(message)
    assert not Organization.objects.filter(name="The Real Bakery").exists()
    assert User.objects.get(pk=squatted.pk).check_password(PASSWORD)  # nothing typed is kept


def test_the_link_names_the_business_and_offers_to_start_afresh(client, squatted):
    client.post("/accounts/signup/", signup_data(org_name="The Real Bakery"))
    link = confirmation_link(mail.outbox[0])

    body = " ".join(client.get(link).content.decode().split())

    assert "Squatter Ltd" in body
    assert f'href="{link}afresh/"' in body


def test_starting_afresh_removes_the_stranger_s_business_and_password(client, squatted):
    client.post("/accounts/signup/", signup_data(org_name="The Real Bakery"))
    link = confirmation_link(mail.outbox[0])

    response = client.post(f"{link}afresh/", afresh_data())

    assert response.status_code == 302
    user = User.objects.get(pk=squatted.pk)
    assert user.email_confirmed
    assert user.check_password(OWN_PASSWORD) and not user.check_password(PASSWORD)
    assert not Organization.objects.filter(name="Squatter Ltd").exists()
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert (membership.organization.name, membership.organization.region) == (
        "The Real Bakery",
        "Devon",
    )
    assert int(client.session["_auth_user_id"]) == user.pk


def test_starting_afresh_removes_the_stranger_s_authenticator_app(client, squatted):
    """A squatter who set up two-step login must not hold the second factor of the account."""
    TOTPDevice.objects.create(user=squatted, name="Squatter's phone", confirmed=True)
    link = confirmation_link(_fresh_link(client))

    response = client.post(f"{link}afresh/", afresh_data())

    assert not TOTPDevice.objects.filter(user=squatted).exists()
    # Signed straight in: no code step asking for the squatter's app.
    assert response["Location"] == reverse("accounts:after_login")
    assert int(client.session["_auth_user_id"]) == squatted.pk


def test_the_stranger_s_session_ends_when_the_owner_starts_afresh(client, squatted):
    stranger = type(client)()
    stranger.force_login(squatted)
    link = confirmation_link(_fresh_link(client))

    client.post(f"{link}afresh/", afresh_data())

    assert stranger.get("/assessments/").status_code == 302  # back to the log-in page


def test_starting_afresh_keeps_a_business_that_has_other_members(client, squatted):
    business = squatted.memberships.get().organization
    MembershipFactory(organization=business, role=Membership.Role.MEMBER)
    link = confirmation_link(_fresh_link(client))

    client.post(f"{link}afresh/", afresh_data())

    assert Organization.objects.filter(pk=business.pk).exists()
    assert not business.memberships.filter(user=squatted).exists()


def test_a_bad_start_afresh_form_changes_nothing(client, squatted):
    link = confirmation_link(_fresh_link(client))

    response = client.post(f"{link}afresh/", afresh_data(password2="something-else-1", org_name=""))

    assert response.status_code == 200
    assert "The two passwords do not match." in response.content.decode()
    user = User.objects.get(pk=squatted.pk)
    assert not user.email_confirmed and user.check_password(PASSWORD)
    assert Organization.objects.filter(name="Squatter Ltd").exists()


def test_the_start_afresh_link_works_only_while_the_address_is_unconfirmed(client, squatted):
    link = confirmation_link(_fresh_link(client))
    client.post(link)  # confirmed as it is

    response = client.post(f"{link}afresh/", afresh_data())

    assert response.status_code == 404
    assert Organization.objects.filter(name="Squatter Ltd").exists()


def test_a_forged_start_afresh_link_is_refused(client, squatted):
    response = client.post(f"/accounts/confirm/{squatted.pk}/afresh/", afresh_data())

    assert response.status_code == 404
    assert Organization.objects.filter(name="Squatter Ltd").exists()


def test_a_sign_up_for_a_confirmed_address_still_only_says_so(client):
    MembershipFactory(user__email="baker@example.com", organization=OrganizationFactory())

    client.post("/accounts/signup/", signup_data())

    (message,) = mail.outbox
    assert "already has an account" in message.body
    assert "/accounts/confirm/" not in message.body


def test_an_invitation_to_a_squatted_address_says_how_to_win_it_back(client, squatted):
    consultant = FirmMembershipFactory().user
    issued = invitation_create(
        firm=consultant.firm_memberships.get().firm,
        email="baker@example.com",
        invited_by=consultant,
        base_url="http://testserver/",
    )

    body = " ".join(
        client.get(issued.url.removeprefix("http://testserver")).content.decode().split()
    )

    assert "Never signed up? Someone may have used your address." in body
    assert 'href="/accounts/signup/"' in body


def _fresh_link(client):
    client.post("/accounts/signup/", signup_data(org_name="Anything"))
    return mail.outbox[-1]
