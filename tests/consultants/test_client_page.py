"""One client's page: history and trend, report links, review comments, mark reviewed."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from action_plans.models import ActionItem
from action_plans.services import action_item_comment
from assessments.models import Assessment
from assessments.services import assessment_start
from consultants import services
from core.errors import ServiceError
from reports.models import ReviewComment
from tests.conftest import verified_login
from tests.consultants.conftest import submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(client_org, client_owner):
    """Two submissions months apart, and a re-assessment in progress."""
    first = submitted_assessment(client_org, client_owner, "0", days_ago=200)
    second = submitted_assessment(client_org, client_owner, "4", days_ago=20)
    current = assessment_start(organization=client_org, user=client_owner)
    return first, second, current


def page(client, org):
    return client.get(reverse("consultants:client", args=[org.pk]))


def test_the_client_page_lists_every_assessment_with_report_links(
    client, consultant, client_org, history
):
    first, second, current = history
    verified_login(client, consultant)
    response = page(client, client_org)
    assert response.status_code == 200
    html = response.content.decode()
    assert [a.pk for a in response.context["assessments"]] == [current.pk, second.pk, first.pk]
    for submitted in (first, second):
        assert reverse("reports:results", args=[submitted.pk]) in html
        assert reverse("documents:report_pdf", args=[submitted.pk]) in html
        assert reverse("consultants:assessment_export", args=[submitted.pk, "xlsx"]) in html
    assert reverse("reports:results", args=[current.pk]) not in html
    assert "In progress" in html
    assert "owner@cornerbakery.example" in html


def test_the_trend_chart_plots_each_submission_in_date_order(
    client, consultant, client_org, history
):
    verified_login(client, consultant)
    response = page(client, client_org)
    trend = response.context["trend"]
    assert [round(p.value) for p in trend.points] == [0, 100]
    assert trend.points[0].x < trend.points[1].x
    assert trend.points[0].y > trend.points[1].y  # higher score, higher on the chart
    html = response.content.decode()
    assert '<path class="trend-line"' in html
    assert '<title id="trend-chart-title">' in html


def test_a_consultant_adds_an_overall_and_a_pillar_comment(client, consultant, client_org, history):
    _, second, _ = history
    verified_login(client, consultant)
    url = reverse("consultants:comment_add", args=[client_org.pk])
    response = client.post(url, {"assessment": second.pk, "pillar_key": "", "text": "Well done."})
    assert response.status_code == 302
    response = client.post(
        url, {"assessment": second.pk, "pillar_key": "financial", "text": "Build a reserve."}
    )
    assert response.status_code == 302
    comments = list(second.review_comments.order_by("pk"))
    assert [(c.pillar_key, c.text, c.author) for c in comments] == [
        ("", "Well done.", consultant),
        ("financial", "Build a reserve.", consultant),
    ]
    html = page(client, client_org).content.decode()
    assert "Well done." in html and "Build a reserve." in html
    assert "Financial resilience" in html


def test_the_comment_appears_in_the_clients_report(
    client, consultant, client_org, client_owner, history
):
    _, second, _ = history
    services.review_comment_add(
        assessment=second, author=consultant, text="Test your backups quarterly."
    )
    client.force_login(client_owner)
    response = client.get(reverse("reports:results", args=[second.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Consultant comments" in html
    assert "Test your backups quarterly." in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"pillar_key": "", "text": "   "}, b"This field is required."),
        ({"pillar_key": "nonsense", "text": "Hi"}, b"Select a valid choice."),
        ({"pillar_key": "", "text": "x" * 5001}, b"at most 5000 characters"),
    ],
)
def test_bad_comments_are_refused_with_a_message(
    client, consultant, client_org, history, data, message
):
    _, second, _ = history
    verified_login(client, consultant)
    response = client.post(
        reverse("consultants:comment_add", args=[client_org.pk]), {"assessment": second.pk, **data}
    )
    assert response.status_code == 400
    assert message in response.content
    assert not ReviewComment.objects.exists()


def test_comments_only_go_on_submitted_assessments(consultant, history):
    _, _, current = history
    with pytest.raises(ServiceError) as exc:
        services.review_comment_add(assessment=current, author=consultant, text="Too early")
    assert exc.value.message == services.ERR_NOT_SUBMITTED
    with pytest.raises(ServiceError) as exc:
        services.review_comment_add(
            assessment=history[1], author=consultant, text="x", pillar_key="nope"
        )
    assert exc.value.message == services.ERR_UNKNOWN_PILLAR


def test_a_comment_on_another_clients_assessment_is_refused(
    client, consultant, client_org, history, canary_assessment
):
    verified_login(client, consultant)
    response = client.post(
        reverse("consultants:comment_add", args=[client_org.pk]),
        {"assessment": canary_assessment.pk, "text": "Sneaky"},
    )
    assert response.status_code == 400
    assert not canary_assessment.review_comments.filter(text="Sneaky").exists()


def test_the_author_deletes_their_comment_but_a_colleague_cannot(
    client, consultant, firm_a, client_org, history
):
    from tests.factories import FirmMembershipFactory

    comment = services.review_comment_add(assessment=history[1], author=consultant, text="Mine")
    colleague = FirmMembershipFactory(firm=firm_a).user
    verified_login(client, colleague)
    client.post(reverse("consultants:comment_delete", args=[comment.pk]))
    assert ReviewComment.objects.filter(pk=comment.pk).exists()
    verified_login(client, consultant)
    client.post(reverse("consultants:comment_delete", args=[comment.pk]))
    assert not ReviewComment.objects.filter(pk=comment.pk).exists()


def test_mark_reviewed_sets_the_date_and_reviewer(client, consultant, client_org, history):
    _, second, _ = history
    before = Assessment.objects.get(pk=second.pk).updated_at
    verified_login(client, consultant)
    response = client.post(reverse("consultants:mark_reviewed", args=[second.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.reviewed_at is not None
    assert second.reviewed_by == consultant
    assert second.updated_at == before  # the client's last activity does not move
    html = page(client, client_org).content.decode()
    assert "Reviewed" in html


def test_an_assessment_in_progress_cannot_be_marked_reviewed(
    client, consultant, client_org, history
):
    _, _, current = history
    verified_login(client, consultant)
    response = client.post(reverse("consultants:mark_reviewed", args=[current.pk]), follow=True)
    assert services.ERR_NOT_SUBMITTED in response.content.decode()
    current.refresh_from_db()
    assert current.reviewed_at is None


def test_the_dashboard_shows_reviewed_once_the_latest_submission_is_reviewed(
    client, consultant, client_org, client_owner
):
    assessment = submitted_assessment(client_org, client_owner, "2")
    verified_login(client, consultant)
    client.post(reverse("consultants:mark_reviewed", args=[assessment.pk]))
    rows = client.get(reverse("consultants:dashboard")).context["rows"]
    assert rows[0].status == "reviewed"


def test_a_client_without_assessments_has_a_plain_page(client, consultant, client_org):
    verified_login(client, consultant)
    response = page(client, client_org)
    assert response.status_code == 200
    assert b"has not started an assessment yet" in response.content
    assert b"You can comment once" in response.content


def test_actions_on_the_client_page_need_post(client, consultant, history):
    verified_login(client, consultant)
    assert client.get(reverse("consultants:mark_reviewed", args=[history[1].pk])).status_code == 405


# --- A client that moves to another firm --------------------------------------------------


@pytest.fixture
def moved_client(client_org, consultant, consultant_b, history):
    """Harbour Partners commented; then the client moved to Rival Advisory, which commented too."""
    _, second, _ = history
    old = services.review_comment_add(assessment=second, author=consultant, text="Harbour's view")
    client_org.firm = consultant_b.firm_memberships.get().firm
    client_org.save()
    new = services.review_comment_add(assessment=second, author=consultant_b, text="Rival's view")
    return old, new


def test_a_comment_records_the_firm_that_wrote_it(moved_client, firm_a, firm_b):
    old, new = moved_client
    assert (old.firm, new.firm) == (firm_a, firm_b)


def test_the_new_firm_sees_and_deletes_only_its_own_comments(
    client, client_org, consultant_b, moved_client
):
    old, new = moved_client
    verified_login(client, consultant_b)
    html = page(client, client_org).content.decode()
    assert "Rival&#x27;s view" in html
    assert "Harbour&#x27;s view" not in html
    response = client.post(reverse("consultants:comment_delete", args=[old.pk]))
    assert response.status_code == 404
    assert ReviewComment.objects.filter(pk=old.pk).exists()


def test_the_new_firm_reads_only_its_own_comments_on_the_clients_action_items(
    client, client_org, client_owner, consultant, consultant_b, firm_a, firm_b, history
):
    item = ActionItem.objects.filter(organization=client_org).first()
    action_item_comment(item=item, user=consultant, firm=firm_a, text="Harbour's action note")
    client_org.firm = firm_b
    client_org.save()
    action_item_comment(item=item, user=consultant_b, firm=firm_b, text="Rival's action note")

    verified_login(client, consultant_b)
    html = page(client, client_org).content.decode()
    assert "Rival&#x27;s action note" in html
    assert "Harbour&#x27;s action note" not in html
    # The owner's own page of the item keeps every firm's note.
    client.force_login(client_owner)
    owners = client.get(reverse("action_plan:action_update", args=[item.pk])).content.decode()
    assert "Harbour&#x27;s action note" in owners and "Rival&#x27;s action note" in owners


def test_the_owners_report_shows_every_comment_with_its_firms_name(
    client, client_owner, history, moved_client
):
    client.force_login(client_owner)
    html = client.get(reverse("reports:results", args=[history[1].pk])).content.decode()
    assert "Harbour&#x27;s view" in html and "Rival&#x27;s view" in html
    assert "Harbour Partners" in html and "Rival Advisory" in html


def test_the_new_firm_reads_only_its_own_comments_on_the_clients_results_page(
    client, consultant_b, history, moved_client
):
    verified_login(client, consultant_b)
    html = client.get(reverse("reports:results", args=[history[1].pk])).content.decode()
    assert "Rival&#x27;s view" in html
    assert "Harbour&#x27;s view" not in html


def test_the_new_firms_pdf_holds_only_its_own_comments_and_the_owners_holds_both(
    client, client_owner, consultant_b, history, moved_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("documents:report_pdf", args=[history[1].pk])

    verified_login(client, consultant_b)
    response = client.get(url)
    consultants_text = pdf_text(response_bytes(response))
    client.force_login(client_owner)
    owners_text = pdf_text(response_bytes(client.get(url)))

    assert response["Content-Type"] == "application/pdf"
    assert "Rival's view" in consultants_text and "Harbour's view" not in consultants_text
    assert "Rival's view" in owners_text and "Harbour's view" in owners_text


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_migration_gives_existing_comments_their_authors_firm_else_the_clients(
    consultant, consultant_b, firm_a, firm_b, client_org, history
):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("consultants.migrations.0003_review_comment_firm")
    # The models as that migration saw them (the comment has moved to reports since).
    apps = (
        MigrationLoader(connection).project_state(("consultants", "0003_review_comment_firm")).apps
    )
    _, second, _ = history
    by_author = services.review_comment_add(assessment=second, author=consultant, text="a")
    orphan = services.review_comment_add(assessment=second, author=consultant_b, text="b")
    ReviewComment.objects.filter(pk=orphan.pk).update(author=None)
    ReviewComment.objects.update(firm=None)
    client_org.firm = firm_b  # the client has moved since
    client_org.save()

    migration.firm_of_existing_comments(apps, None)

    assert ReviewComment.objects.get(pk=by_author.pk).firm == firm_a
    assert ReviewComment.objects.get(pk=orphan.pk).firm == firm_b


def test_showing_the_history_leaves_the_stored_pillar_scores_alone(
    client, consultant, client_org, history
):
    """The page's pillar columns are its own rows: never written onto the assessments."""
    first, second, _ = history
    stored = {a.pk: a.pillar_scores for a in (first, second)}
    verified_login(client, consultant)
    response = page(client, client_org)
    for assessment in response.context["assessments"]:
        if assessment.pk in stored:
            assert assessment.pillar_scores == stored[assessment.pk]
            assert isinstance(assessment.pillar_scores, dict)
    rows = {row.assessment.pk: row for row in response.context["assessment_rows"]}
    assert [score for _, score in rows[second.pk].pillar_scores] == [
        second.pillar_scores[key] for key in ("operational", "financial", "adaptive", "technology")
    ]
