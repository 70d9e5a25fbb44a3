"""The access rule for assessments: members answer, members and their firm's consultants read."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts.permissions import firm_clients, get_firm_client_or_404, get_or_404
from assessments.models import Assessment
from assessments.services import assessment_start
from tests.factories import FirmMembershipFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def get_editable_assessment(user, pk):
    return get_or_404(Assessment.objects.editable_by(user), pk)


def get_visible_assessment(user, pk):
    return get_or_404(Assessment.objects.visible_to(user), pk)


def get_firm_assessment_or_404(user, pk):
    return get_or_404(Assessment.objects.of_firm_clients(user), pk)


@pytest.fixture
def owner(db):
    return MembershipFactory(organization__name="Corner Bakery").user


@pytest.fixture
def assessment(owner, mini_framework):
    return assessment_start(organization=owner.memberships.get().organization, user=owner)


@pytest.fixture
def people(assessment):
    """Everyone who might ask for the assessment, by who they are to it."""
    firm_consultant = FirmMembershipFactory()
    assessment.organization.firm = firm_consultant.firm
    assessment.organization.save()
    colleague = MembershipFactory(organization=assessment.organization, role="member").user
    return {
        "anonymous": AnonymousUser(),
        "colleague": colleague,
        "another_owner": MembershipFactory().user,
        "consultant_of_the_firm": firm_consultant.user,
        "consultant_elsewhere": FirmMembershipFactory().user,
    }


def test_the_owner_and_a_colleague_may_answer_and_read(owner, assessment, people):
    for user in (owner, people["colleague"]):
        assert get_editable_assessment(user, assessment.pk) == assessment
        assert get_visible_assessment(user, assessment.pk) == assessment


def test_the_firms_consultant_may_read_but_not_answer(assessment, people):
    consultant = people["consultant_of_the_firm"]
    assert get_visible_assessment(consultant, assessment.pk) == assessment
    assert get_firm_assessment_or_404(consultant, assessment.pk) == assessment
    with pytest.raises(Http404):
        get_editable_assessment(consultant, assessment.pk)


@pytest.mark.parametrize("who", ["anonymous", "another_owner", "consultant_elsewhere"])
def test_everyone_else_gets_404_whatever_they_ask_for(assessment, people, who):
    for lookup in (get_editable_assessment, get_visible_assessment, get_firm_assessment_or_404):
        with pytest.raises(Http404):
            lookup(people[who], assessment.pk)


def test_a_consultant_loses_access_when_the_client_stops_sharing(assessment, people):
    assessment.organization.firm = None
    assessment.organization.save()
    with pytest.raises(Http404):
        get_visible_assessment(people["consultant_of_the_firm"], assessment.pk)


@pytest.mark.parametrize("pk", ["12abc", "", None, 0, -3, 2**63, 2**70, "9" * 40, 987654])
def test_a_garbled_or_unknown_id_is_a_404_not_an_error(owner, assessment, pk):
    for lookup in (get_editable_assessment, get_visible_assessment):
        with pytest.raises(Http404):
            lookup(owner, pk)


def test_a_consultant_lists_only_the_clients_that_share_with_their_firm(assessment, people):
    consultant, elsewhere = people["consultant_of_the_firm"], people["consultant_elsewhere"]
    assert list(firm_clients(consultant)) == [assessment.organization]
    assert list(Assessment.objects.of_firm_clients(consultant)) == [assessment]
    assert get_firm_client_or_404(consultant, assessment.organization_id) == assessment.organization
    assert firm_clients(elsewhere).count() == 0
    assert firm_clients(people["another_owner"]).count() == 0
    for pk in (assessment.organization_id, "not-a-number", 2**70):
        with pytest.raises(Http404):
            get_firm_client_or_404(elsewhere, pk)
