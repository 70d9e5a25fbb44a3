"""The owner decides whether their business is shared with a consultancy."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Membership
from core.errors import ServiceError
from tests.conftest import verified_login
from tests.factories import FirmMembershipFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(db):
    return FirmMembershipFactory(
        firm__name="Harbour Partners", user__email="consultant@harbour.example"
    ).user


@pytest.fixture
def client_org(consultant):
    """Corner Bakery, shared with the consultant's firm."""
    firm = consultant.firm_memberships.get().firm
    return MembershipFactory(
        organization__name="Corner Bakery", organization__firm=firm
    ).organization


@pytest.fixture
def client_owner(client_org):
    return client_org.memberships.get().user


@pytest.fixture
def plain_user(db):
    return UserFactory(email="nobody@example.com")


def add_member(organization, email, role=Membership.Role.MEMBER):
    return MembershipFactory(organization=organization, user__email=email, role=role).user


def test_the_owner_stops_sharing_after_confirming(client, client_owner, client_org, consultant):
    client.force_login(client_owner)
    url = reverse("accounts:sharing")
    response = client.post(url, {})
    client_org.refresh_from_db()
    assert client_org.firm is not None  # no confirmation, no change
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert b"is no longer shared with Harbour Partners" in response.content
    client_org.refresh_from_db()
    assert client_org.firm is None
    assert b"is not shared with any consultancy" in client.get(url).content

    verified_login(client, consultant)
    assert client.get(reverse("consultants:client", args=[client_org.pk])).status_code == 404


def test_a_member_who_is_not_the_owner_sees_sharing_but_cannot_stop_it(
    client, client_org, consultant
):
    member = add_member(client_org, "staff@cornerbakery.example", Membership.Role.MEMBER)
    client.force_login(member)
    response = client.get(reverse("accounts:sharing"))
    assert b"Only the business's owner can stop sharing." in response.content
    assert client.post(reverse("accounts:sharing"), {"confirm": "yes"}).status_code == 404
    client_org.refresh_from_db()
    assert client_org.firm is not None


def test_the_sharing_page_is_only_for_people_with_a_business(client, consultant, plain_user):
    verified_login(client, consultant)
    assert client.get(reverse("accounts:sharing")).status_code == 404
    client.force_login(plain_user)
    assert client.get(reverse("accounts:sharing")).status_code == 404
    client.logout()
    assert client.get(reverse("accounts:sharing")).status_code == 302


def test_stopping_sharing_twice_is_harmless(client_owner, client_org):
    services.sharing_stop(organization=client_org, user=client_owner)
    with pytest.raises(ServiceError) as exc:
        services.sharing_stop(organization=client_org, user=client_owner)
    assert exc.value.message == services.ERR_NOT_SHARED


# --- Someone who is a member of one business and the owner of another ------------------


@pytest.fixture
def member_and_owner(client_org):
    """A staff member of Corner Bakery (joined first) who also owns Seaview Guesthouse."""
    person = add_member(client_org, "both@example.com", Membership.Role.MEMBER)
    owned = MembershipFactory(
        user=person,
        organization__name="Seaview Guesthouse",
        organization__firm=client_org.firm,
        role=Membership.Role.OWNER,
    ).organization
    return person, owned


def test_stopping_sharing_acts_on_the_business_the_user_owns(client, client_org, member_and_owner):
    person, owned = member_and_owner
    client.force_login(person)
    assert b"Who sees Seaview Guesthouse" in client.get(reverse("accounts:sharing")).content
    client.post(reverse("accounts:sharing"), {"confirm": "yes"})
    owned.refresh_from_db()
    client_org.refresh_from_db()
    assert owned.firm is None
    assert client_org.firm is not None  # the business they only work in keeps sharing


def test_the_business_profile_edits_the_business_the_user_owns(
    client, client_org, member_and_owner
):
    person, owned = member_and_owner
    client.force_login(person)
    data = {"name": "Renamed", "sector": "service", "size_band": "1-9", "region": "Wales"}
    assert client.post(reverse("accounts:organization_edit"), data).status_code == 302
    owned.refresh_from_db()
    client_org.refresh_from_db()
    assert owned.name == "Renamed"
    assert client_org.name == "Corner Bakery"


def test_a_business_name_with_a_line_break_is_refused_and_nothing_changes(
    client, client_org, member_and_owner
):
    person, owned = member_and_owner
    client.force_login(person)
    data = {"name": "Renamed\nBakery", "sector": "service", "size_band": "1-9", "region": "Wales"}
    response = client.post(reverse("accounts:organization_edit"), data)
    assert response.status_code == 200
    assert "Keep this on one line" in response.content.decode()
    owned.refresh_from_db()
    assert "Renamed" not in owned.name


def test_a_member_who_is_not_the_owner_cannot_edit_the_business_profile(client, client_org):
    member = add_member(client_org, "staff@cornerbakery.example", Membership.Role.MEMBER)
    client.force_login(member)
    data = {"name": "Renamed", "sector": "service", "size_band": "1-9", "region": "Wales"}
    response = client.post(reverse("accounts:organization_edit"), data, follow=True)
    assert b"Only the business&#x27;s owner can edit its profile." in response.content
    client_org.refresh_from_db()
    assert client_org.name == "Corner Bakery"
