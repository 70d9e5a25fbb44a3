"""Fixtures for the action plan: a retail client of a firm with one submitted assessment."""

import pytest

from assessments.services import assessment_start, assessment_submit
from tests.factories import (
    FirmFactory,
    FirmMembershipFactory,
    MembershipFactory,
    OrganizationFactory,
)
from tests.reports.conftest import answer_all


@pytest.fixture
def firm(db):
    return FirmFactory(name="Harbour Advisers")


@pytest.fixture
def organization(db, firm):
    return OrganizationFactory(name="Corner Shop Ltd", sector="retail", firm=firm)


@pytest.fixture
def owner(organization):
    return MembershipFactory(organization=organization, user__email="sam@corner.example").user


@pytest.fixture
def consultant(firm):
    return FirmMembershipFactory(firm=firm, user__first_name="Lewis").user


@pytest.fixture
def other_consultant(db):
    return FirmMembershipFactory(firm=FirmFactory(name="Elsewhere Partners")).user


@pytest.fixture
def other_owner(db):
    return MembershipFactory(organization=OrganizationFactory(name="Zebra Bikes")).user


@pytest.fixture
def submit(mini_framework):
    def submit(organization, user, answers=None):
        assessment = assessment_start(organization=organization, user=user)
        answer_all(assessment, user, answers, {})
        return assessment_submit(assessment=assessment, user=user)

    return submit


@pytest.fixture
def submitted(submit, organization, owner):
    """MINI_ANSWERS: gaps in OP-F-01, FI-F-01, FI-A-01, AD-A-01, TE-I-01 and TE-A-01."""
    return submit(organization, owner)


@pytest.fixture
def items(submitted, organization):
    from action_plans.models import ActionItem

    return {i.question_code: i for i in ActionItem.objects.filter(organization=organization)}
