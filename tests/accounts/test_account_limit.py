"""Guesses at one account's password are limited however many addresses they come from.

django-axes counts per client address, so guesses spread over many
addresses each look new to it. A slower limit per account sits on top: past
it the password alone no longer signs the account in, even a right one, and
the owner signs in from a link emailed to their own address instead. So a
stranger can slow the guessing down but never lock the owner out, and the
answers are the same whether or not the address has an account.
"""

import re

import pytest
from django.core import mail

from accounts import throttle
from accounts.login_views import ERR_ACCOUNT_LIMITED
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "flour-and-water-2026"
PROXY = "10.0.0.2"
LIMIT = throttle.LOGIN_FAILURES_PER_ACCOUNT


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.com", password=PASSWORD)


def log_in(client, address, password, email="owner@example.com"):
    return client.post(
        "/accounts/login/",
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


def guess_from_many_addresses(client, email="owner@example.com", guesses=LIMIT):
    """Wrong passwords, each from a new address: axes never sees two from one."""
    for n in range(guesses):
        response = log_in(client, f"198.51.100.{n + 1}", f"guess-{n}", email=email)
        assert response.status_code == 200
    return response


def test_guesses_spread_over_addresses_stop_the_password_alone_even_a_right_one(client, owner):
    guess_from_many_addresses(client)
    response = log_in(client, "203.0.113.200", PASSWORD)
    assert response.status_code == 429
    assert ERR_ACCOUNT_LIMITED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_guesses_below_the_limit_leave_the_right_password_working(client, owner):
    guess_from_many_addresses(client, guesses=LIMIT - 1)
    response = log_in(client, "203.0.113.200", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/welcome/"


def test_past_the_limit_the_emailed_link_still_signs_the_owner_in(client, owner):
    guess_from_many_addresses(client)
    page = log_in(client, "203.0.113.200", PASSWORD)
    assert "Email me a sign-in link" in page.content.decode()

    sent = client.post(
        "/accounts/login/link/", {"email": "owner@example.com"}, REMOTE_ADDR="203.0.113.200"
    )
    assert sent.status_code == 200
    assert "If owner@example.com has an account" in sent.content.decode()
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]
    link = re.search(r"http://testserver(/accounts/login/link/\S+/)", mail.outbox[0].body)[1]

    # Opening the link only shows a button (a mail scanner's GET signs nobody in).
    assert client.get(link).status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post(link)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_emailed_link_works_once(client, owner):
    guess_from_many_addresses(client)
    client.post("/accounts/login/link/", {"email": "owner@example.com"})
    link = re.search(r"http://testserver(/accounts/login/link/\S+/)", mail.outbox[0].body)[1]
    client.post(link)
    client.post("/accounts/logout/")
    again = client.post(link)
    assert again.status_code == 404
    assert "_auth_user_id" not in client.session


def page(response, email):
    """The page as a person reads it: without the CSRF token, which differs each time."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return text.replace(email, "X")


def test_an_address_without_an_account_gets_the_same_answers(client, owner):
    known = guess_from_many_addresses(client)
    unknown = guess_from_many_addresses(client, email="nobody@example.com")
    assert page(known, "owner@example.com") == page(unknown, "nobody@example.com")

    refused_known = log_in(client, "203.0.113.200", PASSWORD)
    refused_unknown = log_in(client, "203.0.113.201", PASSWORD, email="nobody@example.com")
    assert refused_known.status_code == refused_unknown.status_code == 429
    assert page(refused_known, "owner@example.com") == page(refused_unknown, "nobody@example.com")

    sent = client.post("/accounts/login/link/", {"email": "nobody@example.com"})
    assert "If nobody@example.com has an account" in sent.content.decode()
    assert mail.outbox == []


def test_sign_in_links_to_one_address_are_limited_silently(client, owner):
    for _ in range(throttle.LOGIN_LINKS_PER_EMAIL + 2):
        response = client.post(
            "/accounts/login/link/", {"email": "owner@example.com"}, REMOTE_ADDR="203.0.113.9"
        )
        assert response.status_code == 200
    assert len(mail.outbox) == throttle.LOGIN_LINKS_PER_EMAIL


def test_a_forged_or_expired_link_signs_nobody_in(client, owner):
    response = client.post("/accounts/login/link/not-a-real-token/")
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session
