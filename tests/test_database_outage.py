"""While the database is unreachable (a restart, a failover) every request says so and
that it is worth trying again: 503 with Retry-After, never a bare 500, never a false 'saved'."""

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from assessments.models import Answer
from assessments.services import assessment_start
from tests.conftest import verified_login
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def database_down(execute, sql, params, many, context):
    """Every query fails as it does while PostgreSQL restarts."""
    raise OperationalError("connection failed: FATAL:  the database system is shutting down")


@pytest.fixture
def owner_client(client, mini_framework):
    owner = MembershipFactory(organization__name="Harbour Chandlery").user
    assessment = assessment_start(organization=owner.memberships.get().organization, user=owner)
    verified_login(client, owner)
    client.raise_request_exception = False  # what a visitor gets, not the test's traceback
    return client, assessment


def test_an_autosave_while_the_database_is_down_answers_503_to_retry_and_stores_nothing(
    owner_client,
):
    client, assessment = owner_client
    url = reverse("questionnaire:answer_autosave", args=[assessment.pk, "OP-F-01"])

    with connection.execute_wrapper(database_down):
        response = client.post(
            url, {"choice": "2", "note": "", "revision": 0}, HTTP_X_REQUESTED_WITH="fetch"
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["status"] == "unavailable"
    assert "not saved" in response.json()["message"]
    assert not Answer.objects.exists()


def test_a_page_while_the_database_is_down_says_to_try_again_in_a_moment(owner_client):
    client, assessment = owner_client

    with connection.execute_wrapper(database_down):
        response = client.get(reverse("questionnaire:section", args=[assessment.pk, "operational"]))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert b"Try again in a few seconds" in response.content


def test_other_errors_still_answer_500(owner_client, settings):
    client, _ = owner_client

    def broken(execute, sql, params, many, context):
        raise ZeroDivisionError

    with connection.execute_wrapper(broken):
        response = client.get(reverse("questionnaire:owner_home"))

    assert response.status_code == 500
