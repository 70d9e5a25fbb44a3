"""Two-step login in a real browser: a new consultant sets it up, then signs in with it.

Set-up with the QR code and the typed key, the recovery codes shown once,
a log-in with the app's code, a refused wrong code, a log-in with a
recovery code, and the same recovery code refused the second time. The
app's codes are computed from the key the page shows, as a phone would.
"""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import FirmMembership
from tests.conftest import totp_code
from tests.factories import FirmFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "harbour-lights-2026"
EMAIL = "lewis@harbour.example"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def new_consultant(framework_loaded):
    firm = FirmFactory(name="Harbour Resilience Partners", slug="harbour")
    consultant = UserFactory(email=EMAIL, password=PASSWORD)
    FirmMembership.objects.create(firm=firm, user=consultant, role="consultant")
    MembershipFactory(organization__name="Corner Bakery", organization__firm=firm)
    return consultant


def log_in(page, base):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def app_code(key: str) -> str:
    """What an authenticator app shows for the key typed into it."""
    return f"{TOTP(b32decode(key.replace(' ', ''))).token():06d}"


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()


def test_a_consultant_sets_up_two_step_login_and_signs_in_with_it(
    live_server, browser, new_consultant, axe_check
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    # The password alone leads to the set-up, not to the clients.
    log_in(page, base)
    expect(page).to_have_url(re.compile(r"/accounts/two-step/\?next="))
    expect(page.get_by_text("set up two-step login before opening any of it")).to_be_visible()
    page.goto(f"{base}/consultant/")
    expect(page.get_by_role("heading", name="Two-step login")).to_be_visible()
    axe_check(page, "two-step login, required")
    page.get_by_role("button", name="Set up two-step login").click()

    expect(page.get_by_role("heading", name="Set up two-step login")).to_be_visible()
    expect(page.locator(".qr-code svg")).to_be_visible()
    axe_check(page, "set-up with the QR code")
    key = page.locator(".setup-key").inner_text()
    page.get_by_label("Code from the app").fill(app_code(key))
    page.get_by_role("button", name="Turn on two-step login").click()

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    axe_check(page, "recovery codes")
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10
    page.get_by_role("link", name="I have saved these codes").click()
    expect(page.get_by_role("heading", name="Clients", exact=True)).to_be_visible()
    log_out(page)

    # Next time: the password, then a wrong code, refused, then the app's code.
    log_in(page, base)
    expect(page).to_have_url(f"{base}/accounts/login/code/")
    axe_check(page, "the code step")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    axe_check(page, "the code step with an error")
    page.get_by_label("Code").fill(totp_code(TOTPDevice.objects.get(user=new_consultant)))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Clients", exact=True)).to_be_visible()
    log_out(page)

    # No phone to hand: a recovery code works once.
    log_in(page, base)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Clients", exact=True)).to_be_visible()
    expect(page.get_by_text("You used a recovery code; 9 left.")).to_be_visible()
    log_out(page)
    log_in(page, base)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    expect(page).to_have_url(f"{base}/accounts/login/code/")
    context.close()


def test_the_set_up_fits_a_phone(live_server, browser, new_consultant):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server.url)
    page.get_by_role("button", name="Set up two-step login").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the set-up page is {width} px wide on a phone"
    box = page.locator(".qr-code svg").bounding_box()
    assert box["width"] >= 150, "the QR code is too small to scan"
    context.close()
