"""Two-step login: required for consultants, firm admins and site admins; an owner's choice.

The password step is the login form as before; an account with an
authenticator app then types a code (or a recovery code) before it is
logged in at all. With TWO_FACTOR_REQUIRED on (production, and these
tests), a consultant or admin who is not verified reaches only the set-up.
"""

import re
from base64 import b32encode

import pytest
from django.core import signing
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import sign_in, throttle, two_factor
from accounts.login_views import ERR_TOO_MANY_CODES
from accounts.models import FirmMembership, User
from accounts.services import CONFIRMATION_SALT
from tests.conftest import totp_code, two_factor_device, verified_login
from tests.factories import FirmMembershipFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "flour-and-water-2026"
SETUP = "/accounts/two-step/"
CODE_STEP = "/accounts/login/code/"


def log_in(client, user, **extra):
    return client.post("/accounts/login/", {"username": user.email, "password": PASSWORD}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def client_business(db):
    return MembershipFactory(organization__name="Corner Bakery").organization


@pytest.fixture
def consultant(client_business):
    membership = FirmMembershipFactory(user__password=PASSWORD)
    client_business.firm = membership.firm
    client_business.save()
    return membership.user


@pytest.fixture
def firm_admin(consultant):
    return FirmMembershipFactory(
        firm=consultant.firm_memberships.get().firm,
        role=FirmMembership.Role.ADMIN,
        user__password=PASSWORD,
    ).user


@pytest.fixture
def owner(db):
    return MembershipFactory(user__password=PASSWORD).user


@pytest.fixture
def site_admin(db):
    return UserFactory(password=PASSWORD, is_staff=True, is_superuser=True)


# --- Who must set it up -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["consultant", "firm_admin"])
def test_a_consultant_sees_no_client_before_setting_it_up(client, request, client_business, who):
    user = request.getfixturevalue(who)
    assert log_in(client, user).status_code == 302
    for page in ("/consultant/", f"/consultant/clients/{client_business.pk}/", "/consultant/team/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == f"{SETUP}?next={page}", page
    setup_page = client.get(SETUP)
    assert setup_page.status_code == 200
    assert "so they set up two-step login before opening any of it" in (setup_page.content.decode())


def test_a_site_admin_reaches_the_admin_site_only_after_setting_it_up(client, site_admin):
    log_in(client, site_admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    verified_login(client, site_admin)
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_has_no_login_of_its_own(client, site_admin):
    """Its password-only form would skip the code step and the limit per account."""
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_an_owner_is_never_asked_to_set_it_up(client, owner):
    log_in(client, owner)
    assert client.get(reverse("questionnaire:owner_home")).status_code == 200


def test_with_the_setting_off_a_consultant_signs_in_with_a_password_alone(
    client, settings, consultant
):
    settings.TWO_FACTOR_REQUIRED = False
    log_in(client, consultant)
    assert client.get("/consultant/").status_code == 200


# --- Setting it up ------------------------------------------------------------------------


def test_setting_it_up_shows_the_key_then_ten_recovery_codes_once(client, consultant):
    log_in(client, consultant)
    started = client.post("/accounts/two-step/setup/", {"start": "1", "next": "/consultant/"})
    assert started.status_code == 302
    page = client.get(started["Location"])
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=consultant, confirmed=False)
    assert "<svg" in html and "QR code of your two-step login key" in html
    key = re.search(r'class="d-block fs-5 mt-1 setup-key">([A-Z2-7 ]+)</code>', html)[1]
    assert key.replace(" ", "") == b32encode(device.bin_key).decode()

    wrong = client.post(started["Location"], {"code": "000000", "next": "/consultant/"})
    assert wrong.status_code == 400
    assert two_factor.ERR_WRONG_SETUP_CODE.replace("'", "&#x27;") in wrong.content.decode()
    assert "recovery codes" not in wrong.content.decode()  # there are none yet
    assert client.get("/consultant/").status_code == 302

    done = client.post(started["Location"], {"code": totp_code(device), "next": "/consultant/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert 'href="/consultant/">I have saved these codes' in done.content.decode()
    assert client.get("/consultant/").status_code == 200
    # Shown once: the page about it later gives only how many are left.
    later = client.get(SETUP).content.decode()
    assert "10 unused recovery codes" in later
    assert codes[0] not in later


def test_an_app_is_replaced_only_after_its_code(client, owner):
    """A stolen session that skipped the code step cannot swap in the thief's app."""
    two_factor_device(owner)
    client.force_login(owner)
    response = client.post("/accounts/two-step/setup/", {"start": "1"})
    assert response["Location"].startswith(CODE_STEP)
    assert not TOTPDevice.objects.filter(user=owner, confirmed=False).exists()


# --- Signing in with it -------------------------------------------------------------------


def test_an_owner_who_turned_it_on_is_not_logged_in_before_the_code(client, owner):
    device = two_factor_device(owner)
    response = log_in(client, owner)
    assert response["Location"] == CODE_STEP
    assert not signed_in(client)
    assert client.get(reverse("questionnaire:owner_home"))["Location"].startswith(
        "/accounts/login/"
    )
    response = client.post(CODE_STEP, {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/welcome/"
    assert signed_in(client)
    assert client.get(reverse("questionnaire:owner_home")).status_code == 200


def test_a_consultant_with_a_code_goes_straight_to_their_clients(client, consultant):
    device = two_factor_device(consultant)
    log_in(client, consultant)
    client.post(CODE_STEP, {"code": totp_code(device)})
    assert client.get("/consultant/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_error(client, owner):
    device = two_factor_device(owner)
    log_in(client, owner)
    response = client.post(CODE_STEP, {"code": f"{(int(totp_code(device)) + 1) % 10**6:06d}"})
    assert response.status_code == 400
    assert "That code is not right." in response.content.decode()
    assert not signed_in(client)


def test_a_recovery_code_signs_in_once(client, owner):
    two_factor_device(owner)
    code = two_factor.recovery_codes_new(user=owner)[0]
    log_in(client, owner)
    response = client.post(CODE_STEP, {"code": f"{code[:4].upper()}-{code[4:]}"}, follow=True)
    assert signed_in(client)
    assert "You used a recovery code; 9 left." in response.content.decode()

    client.post("/accounts/logout/")
    log_in(client, owner)
    again = client.post(CODE_STEP, {"code": code})
    assert again.status_code == 400
    assert not signed_in(client)
    assert StaticToken.objects.filter(device__user=owner).count() == 9


def test_codes_are_limited_per_account_then_even_a_right_one_waits(client, owner):
    device = two_factor_device(owner)
    log_in(client, owner)
    for _ in range(throttle.LOGIN_CODES_PER_ACCOUNT):
        assert client.post(CODE_STEP, {"code": "000000"}).status_code == 400
    response = client.post(CODE_STEP, {"code": totp_code(device)})
    assert response.status_code == 429
    assert ERR_TOO_MANY_CODES in response.content.decode()
    assert not signed_in(client)


def test_the_emailed_sign_in_link_still_asks_for_the_code(client, owner):
    two_factor_device(owner)
    token = signing.dumps(
        {"user": owner.pk, "email": owner.email, "nonce": "n1"}, salt=sign_in.LINK_SALT
    )
    response = client.post(f"/accounts/login/link/{token}/")
    assert response["Location"] == CODE_STEP
    assert not signed_in(client)


def test_the_code_step_without_a_password_first_sends_to_log_in(client, owner):
    two_factor_device(owner)
    assert client.get(CODE_STEP)["Location"] == "/accounts/login/"


# --- Turning it off, and losing it -------------------------------------------------------


def test_an_owner_turns_it_off_with_a_code(client, owner):
    device = verified_login(client, owner)
    response = client.post("/accounts/two-step/off/", {"code": totp_code(device)}, follow=True)
    assert "Two-step login is off" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=owner).exists()


def test_a_consultant_cannot_turn_it_off_while_it_is_required(client, consultant):
    device = verified_login(client, consultant)
    page = client.get(SETUP).content.decode()
    assert "Turn off two-step login" not in page
    response = client.post("/accounts/two-step/off/", {"code": totp_code(device)}, follow=True)
    assert "it cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=consultant, confirmed=True).exists()


def test_a_session_whose_app_was_removed_must_set_it_up_again(client, consultant):
    verified_login(client, consultant)
    assert client.get("/consultant/").status_code == 200
    two_factor.remove_all(user=consultant)
    assert client.get("/consultant/")["Location"].startswith(SETUP)


def test_new_recovery_codes_replace_the_old_ones(client, owner):
    verified_login(client, owner)
    old = two_factor.recovery_codes_new(user=owner)
    response = client.post("/accounts/two-step/recovery-codes/")
    new = re.findall(
        r"<li><code>([a-z2-7]{4})-([a-z2-7]{4})</code></li>", response.content.decode()
    )
    assert len(new) == 10
    tokens = set(StaticToken.objects.filter(device__user=owner).values_list("token", flat=True))
    assert tokens == {a + b for a, b in new}
    assert not tokens & set(old)


def test_a_confirmation_link_still_asks_for_the_code(client, owner):
    """An unconfirmed owner may have turned it on before opening their confirmation link."""
    two_factor_device(owner)
    User.objects.filter(pk=owner.pk).update(email_confirmed=False)
    token = signing.dumps({"user": owner.pk, "email": owner.email}, salt=CONFIRMATION_SALT)
    response = client.post(f"/accounts/confirm/{token}/")
    assert response["Location"] == CODE_STEP
    assert not signed_in(client)
    assert User.objects.get(pk=owner.pk).email_confirmed
