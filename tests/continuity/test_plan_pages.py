"""The owner's plan: drafted on first opening, saved part by part, kept current, exported."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from action_plans.models import ActionItem
from assessments.services import assessment_start
from continuity import services
from continuity.models import ContinuityPlan, PlanExercise, PlanPart
from continuity.selectors import ContinuityPlanState, build_continuity_plan, continuity_plan_state
from tests.conftest import verified_login

from .conftest import part_post, part_url, pdf_text

pytestmark = pytest.mark.django_db

CONTACTS = [
    {"role": "staff", "name": "Ada Shaw", "phone": "+44 7700 900123", "calls": "Ben"},
    {
        "role": "insurer",
        "name": "Shield Mutual",
        "phone": "0800 496 0000",
        "reference": "POL-88213",
    },
]


def open_plan(client, owner) -> ContinuityPlan:
    client.force_login(owner)
    assert client.post(reverse("continuity:draft")).status_code == 302
    response = client.get(reverse("continuity:plan"))
    assert response.status_code == 200
    return ContinuityPlan.objects.get(organization__memberships__user=owner)


def test_opening_the_plan_before_drafting_it_offers_the_draft_and_writes_nothing(client, owner):
    client.force_login(owner)
    for name in ("continuity:plan", "documents:continuity_plan_pdf", "continuity:markdown"):
        response = client.get(reverse(name), follow=True)
        assert response.redirect_chain in ([], [(reverse("continuity:plan"), 302)])
        assert 'action="/continuity/draft/"' in response.content.decode()
    assert not ContinuityPlan.objects.exists()


def test_drafting_the_plan_drafts_it_from_the_latest_assessment(client, owner):
    client.force_login(owner)
    response = client.post(reverse("continuity:draft"), follow=True)
    page = response.content.decode()
    plan = ContinuityPlan.objects.get()
    assert plan.drafted_from.is_submitted
    assert plan.parts.count() == 7 and not plan.parts.filter(is_draft=False).exists()
    # No alternate supplier: the supplier table asks for one and says why.
    assert "Name an alternate supplier for each key item" in page
    assert "you answered “No alternative for any key item”" in page
    # Never restored from the backup: the data part carries the task.
    assert "Test the restore" in page
    # Checklists for the shop's sector, and the answer quoted where it is the best guess.
    assert "Power cut or card payments stop" in page
    assert "Your assessment says: Regular backups, all kept in the same building." in page


def test_opening_the_plan_again_keeps_what_was_written(client, owner):
    plan = open_plan(client, owner)
    part = plan.parts.get(key="premises")
    client.post(part_url("premises"), part_post(part, evacuation_point="The church car park"))
    client.get(reverse("continuity:plan"))
    assert ContinuityPlan.objects.count() == 1
    part.refresh_from_db()
    assert part.content["evacuation_point"] == "The church car park"


def test_saving_a_part_makes_it_the_owners(client, owner):
    plan = open_plan(client, owner)
    part = plan.parts.get(key="contacts")
    response = client.post(part_url("contacts"), part_post(part, rows=CONTACTS))
    assert response.status_code == 302
    part.refresh_from_db()
    assert [row["name"] for row in part.content["rows"]] == ["Ada Shaw", "Shield Mutual"]
    assert part.content["rows"][1]["phone"] == "0800 496 0000"
    assert not part.is_draft and part.revision == 1
    page = client.get(reverse("continuity:plan")).content.decode()
    assert "Shield Mutual" in page and "POL-88213" in page


def test_a_bad_phone_number_is_explained_and_nothing_is_saved(client, owner):
    plan = open_plan(client, owner)
    part = plan.parts.get(key="contacts")
    rows = [*CONTACTS, {"role": "bank", "name": "High Street Bank", "phone": "ring the branch"}]
    response = client.post(part_url("contacts"), part_post(part, rows=rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a phone number as you would dial it" in page
    assert "Shield Mutual" in page  # what was typed is still in the form
    part.refresh_from_db()
    assert part.is_draft and part.revision == 0


def test_the_data_part_refuses_a_password_and_says_where_it_belongs(client, owner):
    plan = open_plan(client, owner)
    part = plan.parts.get(key="data")
    typed = "Wi-Fi password for the router: harbourguest"
    response = client.post(
        part_url("data"), part_post(part, passwords=typed, backups="Nightly to the NAS")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“Who holds the passwords” looks like it holds a password or key" in page
    assert "write where they are kept, e.g. “in the password manager”" in page
    assert typed in page and "Nightly to the NAS" in page  # nothing typed is lost
    part.refresh_from_db()
    assert "harbourguest" not in str(part.content)


def test_a_save_from_an_older_tab_is_refused_and_shows_the_newer_text(client, owner):
    plan = open_plan(client, owner)
    part = plan.parts.get(key="premises")
    old_tab = part_post(part, evacuation_point="Old tab: the bus stop")
    client.post(part_url("premises"), part_post(part, evacuation_point="The church car park"))
    response = client.post(part_url("premises"), old_tab)
    assert response.status_code == 409
    page = response.content.decode()
    assert "The church car park" in page  # the newer version, shown
    assert "Old tab: the bus stop" in page  # the older tab's text, not lost
    part.refresh_from_db()
    assert part.content["evacuation_point"] == "The church car park"
    # Saving again from that page replaces the newer version deliberately.
    client.post(part_url("premises"), part_post(part, evacuation_point="Old tab: the bus stop"))
    part.refresh_from_db()
    assert part.content["evacuation_point"] == "Old tab: the bus stop"


def test_the_plan_state_goes_from_not_started_to_draft_to_current_to_needs_review(client, owner):
    organization = owner.memberships.get().organization
    client.force_login(owner)
    assert "Not started" in client.get(reverse("questionnaire:owner_home")).content.decode()
    open_plan(client, owner)
    assert continuity_plan_state(organization) == ContinuityPlanState.DRAFT
    assert "Draft" in client.get(reverse("questionnaire:owner_home")).content.decode()
    for part in PlanPart.objects.filter(plan__organization=organization):
        services.continuity_part_save(part=part, content=part.content, revision=0, user=owner)
    # Saved, so the business's own, but nobody has reviewed them yet.
    assert continuity_plan_state(organization) == ContinuityPlanState.NEEDS_REVIEW
    for part in PlanPart.objects.filter(plan__organization=organization):
        services.continuity_part_review(part=part, revision=1, user=owner)
    assert continuity_plan_state(organization) == ContinuityPlanState.CURRENT
    PlanPart.objects.filter(key="data").update(reviewed_at=timezone.now() - timedelta(days=400))
    assert continuity_plan_state(organization) == ContinuityPlanState.NEEDS_REVIEW
    home = client.get(reverse("questionnaire:owner_home")).content.decode()
    assert "Needs review" in home and "more than 12 months ago" in home
    assert "Needs review" in client.get(reverse("continuity:plan")).content.decode()


def test_a_walk_through_is_recorded_and_printed(client, owner, pdf_storage):
    open_plan(client, owner)
    response = client.post(
        reverse("continuity:exercise_add"),
        {
            "held_on": "2026-11-20",
            "participants": "Ada, Ben",
            "lessons": "Ben had an old number for the landlord.",
        },
    )
    assert response.status_code == 302
    assert PlanExercise.objects.get().recorded_by == owner
    assert (
        "Ben had an old number for the landlord."
        in client.get(reverse("continuity:plan")).content.decode()
    )
    _, text = pdf_text(client.get(reverse("documents:continuity_plan_pdf")))
    assert "Ben had an old number for the landlord." in text


def test_a_walk_through_without_a_date_is_refused(client, owner):
    open_plan(client, owner)
    response = client.post(
        reverse("continuity:exercise_add"), {"participants": "Ada", "lessons": "x"}
    )
    assert response.status_code == 400
    assert not PlanExercise.objects.exists()


def test_the_pdf_prints_contacts_first_then_the_first_hour_then_the_rest(
    client, owner, pdf_storage
):
    plan = open_plan(client, owner)
    client.post(part_url("contacts"), part_post(plan.parts.get(key="contacts"), rows=CONTACTS))
    client.post(reverse("continuity:review", args=["contacts"]), {"revision": "1"})
    response = client.get(reverse("documents:continuity_plan_pdf"))
    assert response["Content-Type"] == "application/pdf"
    pages, text = pdf_text(response)
    assert 1 <= pages <= 4
    contacts, first_hour = text.index("Shield Mutual"), text.index("The first hour")
    assert contacts < first_hour < text.index("Critical activities")
    assert "Switch to the card reader's mobile data" in text
    today = timezone.localdate()
    assert f"Last reviewed {today:%-d %B %Y} by Ada Shaw" in text


def test_the_pdf_is_rendered_again_after_a_change(client, owner, pdf_storage):
    plan = open_plan(client, owner)
    client.get(reverse("documents:continuity_plan_pdf"))
    part = plan.parts.get(key="premises")
    client.post(part_url("premises"), part_post(part, evacuation_point="The church car park"))
    _, text = pdf_text(client.get(reverse("documents:continuity_plan_pdf")))
    assert "The church car park" in text


def test_renaming_the_business_prints_the_new_name_on_the_plan(client, owner, pdf_storage):
    plan = open_plan(client, owner)
    client.get(reverse("documents:continuity_plan_pdf"))
    organization = plan.organization
    client.post(
        reverse("accounts:organization_edit"),
        {
            "name": "Corner Shop and Deli",
            "sector": organization.sector,
            "size_band": organization.size_band,
            "region": organization.region,
        },
    )
    _, text = pdf_text(client.get(reverse("documents:continuity_plan_pdf")))
    assert "Corner Shop and Deli" in text


def test_the_markdown_export_holds_the_plan_as_text(client, owner):
    plan = open_plan(client, owner)
    client.post(part_url("contacts"), part_post(plan.parts.get(key="contacts"), rows=CONTACTS))
    response = client.get(reverse("continuity:markdown"))
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# Continuity plan: Corner Shop")
    assert "- Staff (call tree) · Ada Shaw · +44 7700 900123 · Ben" in text
    assert "- [ ] Test the restore" in text


HOSTILE = (
    "<script>alert(1)</script> [click](javascript:alert(1)) *loud*\n# Forged heading\n- forged item"
)


def _hostile(value):
    """Every string of a part's content replaced by text that looks like markup."""
    if isinstance(value, dict):
        return {key: _hostile(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_hostile(item) for item in value]
    return HOSTILE if isinstance(value, str) else value


def test_the_markdown_export_keeps_typed_markup_as_text_in_every_part(client, owner):
    plan = open_plan(client, owner)
    for part in plan.parts.all():
        PlanPart.objects.filter(pk=part.pk).update(content=_hostile(part.content))
    text = client.get(reverse("continuity:markdown")).content.decode()

    assert text.count("\\<script\\>alert(1)\\</script\\>") >= len(PlanPart.Key.values)
    assert re.search(r"(?<!\\)<script", text) is None
    assert re.search(r"(?<!\\)\[click(?<!\\)\]\(javascript:", text) is None
    assert "\\*loud\\*" in text
    # Only the export's own headings start a line with "#"; a typed one is escaped.
    assert not [line for line in text.splitlines() if line.startswith("#") and "Forged" in line]
    assert not [line for line in text.splitlines() if line.startswith("- forged item")]
    assert "\\# Forged heading" in text


def test_without_a_submitted_assessment_the_plan_is_drafted_from_the_sector(client, other_owner):
    plan = open_plan(client, other_owner)
    assert plan.drafted_from is None
    page = client.get(reverse("continuity:plan")).content.decode()
    assert "Selling to customers at the till" in page  # the factory's sector: retail
    assert "To do" not in page


# --- Gaps and the action plan ---------------------------------------------------------


def test_a_gap_is_sent_to_the_action_plan_with_one_click_and_only_once(client, owner):
    plan = open_plan(client, owner)
    gap = build_continuity_plan(plan).gaps[0]
    # Submitting tracks every ranked gap already; this one was removed from the plan.
    ActionItem.objects.filter(
        organization=plan.organization, question_code=gap.question_id
    ).delete()
    page = client.get(reverse("continuity:plan")).content.decode()
    assert f'name="question_id" value="{gap.question_id}"' in page

    for _ in range(2):
        response = client.post(reverse("continuity:gap_send"), {"question_id": gap.question_id})
        assert response.status_code == 302

    item = ActionItem.objects.get(organization=plan.organization, question_code=gap.question_id)
    assert item.title == gap.task
    page = client.get(reverse("continuity:plan")).content.decode()
    assert f'name="question_id" value="{gap.question_id}"' not in page
    assert "In your action plan" in page


def test_a_gap_the_plan_does_not_reveal_cannot_be_sent(client, owner):
    plan = open_plan(client, owner)
    before = ActionItem.objects.count()
    response = client.post(reverse("continuity:gap_send"), {"question_id": "XX-F-99"})
    assert response.status_code == 404
    assert ActionItem.objects.count() == before
    assert not ActionItem.objects.filter(organization=plan.organization, title="").exists()


def test_the_consultant_sees_the_gaps_but_cannot_send_them(client, owner, consultant):
    plan = open_plan(client, owner)
    ActionItem.objects.filter(organization=plan.organization).delete()
    verified_login(client, consultant)
    url = reverse("continuity:consultant_plan", args=[plan.organization.pk])
    page = client.get(url).content.decode()
    assert "To do" in page
    assert "continuity/gaps/send" not in page


def test_a_recorded_walk_through_is_shown_as_evidence_on_the_walk_through_question(
    client, owner, organization
):
    plan = open_plan(client, owner)
    services.continuity_exercise_record(
        plan=plan,
        user=owner,
        held_on=timezone.localdate() - timedelta(days=30),
        participants="Ada, Ben",
        lessons="Ben had an old number for the landlord.",
    )
    again = assessment_start(organization=organization, user=owner)

    page = client.get(reverse("questionnaire:section", args=[again.pk, "operational"]))

    html = page.content.decode()
    card = html[html.index('id="q-OP-I-02"') :]
    card = card[: card.index('data-question-card="', 40)]
    assert "From your continuity plan" in card and "Ada, Ben" in card
    assert html.count("From your continuity plan") == 1


def test_a_recorded_walk_through_is_shown_on_2026_3s_walk_through_question(
    client, owner, organization, bank_2026_3_imported
):
    plan = open_plan(client, owner)
    services.continuity_exercise_record(
        plan=plan,
        user=owner,
        held_on=timezone.localdate() - timedelta(days=30),
        participants="Ada, Ben",
        lessons="Ben had an old number for the landlord.",
    )
    again = assessment_start(organization=organization, user=owner)
    assert again.framework.version == "2026.3"

    html = client.get(reverse("questionnaire:section", args=[again.pk, "operational"])).content
    html = html.decode()
    card = html[html.index('id="q-OP-I-14"') :]
    card = card[: card.index('data-question-card="', 40)]
    assert "From your continuity plan" in card and "Ada, Ben" in card
