"""Two firms, their consultants and clients, with assessments answered through the services.

Firm B's client carries the canary name: whatever firm A's consultant opens
or exports, the canary must never be in it.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import FirmMembership, Membership, Organization
from assessments.models import Assessment, Question
from assessments.services import AnswerInput, answers_save, assessment_start, assessment_submit
from reports.models import ReviewComment
from tests.factories import FirmFactory, FirmMembershipFactory, MembershipFactory, UserFactory

CANARY = "CANARY-FIRM-B-7f3a"


def answer_all(assessment, user, choice="2", overrides=None):
    """Answer every question of the assessment's framework, then return the assessment."""
    overrides = overrides or {}
    codes = Question.objects.filter(framework=assessment.framework_id).values_list(
        "code", flat=True
    )
    answers_save(
        assessment=assessment,
        answers=[AnswerInput(code, overrides.get(code, choice)) for code in codes],
        user=user,
    )
    return assessment


def submitted_assessment(organization, owner, choice="2", overrides=None, days_ago=0):
    """An assessment answered and submitted through the services, optionally backdated."""
    assessment = assessment_start(organization=organization, user=owner)
    answer_all(assessment, owner, choice, overrides)
    assessment = assessment_submit(assessment=assessment, user=owner)
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        Assessment.objects.filter(pk=assessment.pk).update(
            started_at=when - timedelta(days=1), submitted_at=when, updated_at=when
        )
        assessment.refresh_from_db()
    return assessment


@pytest.fixture
def firm_a(db):
    return FirmFactory(name="Harbour Partners", slug="harbour-partners")


@pytest.fixture
def firm_b(db):
    return FirmFactory(name="Rival Advisory", slug="rival-advisory")


@pytest.fixture
def firm_admin(firm_a):
    return FirmMembershipFactory(
        firm=firm_a, role=FirmMembership.Role.ADMIN, user__email="admin@harbour.example"
    ).user


@pytest.fixture
def consultant(firm_a):
    return FirmMembershipFactory(firm=firm_a, user__email="consultant@harbour.example").user


@pytest.fixture
def consultant_b(firm_b):
    return FirmMembershipFactory(firm=firm_b, user__email="consultant@rival.example").user


@pytest.fixture
def client_owner(firm_a, mini_framework):
    """The owner of firm A's client "Corner Bakery" (retail)."""
    membership = MembershipFactory(
        organization__name="Corner Bakery",
        organization__sector="retail",
        organization__firm=firm_a,
        user__email="owner@cornerbakery.example",
    )
    return membership.user


@pytest.fixture
def client_org(client_owner) -> Organization:
    return client_owner.memberships.get().organization


@pytest.fixture
def client_assessment(client_org, client_owner):
    """Corner Bakery's submitted assessment (every answer "2": a score of 50)."""
    return submitted_assessment(client_org, client_owner, "2", days_ago=30)


@pytest.fixture
def canary_owner(firm_b, mini_framework):
    membership = MembershipFactory(
        organization__name=CANARY,
        organization__sector="manufacturing",
        organization__region=CANARY,
        organization__firm=firm_b,
        user__email="canary-7f3a@rival.example",
    )
    return membership.user


@pytest.fixture
def canary_assessment(canary_owner, consultant_b):
    """Firm B's client, submitted, with notes and a review comment that carry the canary."""
    org = canary_owner.memberships.get().organization
    assessment = assessment_start(organization=org, user=canary_owner)
    codes = Question.objects.filter(framework=assessment.framework_id).values_list(
        "code", flat=True
    )
    answers_save(
        assessment=assessment,
        answers=[AnswerInput(code, "0", note=f"{CANARY} note") for code in codes],
        user=canary_owner,
    )
    assessment = assessment_submit(assessment=assessment, user=canary_owner)
    ReviewComment.objects.create(
        assessment=assessment, author=consultant_b, text=f"{CANARY} comment"
    )
    return assessment


@pytest.fixture
def world(firm_admin, consultant, consultant_b, client_assessment, canary_assessment, client_owner):
    """Both firms with one submitted client each, for permission tests."""
    return {
        "firm_admin": firm_admin,
        "consultant": consultant,
        "consultant_b": consultant_b,
        "owner": client_owner,
        "assessment": client_assessment,
        "canary": canary_assessment,
    }


@pytest.fixture
def lone_owner(mini_framework):
    """An owner whose business shares with nobody."""
    return MembershipFactory(
        organization__name="Solo Plumbing", user__email="solo@plumbing.example"
    ).user


@pytest.fixture
def plain_user(db):
    """Someone with an account but neither a business nor a firm."""
    return UserFactory(email="nobody@example.com")


def add_member(organization, email, role=Membership.Role.MEMBER):
    return MembershipFactory(organization=organization, user__email=email, role=role).user
