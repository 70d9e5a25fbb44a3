"""Bounds on what consultants add: review comments and invitations, with a clear message."""

import pytest
from django.urls import reverse

from consultants import services
from consultants.models import PENDING_INVITATIONS_MAX, Invitation
from core.errors import ServiceError
from reports.models import REVIEW_COMMENTS_MAX, ReviewComment
from tests.conftest import verified_login
from tests.consultants.conftest import submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(client_org, client_owner):
    return submitted_assessment(client_org, client_owner, "2")


def fill_comments(assessment, consultant):
    ReviewComment.objects.bulk_create(
        ReviewComment(assessment=assessment, author=consultant, text=f"Comment {n}")
        for n in range(REVIEW_COMMENTS_MAX)
    )


def test_an_assessment_holds_at_most_100_review_comments(assessment, consultant):
    fill_comments(assessment, consultant)

    with pytest.raises(ServiceError) as refused:
        services.review_comment_add(assessment=assessment, author=consultant, text="One more")

    assert "100 review comments, the most a report can hold" in refused.value.message
    assert assessment.review_comments.count() == REVIEW_COMMENTS_MAX


def test_at_the_limit_the_comment_form_comes_back_with_what_was_typed(
    client, consultant, client_org, assessment
):
    fill_comments(assessment, consultant)
    verified_login(client, consultant)

    response = client.post(
        reverse("consultants:comment_add", args=[client_org.pk]),
        {"assessment": assessment.pk, "pillar_key": "", "text": "Test the backups."},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "100 review comments, the most a report can hold" in body
    assert "Test the backups.</textarea>" in body


def test_a_100_kb_review_comment_is_refused_beside_its_field_and_kept(
    client, consultant, client_org, assessment
):
    verified_login(client, consultant)
    text = "x" * 100_000

    response = client.post(
        reverse("consultants:comment_add", args=[client_org.pk]),
        {"assessment": assessment.pk, "pillar_key": "", "text": text},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "at most 5000 characters (it has 100000)" in body
    assert f"{text}</textarea>" in body
    assert not ReviewComment.objects.exists()


def test_a_firm_has_at_most_200_pending_invitations(firm_a, consultant):
    consultant.email_confirmed = True
    consultant.save()
    for n in range(PENDING_INVITATIONS_MAX):
        services.invitation_create(
            firm=firm_a, email=f"client{n}@example.com", invited_by=consultant, base_url="http://x"
        )

    with pytest.raises(ServiceError) as refused:
        services.invitation_create(
            firm=firm_a, email="one.more@example.com", invited_by=consultant, base_url="http://x"
        )

    assert "200 invitations waiting for an answer" in refused.value.message
    assert Invitation.objects.pending().filter(firm=firm_a).count() == PENDING_INVITATIONS_MAX
