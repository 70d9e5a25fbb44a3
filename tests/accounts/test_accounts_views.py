"""Sign-up, log-in, lockout, password reset and the business profile."""

import re

import pytest
from django.core import mail

from accounts.forms import ERR_PASSWORD_MISMATCH
from accounts.models import Membership, Organization, User
from accounts.throttle import ERR_TOO_MANY
from tests.conftest import verified_login
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "flour-and-water-2026"


def signup_data(**overrides):
    data = {
        "email": "Baker@Example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "org_name": "Corner Bakery",
        "org_sector": "retail",
        "org_size_band": "1-9",
        "org_region": "Wales",
        "org_sites": "one",
    }
    data.update(overrides)
    return data


def confirmation_link(message) -> str:
    match = re.search(r"http://testserver(/accounts/confirm/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signing_up_creates_the_owner_and_their_business_and_emails_a_confirmation_link(client):
    response = client.post("/accounts/signup/", signup_data())

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = User.objects.get()
    assert user.email == "baker@example.com"
    assert not user.email_confirmed
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    org = membership.organization
    assert (org.name, org.sector, org.size_band, org.region) == (
        "Corner Bakery",
        "retail",
        "1-9",
        "Wales",
    )
    assert org.slug == "corner-bakery"
    assert "_auth_user_id" not in client.session

    (message,) = mail.outbox
    assert message.to == ["baker@example.com"]
    link = confirmation_link(message)
    assert client.post(link)["Location"] == "/accounts/welcome/"
    user.refresh_from_db()
    assert user.email_confirmed
    assert client.get("/assessments/").status_code == 200
    # The link works once.
    client.logout()
    client.post(link)
    assert "_auth_user_id" not in client.session


def test_signing_up_with_a_taken_address_answers_the_same_and_emails_its_owner(client):
    """Whoever types an address learns nothing about whether it has an account."""
    new = client.post("/accounts/signup/", signup_data(email="new@example.com"))
    UserFactory(email="baker@example.com")
    taken = client.post("/accounts/signup/", signup_data(email="BAKER@example.com"))

    assert taken.status_code == new.status_code == 200
    strip_token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip_token.sub("", taken.content.decode()).replace(
        "baker@example.com", "new@example.com"
    ) == strip_token.sub("", new.content.decode())
    assert Organization.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["new@example.com"], ["baker@example.com"]]
    assert "already has an account" in mail.outbox[1].body
    assert "/accounts/confirm/" not in mail.outbox[1].body


def test_sign_up_is_throttled_per_address_and_per_email(client):
    for n in range(5):
        client.post("/accounts/signup/", signup_data(email=f"b{n}@example.com"))
    response = client.post("/accounts/signup/", signup_data(email="late@example.com"))
    assert response.status_code == 429
    assert ERR_TOO_MANY in response.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()

    for n in range(5):
        client.post(
            "/accounts/signup/", signup_data(email="same@example.com"), REMOTE_ADDR=f"10.1.0.{n}"
        )
    response = client.post(
        "/accounts/signup/", signup_data(email="same@example.com"), REMOTE_ADDR="10.2.0.1"
    )
    assert response.status_code == 429


def test_strangers_cannot_spend_someone_elses_password_resets(client):
    UserFactory(email="baker@example.com")
    for n in range(8):  # from eight other addresses, each under its own limit
        client.post(
            "/accounts/password-reset/", {"email": "baker@example.com"}, REMOTE_ADDR=f"10.3.0.{n}"
        )
    assert len(mail.outbox) == 5  # the address's own limit, kept without a word

    response = client.post(
        "/accounts/password-reset/", {"email": "baker@example.com"}, REMOTE_ADDR="10.9.9.9"
    )
    # The owner is never told "too many": the page reads as for any reset.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"


def test_password_reset_is_throttled_per_address(client):
    UserFactory(email="baker@example.com")
    for n in range(5):
        client.post("/accounts/password-reset/", {"email": f"b{n}@example.com"})
    response = client.post("/accounts/password-reset/", {"email": "baker@example.com"})
    assert response.status_code == 429
    assert ERR_TOO_MANY in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "something-else-2026"}, ERR_PASSWORD_MISMATCH),
        ({"password1": "12345678", "password2": "12345678"}, "too common"),
        ({"org_sector": "farming"}, "Select a valid choice"),
        ({"org_size_band": "5000+"}, "Select a valid choice"),
        ({"org_name": "x" * 201}, "at most 200 characters"),
        ({"org_name": "Corner\nBakery"}, "Keep this on one line"),
        ({"org_name": "Corner\r\nBcc: all@example.com"}, "Keep this on one line"),
        ({"email": "not-an-email"}, "Enter a valid email address"),
    ],
)
def test_bad_sign_up_input_is_refused_with_a_message_and_creates_nothing(
    client, overrides, message
):
    response = client.post("/accounts/signup/", signup_data(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == 0
    assert Organization.objects.count() == 0


def test_password_fields_allow_pasting(client):
    """WCAG 3.3.8: nothing blocks a password manager or paste."""
    body = client.get("/accounts/signup/").content.decode()
    assert "onpaste" not in body
    assert 'autocomplete="new-password"' in body


def test_the_login_form_uses_the_email_address(client):
    UserFactory(email="baker@example.com", password=PASSWORD)
    response = client.post(
        "/accounts/login/", {"username": "Baker@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_repeated_failed_logins_lock_the_account_out(client):
    UserFactory(email="baker@example.com", password=PASSWORD)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "baker@example.com", "password": "wrong"})

    response = client.post(
        "/accounts/login/", {"username": "baker@example.com", "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logging_out_needs_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_a_password_reset_link_works_once(client):
    UserFactory(email="baker@example.com", password=PASSWORD)
    client.post("/accounts/password-reset/", {"email": "baker@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form_url = client.get(link).url  # Django swaps the token for a session marker
    new = "a-brand-new-password-77"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302

    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()
    assert User.objects.get().check_password(new)


def test_a_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_owner_can_edit_the_business_profile(client):
    membership = MembershipFactory(organization__name="Corner Bakery")
    client.force_login(membership.user)

    response = client.post(
        "/accounts/business/",
        {
            "name": "Corner Bakery & Cafe",
            "sector": "service",
            "size_band": "10-49",
            "region": "Wales",
            "sites": "one",
        },
    )

    assert response.status_code == 302
    org = Organization.objects.get()
    assert (org.name, org.sector, org.size_band) == ("Corner Bakery & Cafe", "service", "10-49")


def test_the_business_profile_needs_a_login(client):
    response = client.get("/accounts/business/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_after_logging_in_an_owner_lands_on_their_assessments(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    assert client.get("/accounts/welcome/")["Location"] == "/assessments/"


def test_after_logging_in_a_consultant_lands_on_the_client_dashboard(client):
    from tests.factories import FirmMembershipFactory

    verified_login(client, FirmMembershipFactory().user)
    assert client.get("/accounts/welcome/")["Location"] == "/consultant/"


def test_an_overlong_login_name_is_refused_without_reaching_the_lockout_log(client):
    from axes.models import AccessAttempt

    from accounts.forms import ERR_LOGIN_TOO_LONG

    response = client.post("/accounts/login/", {"username": "é" * 300, "password": "x"})

    assert response.status_code == 200
    assert ERR_LOGIN_TOO_LONG in response.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_a_completed_password_reset_confirms_the_email_address(client):
    UserFactory(email="baker@example.com", password=PASSWORD, email_confirmed=False)
    client.post("/accounts/password-reset/", {"email": "baker@example.com"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    new = "a-brand-new-password-77"

    client.post(client.get(link).url, {"new_password1": new, "new_password2": new})

    assert User.objects.get().email_confirmed


def test_an_unconfirmed_owner_is_reminded_on_every_page_and_can_ask_for_the_link_again(client):
    user = MembershipFactory(user__email_confirmed=False).user
    client.force_login(user)

    for url in ("/assessments/", "/accounts/business/"):
        body = client.get(url).content.decode()
        assert "Confirm your email address" in body
        assert 'action="/accounts/confirm/send/"' in body

    response = client.post("/accounts/confirm/send/", {"next": "/assessments/"})
    assert response["Location"] == "/assessments/"
    assert "/accounts/confirm/" in mail.outbox[-1].body


def test_a_confirmed_owner_sees_no_reminder(client):
    client.force_login(MembershipFactory().user)
    assert "Confirm your email address" not in client.get("/assessments/").content.decode()
