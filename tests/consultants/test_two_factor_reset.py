"""A firm admin resets the two-step login of a member who lost both phone and recovery codes."""

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import FirmMembership
from tests.conftest import two_factor_device, verified_login

pytestmark = pytest.mark.django_db


def reset_url(user) -> str:
    return reverse(
        "consultants:team_two_factor_reset", args=[FirmMembership.objects.get(user=user).pk]
    )


@pytest.fixture
def member_with_app(consultant):
    two_factor_device(consultant)
    two_factor.recovery_codes_new(user=consultant)
    return consultant


def test_a_firm_admin_resets_a_members_two_step_login_and_the_member_is_told(
    client, firm_admin, member_with_app
):
    verified_login(client, firm_admin)
    response = client.post(reset_url(member_with_app), follow=True)
    assert response.status_code == 200
    assert "Two-step login of consultant@harbour.example is reset" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=member_with_app).exists()
    assert not StaticDevice.objects.filter(user=member_with_app).exists()
    assert [m.to for m in mail.outbox] == [["consultant@harbour.example"]]
    assert "admin@harbour.example, an admin of Harbour Partners" in mail.outbox[0].body


def test_after_a_reset_the_member_sets_it_up_again_before_seeing_clients(
    client, firm_admin, member_with_app
):
    verified_login(client, member_with_app)
    assert client.get("/consultant/").status_code == 200
    two_factor.remove_all(user=member_with_app)
    response = client.get("/consultant/")
    assert response["Location"] == "/accounts/two-step/?next=/consultant/"


def test_the_reset_is_listed_for_each_member_of_the_team(client, firm_admin, member_with_app):
    verified_login(client, firm_admin)
    html = client.get(reverse("consultants:team")).content.decode()
    assert f'action="{reset_url(member_with_app)}"' in html
    assert (
        'Reset two-step login<span class="visually-hidden"> of consultant@harbour.example' in html
    )


def test_a_consultant_who_is_not_an_admin_cannot_reset_anyone(client, firm_admin, consultant):
    verified_login(client, consultant)
    admin_device = two_factor_device(firm_admin)
    response = client.post(reset_url(firm_admin))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=admin_device.pk).exists()
    assert mail.outbox == []


def test_an_admin_of_another_firm_gets_404(client, consultant_b, member_with_app):
    FirmMembership.objects.filter(user=consultant_b).update(role=FirmMembership.Role.ADMIN)
    verified_login(client, consultant_b)
    response = client.post(reset_url(member_with_app))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=member_with_app, confirmed=True).exists()
    assert mail.outbox == []


def test_an_owner_and_a_stranger_cannot_reset_anyone(client, client_owner, member_with_app):
    assert client.post(reset_url(member_with_app))["Location"].startswith("/accounts/login/")
    client.force_login(client_owner)
    assert client.post(reset_url(member_with_app)).status_code == 404
    assert TOTPDevice.objects.filter(user=member_with_app, confirmed=True).exists()


def test_the_reset_is_a_post(client, firm_admin, member_with_app):
    verified_login(client, firm_admin)
    assert client.get(reset_url(member_with_app)).status_code == 405
    assert TOTPDevice.objects.filter(user=member_with_app).exists()


def test_if_the_email_cannot_be_sent_nothing_is_reset(
    client, settings, firm_admin, member_with_app
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    verified_login(client, firm_admin)
    response = client.post(reset_url(member_with_app), follow=True)
    assert "could not be sent, so their two-step login was not reset" in response.content.decode()
    assert TOTPDevice.objects.filter(user=member_with_app, confirmed=True).exists()
