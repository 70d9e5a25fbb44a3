"""Sign-up costs the same whether or not the address has an account.

The slow part of a sign-up is the deliberate password hash. Counting hashes
is exact where a stopwatch on a shared machine is not: each path must hash
once. (Before, an existing address hashed nothing and answered about
twenty times faster than a new one.)
"""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from tests.factories import UserFactory

from .test_accounts_views import signup_data

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    encoded = 0

    def encode(self, password, salt):
        CountingHasher.encoded += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup_timing.CountingHasher"]
    CountingHasher.encoded = 0
    return CountingHasher


def test_a_sign_up_for_a_new_address_hashes_the_password_once(client, hashes):
    client.post("/accounts/signup/", signup_data(email="new@example.com"))
    assert hashes.encoded == 1


def test_a_sign_up_for_an_existing_address_does_the_same_work(client, hashes):
    UserFactory(email="taken@example.com")
    hashes.encoded = 0  # the factory's own hash does not count
    response = client.post("/accounts/signup/", signup_data(email="taken@example.com"))
    assert response.status_code == 200
    assert hashes.encoded == 1


def test_a_sign_up_for_an_unconfirmed_address_does_the_same_work(client, hashes):
    UserFactory(email="squatted@example.com", email_confirmed=False)
    hashes.encoded = 0
    response = client.post("/accounts/signup/", signup_data(email="squatted@example.com"))
    assert response.status_code == 200
    assert hashes.encoded == 1
