"""The signed-in user is loaded with their roles in one query, and only if they may sign in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import RoleAwareModelBackend
from tests.conftest import verified_login
from tests.factories import FirmMembershipFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def load(user_id):
    return RoleAwareModelBackend().get_user(user_id)


def test_an_owner_is_loaded_as_an_owner_and_not_a_consultant():
    owner = MembershipFactory().user
    loaded = load(owner.pk)
    assert loaded == owner
    assert (loaded.has_memberships, loaded.has_firm_memberships) == (True, False)


def test_a_consultant_is_loaded_as_a_consultant_and_not_an_owner():
    consultant = FirmMembershipFactory().user
    loaded = load(consultant.pk)
    assert (loaded.has_memberships, loaded.has_firm_memberships) == (False, True)


def test_someone_who_is_both_gets_both_menus(client):
    user = MembershipFactory().user
    FirmMembershipFactory(user=user)
    verified_login(client, user)  # a consultant too: the second step comes first
    body = client.get(reverse("home")).content.decode()
    assert "My assessments" in body
    assert "Clients" in body


def test_user_and_roles_take_one_query():
    owner = MembershipFactory().user
    with CaptureQueriesContext(connection) as queries:
        load(owner.pk)
    assert len(queries.captured_queries) == 1


@pytest.mark.parametrize("user_id", [987654, "not-a-number", None])
def test_no_user_for_an_unknown_or_garbled_id(user_id):
    assert load(user_id) is None


def test_a_deactivated_user_is_signed_out(client):
    owner = MembershipFactory().user
    client.force_login(owner, backend="accounts.backends.RoleAwareModelBackend")
    owner.is_active = False
    owner.save()
    assert load(owner.pk) is None
    response = client.get(reverse("questionnaire:owner_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_without_roles_sees_neither_menu(client):
    user = UserFactory()
    client.force_login(user, backend="accounts.backends.RoleAwareModelBackend")
    body = client.get(reverse("home")).content.decode()
    assert "My assessments" not in body
    assert ">Clients<" not in body
