"""Who may open the plan: the business's own people edit it, its consultant reads and comments."""

import pytest
from django.urls import reverse

from continuity import services
from continuity.models import PlanComment
from tests.conftest import verified_login
from tests.factories import FirmFactory, FirmMembershipFactory

from .conftest import part_post, part_url

pytestmark = pytest.mark.django_db

OWNER_PAGES = [
    ("continuity:plan", []),
    ("continuity:part", ["contacts"]),
    ("documents:continuity_plan_pdf", []),
    ("continuity:markdown", []),
]


@pytest.fixture
def plan(organization):
    return services.continuity_plan_open(organization=organization)


def consultant_urls(organization):
    return [
        reverse("continuity:consultant_plan", args=[organization.pk]),
        reverse("documents:consultant_continuity_plan_pdf", args=[organization.pk]),
    ]


@pytest.mark.parametrize(("name", "args"), OWNER_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_anonymous_visitors_cannot_reach_a_clients_plan(client, plan, organization):
    for url in consultant_urls(organization):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_owner_gets_their_own_plan_and_never_this_one(
    client, plan, other_owner, pdf_storage
):
    plan.parts.filter(key="premises").update(content={"evacuation_point": "Behind the Corner Shop"})
    client.force_login(other_owner)
    client.post(reverse("continuity:draft"))
    for name, args in OWNER_PAGES:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Corner Shop" not in body
    assert other_owner.memberships.get().organization.continuity_plan != plan


def test_an_unknown_part_answers_404(client, owner):
    client.force_login(owner)
    assert client.get(part_url("passwords")).status_code == 404


@pytest.mark.parametrize(("name", "args"), OWNER_PAGES)
def test_consultants_have_no_owner_plan_pages(client, consultant, name, args):
    verified_login(client, consultant)
    assert client.get(reverse(name, args=args)).status_code == 404


def test_the_clients_consultant_reads_the_plan_with_review_dates_and_gaps(
    client, consultant, plan, organization, owner, pdf_storage
):
    part = plan.parts.get(key="premises")
    services.continuity_part_save(
        part=part, content={"evacuation_point": "The church car park"}, revision=0, user=owner
    )
    services.continuity_part_review(part=part, revision=1, user=owner)
    verified_login(client, consultant)
    page = client.get(
        reverse("continuity:consultant_plan", args=[organization.pk])
    ).content.decode()
    assert "The church car park" in page
    assert "Reviewed" in page and "Draft" in page
    assert "Test the restore" in page
    assert "Check and edit" not in page  # read-only: no edit links
    response = client.get(
        reverse("documents:consultant_continuity_plan_pdf", args=[organization.pk])
    )
    assert response["Content-Type"] == "application/pdf"


def test_the_consultant_comments_on_a_part_and_the_owner_sees_it(
    client, consultant, plan, organization, owner
):
    verified_login(client, consultant)
    response = client.post(
        reverse("continuity:consultant_comment_add", args=[organization.pk]),
        {"part_key": "suppliers", "text": "Ask the wholesaler about a second depot."},
    )
    assert response.status_code == 302
    comment = PlanComment.objects.get()
    assert (
        comment.firm == consultant.firm_memberships.get().firm and comment.part_key == "suppliers"
    )
    client.force_login(owner)
    assert (
        "Ask the wholesaler about a second depot."
        in client.get(reverse("continuity:plan")).content.decode()
    )


def test_an_empty_comment_is_refused(client, consultant, plan, organization):
    verified_login(client, consultant)
    response = client.post(
        reverse("continuity:consultant_comment_add", args=[organization.pk]),
        {"part_key": "suppliers", "text": "   "},
    )
    assert response.status_code == 400
    assert not PlanComment.objects.exists()


def test_a_consultant_sees_only_their_own_firms_comments(client, consultant, plan, organization):
    former = FirmMembershipFactory(firm=FirmFactory(name="Former", slug="former")).user
    services.continuity_comment_add(
        plan=plan, author=former, part_key="data", text="Former firm's note"
    )
    verified_login(client, consultant)
    page = client.get(
        reverse("continuity:consultant_plan", args=[organization.pk])
    ).content.decode()
    assert "Former firm" not in page


def test_a_consultant_of_another_firm_gets_404_and_changes_nothing(
    client, rival_consultant, plan, organization
):
    verified_login(client, rival_consultant)
    for url in consultant_urls(organization):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("continuity:consultant_comment_add", args=[organization.pk]),
        {"part_key": "data", "text": "planted"},
    )
    assert response.status_code == 404
    assert not PlanComment.objects.exists()


def test_the_owner_cannot_open_the_consultant_pages_of_their_own_plan(client, owner, organization):
    client.force_login(owner)
    assert (
        client.get(reverse("continuity:consultant_plan", args=[organization.pk])).status_code == 404
    )


def test_a_part_cannot_be_written_by_a_consultant(client, consultant, plan):
    verified_login(client, consultant)
    part = plan.parts.get(key="premises")
    response = client.post(part_url("premises"), part_post(part, evacuation_point="x"))
    assert response.status_code == 404
    part.refresh_from_db()
    assert part.revision == 0


# --- Deleting a comment: the consultant's own, in their own firm, only ---------------


def delete_url(comment):
    return reverse(
        "continuity:consultant_comment_delete", args=[comment.plan.organization_id, comment.pk]
    )


def test_a_consultant_deletes_their_own_comment_and_the_owner_no_longer_sees_it(
    client, consultant, plan, owner
):
    comment = services.continuity_comment_add(
        plan=plan, author=consultant, part_key="data", text="Ask about the NAS."
    )
    verified_login(client, consultant)
    page = client.get(reverse("continuity:consultant_plan", args=[plan.organization_id]))
    assert f'action="{delete_url(comment)}"' in page.content.decode()
    response = client.post(delete_url(comment), follow=True)
    assert response.status_code == 200
    assert "Comment deleted." in response.content.decode()
    assert not PlanComment.objects.exists()
    client.force_login(owner)
    assert "Ask about the NAS." not in client.get(reverse("continuity:plan")).content.decode()


def test_a_colleagues_comment_cannot_be_deleted_and_offers_no_button(
    client, consultant, firm, plan
):
    colleague = FirmMembershipFactory(firm=firm, user__email="sam@harbour.example").user
    comment = services.continuity_comment_add(
        plan=plan, author=colleague, part_key="data", text="A note from Sam"
    )
    verified_login(client, consultant)
    page = client.get(reverse("continuity:consultant_plan", args=[plan.organization_id]))
    assert "A note from Sam" in page.content.decode()
    assert delete_url(comment) not in page.content.decode()
    assert client.post(delete_url(comment)).status_code == 404
    assert PlanComment.objects.filter(pk=comment.pk).exists()


def test_a_comment_written_for_another_firm_cannot_be_deleted(client, consultant, plan):
    """A consultant who has moved firm: their old firm's comment stays with that firm."""
    comment = services.continuity_comment_add(
        plan=plan, author=consultant, part_key="data", text="Old firm's note"
    )
    PlanComment.objects.filter(pk=comment.pk).update(firm=FirmFactory(name="Old", slug="old"))
    verified_login(client, consultant)
    assert client.post(delete_url(comment)).status_code == 404
    assert PlanComment.objects.filter(pk=comment.pk).exists()


def test_a_consultant_of_another_firm_cannot_delete_a_comment(
    client, consultant, rival_consultant, plan
):
    comment = services.continuity_comment_add(
        plan=plan, author=consultant, part_key="data", text="Harbour's note"
    )
    verified_login(client, rival_consultant)
    assert client.post(delete_url(comment)).status_code == 404
    assert PlanComment.objects.filter(pk=comment.pk).exists()


def test_the_owner_and_anonymous_visitors_cannot_delete_a_comment(client, consultant, owner, plan):
    comment = services.continuity_comment_add(
        plan=plan, author=consultant, part_key="data", text="Harbour's note"
    )
    response = client.post(delete_url(comment))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(owner)
    assert client.post(delete_url(comment)).status_code == 404
    assert PlanComment.objects.filter(pk=comment.pk).exists()


def test_deleting_a_comment_needs_a_post(client, consultant, plan):
    comment = services.continuity_comment_add(
        plan=plan, author=consultant, part_key="data", text="Harbour's note"
    )
    verified_login(client, consultant)
    assert client.get(delete_url(comment)).status_code == 405
    assert PlanComment.objects.filter(pk=comment.pk).exists()
