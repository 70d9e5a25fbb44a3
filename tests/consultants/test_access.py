"""Who may open which consultant page: a matrix of people × views, and the canary.

Firm B's client is named CANARY; nothing firm A's people open or export may
contain it, and its pages answer 404 as if it did not exist.
"""

import io

import openpyxl
import pytest
from django.urls import reverse

from consultants.models import Invitation
from reports.models import ReviewComment
from tests.conftest import verified_login
from tests.consultants.conftest import CANARY

pytestmark = pytest.mark.django_db


def list_urls():
    """Consultant pages that are not about one client: every consultant gets 200."""
    return [
        reverse("consultants:dashboard"),
        reverse("consultants:portfolio"),
        reverse("consultants:portfolio_export", args=["csv"]),
        reverse("consultants:portfolio_export", args=["xlsx"]),
        reverse("consultants:invitations"),
    ]


def object_urls(assessment):
    """Pages about one client of firm A: only firm A's consultants get 200."""
    return [
        reverse("consultants:client", args=[assessment.organization_id]),
        reverse("consultants:assessment_export", args=[assessment.pk, "csv"]),
        reverse("consultants:assessment_export", args=[assessment.pk, "xlsx"]),
    ]


def all_get_urls(assessment):
    return [*list_urls(), *object_urls(assessment), reverse("consultants:team")]


def test_anonymous_visitors_are_sent_to_log_in_from_every_consultant_page(client, world):
    for url in all_get_urls(world["assessment"]):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("who", ["owner", "plain_user"])
def test_people_who_are_not_consultants_get_404_everywhere(client, world, who, plain_user):
    user = plain_user if who == "plain_user" else world["owner"]
    client.force_login(user)
    for url in all_get_urls(world["assessment"]):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Corner Bakery" not in response.content


def test_the_firms_consultants_open_every_page(client, world):
    verified_login(client, world["firm_admin"])
    for url in all_get_urls(world["assessment"]):
        assert client.get(url).status_code == 200, url


def test_a_consultant_who_is_not_admin_gets_a_clear_403_on_the_team_pages(client, world):
    verified_login(client, world["consultant"])
    response = client.get(reverse("consultants:team"))
    assert response.status_code == 403
    assert b"Only a firm admin can manage the team" in response.content
    response = client.post(reverse("consultants:team_invite"), {"invite-email": "x@example.com"})
    assert response.status_code == 403


def test_another_firms_consultant_gets_404_for_this_firms_clients(client, world):
    verified_login(client, world["consultant_b"])
    for url in object_urls(world["assessment"]):
        assert client.get(url).status_code == 404, url
    for url in list_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Corner Bakery" not in response.content, url


def test_another_firms_consultant_cannot_comment_review_or_delete(client, world):
    assessment = world["assessment"]
    comment = ReviewComment.objects.create(
        assessment=assessment, author=world["consultant"], text="Firm A's comment"
    )
    verified_login(client, world["consultant_b"])
    posts = [
        (reverse("consultants:comment_add", args=[assessment.organization_id]), {"text": "x"}),
        (reverse("consultants:mark_reviewed", args=[assessment.pk]), {}),
        (reverse("consultants:comment_delete", args=[comment.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assessment.refresh_from_db()
    assert assessment.reviewed_at is None
    assert list(assessment.review_comments.values_list("text", flat=True)) == ["Firm A's comment"]


def test_another_firms_consultant_cannot_withdraw_this_firms_invitations(client, world, firm_a):
    invitation = Invitation.objects.create(
        firm=firm_a,
        email="new@client.example",
        token_hash="0" * 64,
        expires_at="2999-01-01T00:00Z",
    )
    verified_login(client, world["consultant_b"])
    url = reverse("consultants:invitation_revoke", args=[invitation.pk])
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_other_firms_results_and_report_are_404_for_a_consultant(client, world):
    verified_login(client, world["consultant"])
    canary = world["canary"]
    assert client.get(reverse("reports:results", args=[canary.pk])).status_code == 404
    assert client.get(reverse("documents:report_pdf", args=[canary.pk])).status_code == 404
    assert client.get(reverse("reports:results", args=[world["assessment"].pk])).status_code == 200


def _text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return response.content.decode("utf-8-sig")


@pytest.mark.parametrize("who", ["firm_admin", "consultant"])
def test_the_canary_never_appears_in_anything_firm_a_opens_or_exports(client, world, who):
    verified_login(client, world[who])
    assessment = world["assessment"]
    urls = [
        *all_get_urls(assessment),
        reverse("consultants:dashboard") + "?q=CANARY",
        reverse("consultants:dashboard") + "?sector=manufacturing&sort=-score",
        reverse("consultants:dashboard") + "?status=submitted&maturity=0",
        reverse("consultants:portfolio_export", args=["csv"]) + "?q=CANARY",
        reverse("reports:results", args=[assessment.pk]),
    ]
    seen = 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, url
        seen += 1
        assert CANARY not in _text_of(response), url
    assert seen >= len(urls) - 1


def test_the_canarys_own_pages_answer_404_without_naming_it(client, world):
    verified_login(client, world["firm_admin"])
    canary = world["canary"]
    for url in object_urls(canary):
        response = client.get(url)
        assert response.status_code == 404, url
        assert CANARY.encode() not in response.content
    comment = canary.review_comments.get()
    response = client.post(reverse("consultants:comment_delete", args=[comment.pk]))
    assert response.status_code == 404
    assert ReviewComment.objects.filter(pk=comment.pk).exists()


def test_an_owner_sees_only_their_own_business_on_the_sharing_page(client, world):
    client.force_login(world["owner"])
    response = client.get(reverse("accounts:sharing"))
    assert response.status_code == 200
    assert b"Corner Bakery" in response.content
    assert b"Harbour Partners" in response.content
    assert CANARY.encode() not in response.content
    assert b"Rival Advisory" not in response.content
