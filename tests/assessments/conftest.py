import pytest

from assessments.services import assessment_start
from tests.factories import MembershipFactory


@pytest.fixture
def owner(db):
    """An owner with a retail business."""
    return MembershipFactory(organization__name="Corner Bakery", organization__sector="retail").user


@pytest.fixture
def other_owner(db):
    return MembershipFactory(
        organization__name="CANARY Rival Hardware", organization__sector="manufacturing"
    ).user


@pytest.fixture
def assessment(owner, mini_framework):
    return assessment_start(organization=owner.memberships.get().organization, user=owner)


@pytest.fixture
def other_assessment(other_owner, mini_framework):
    return assessment_start(
        organization=other_owner.memberships.get().organization, user=other_owner
    )


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client
