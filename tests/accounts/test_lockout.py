"""The login lockout is keyed on the visitor's address, taken from the trusted proxy."""

import pytest
from axes.models import AccessAttempt

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "flour-and-water-2026"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.com", password=PASSWORD)


def log_in(client, address, password, email="owner@example.com", forwarded_for=None):
    """A login through the proxy, which appends the visitor's address to X-Forwarded-For."""
    chain = f"{forwarded_for}, {address}" if forwarded_for else address
    return client.post(
        "/accounts/login/",
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )


def fail_five_times(client, address, **kwargs):
    for _ in range(5):
        log_in(client, address, "wrong-password", **kwargs)


def test_failures_from_one_address_do_not_lock_the_account_out_elsewhere(client, owner):
    fail_five_times(client, "203.0.113.5")
    response = log_in(client, "198.51.100.7", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/welcome/"


def test_the_limit_still_holds_for_the_attacking_address(client, owner):
    fail_five_times(client, "203.0.113.5")
    assert log_in(client, "203.0.113.5", PASSWORD).status_code == 429
    other = UserFactory(email="other@example.com", password=PASSWORD)
    assert log_in(client, "203.0.113.5", PASSWORD, email=other.email).status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, owner):
    """The visitor controls the start of the header; only the proxy's entry counts."""
    for n in range(5):
        log_in(client, "203.0.113.5", "wrong-password", forwarded_for=f"192.0.2.{n}")
    assert log_in(client, "203.0.113.5", PASSWORD, forwarded_for="192.0.2.99").status_code == 429


def test_failures_during_a_lockout_do_not_restart_it(client, owner):
    fail_five_times(client, "203.0.113.5")
    locked_at = AccessAttempt.objects.get().attempt_time
    for _ in range(3):
        assert log_in(client, "203.0.113.5", "wrong-again").status_code == 429
    attempt = AccessAttempt.objects.get()
    assert attempt.attempt_time == locked_at
    assert attempt.failures_since_start == 5
