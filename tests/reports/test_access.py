"""Who may open a results page or a PDF: the owner and their firm's consultants, no one else."""

import pytest
from django.urls import reverse

from tests.conftest import verified_login

pytestmark = pytest.mark.django_db

VIEWS = ["reports:results", "documents:report_pdf"]


@pytest.fixture(params=VIEWS)
def url(request, submitted):
    return reverse(request.param, args=[submitted.pk])


def test_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "no-store" in response["Cache-Control"]


def test_owner_may_open_their_report(client, owner, url):
    client.force_login(owner)

    assert client.get(url).status_code == 200


def test_owner_of_another_organization_gets_404_and_learns_nothing(client, other_owner, url):
    client.force_login(other_owner)
    response = client.get(url)

    assert response.status_code == 404
    assert b"Corner Shop" not in response.content


def test_consultant_of_the_organizations_firm_may_open_the_report(client, consultant, url):
    verified_login(client, consultant)

    assert client.get(url).status_code == 200


def test_consultant_of_another_firm_gets_404(client, other_consultant, url):
    verified_login(client, other_consultant)
    response = client.get(url)

    assert response.status_code == 404
    assert b"Corner Shop" not in response.content


def test_an_unknown_assessment_is_404(client, owner, submitted):
    client.force_login(owner)

    assert client.get(reverse("reports:results", args=[submitted.pk + 1000])).status_code == 404
    assert (
        client.get(reverse("documents:report_pdf", args=[submitted.pk + 1000])).status_code == 404
    )


def test_reports_refuse_posts(client, owner, submitted):
    client.force_login(owner)

    assert client.post(reverse("reports:results", args=[submitted.pk])).status_code == 405
