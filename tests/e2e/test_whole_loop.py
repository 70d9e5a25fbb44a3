"""The whole loop as a new owner lives it, on a laptop and on a phone (issue 24).

Sign up, answer the current question bank (mostly low), set targets, work
the action plan, re-assess from last time, compare, write the continuity
plan, and print the report and the plan; a consultant then deletes their own
comment on the plan. At each page the checks the issue lists: nothing cut
off, the score first, a plan that leads with at most ten next steps and no
two cards alike, every edit in an item's history, actions closed by the new
answers, progress that waits for confirmation, a continuity plan that saves
as it goes, names its errors, refuses secrets, clears its to-dos, reviews
only when asked, and prints names instead of placeholders.
"""

import io
import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import FirmMembership, Organization, User
from action_plans.models import ActionItem
from assessments.models import Assessment, Option
from assessments.services import framework_import
from continuity.models import PlanComment
from continuity.services import continuity_comment_add
from tests.conftest import CURRENT_FRAMEWORK, two_factor_device, verified_login
from tests.e2e.conftest import cut_off
from tests.e2e.test_owner_journey import sign_up
from tests.factories import FirmFactory, FirmMembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "megan@corner-bakery.example"
BUSINESS = "Corner Bakery"  # as test_owner_journey.sign_up names it
NEXT_STEPS_MAX = 10
PLACEHOLDERS = ("{what}", "{date}", "{phone}", "{owner}")


@pytest.fixture
def current_bank(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return framework_import(path=CURRENT_FRAMEWORK).framework


def fits(page, where: str) -> None:
    """Nothing on the page is cut off or scrolls sideways."""
    assert cut_off(page) == [], f"cut off on {where}"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def sign_up_with_a_name(page, base):
    sign_up(page, base, email=EMAIL)
    expect(page.get_by_role("heading", name=BUSINESS)).to_be_visible()
    fits(page, "the owner home")
    # The printed continuity plan names people by name: the owner gives theirs.
    page.goto(f"{base}/accounts/business/")
    page.fill("#id_first_name", "Megan")
    page.fill("#id_last_name", "Price")
    page.click("text=Save your name")
    expect(page.locator(".messages")).to_be_visible()


def answer_every_section_low(page, axe_check):
    """Each question at its second rung (the first in each section at its lowest)."""
    page.click("text=Start assessment")
    for section in range(4):
        expect(page.locator("[data-question-card]").first).to_be_visible()
        codes = page.locator("[data-question-card]").evaluate_all(
            "cards => cards.map(c => c.dataset.questionCard)"
        )
        for n, code in enumerate(codes):
            page.locator(f'input[name="q-{code}"][value="{0 if n == 0 else 1}"]').check()
        last = page.locator(f'[data-question-card="{codes[-1]}"] [data-save-state]')
        expect(last).to_have_text("Saved")
        if section == 0:
            fits(page, "a questionnaire section")
            axe_check(page, "a questionnaire section")
        page.click("button[name=save_next]")


def submit_from_the_review(page, carried_over=False):
    expect(page.get_by_role("heading", name="Review and submit")).to_be_visible()
    fits(page, "the review")
    page.check("#confirm-submit")
    page.click("text=Submit and see my results")
    if carried_over:
        page.click("text=Submit: these answers still hold")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()


def test_a_new_owner_walks_the_whole_loop(live_server, browser, current_bank, axe_check, width):
    base = live_server.url
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()

    sign_up_with_a_name(page, base)
    answer_every_section_low(page, axe_check)
    submit_from_the_review(page)
    first = Assessment.objects.get(status=Assessment.Status.SUBMITTED)

    # The results: the score before anything else, the targets after it.
    score = page.locator(".report-score").bounding_box()
    targets = page.locator("#id_target_operational").bounding_box()
    assert score["y"] < targets["y"]
    fits(page, "the results page")
    page.select_option("#id_target_operational", "2")
    page.click("text=Save targets")
    expect(page.get_by_text("Targets saved.")).to_be_visible()

    # The plan leads with at most ten next steps; the rest waits folded; no two cards alike.
    page.goto(f"{base}/plan/")
    next_steps = page.locator("#next-steps .plan-item")
    shown = next_steps.count()
    assert 1 <= shown <= NEXT_STEPS_MAX
    total = ActionItem.objects.filter(organization__name=BUSINESS).count()
    assert total > shown
    expect(page.locator("details.plan-fold:not([open])").first).to_be_attached()
    # A closed fold's actions are drawn when it is opened (js/plan_folds.js fetches them).
    closed = page.locator("details.plan-fold:not([open]) > summary")
    while closed.count():
        closed.first.click()
    expect(page.locator("[data-fold-link]")).to_have_count(0)
    # A next step's title is its card's heading; a folded action's, the link its line starts with.
    titles = page.locator(
        "#next-steps .plan-item h3 a, .plan-fold .plan-item > div > a:first-child"
    ).all_text_contents()
    assert len(titles) == total and len(set(titles)) == total
    expect(page.locator("#progress-heading + .progress + p")).to_contain_text(
        f"0 of {shown} next steps done"
    )
    fits(page, "the action plan")
    axe_check(page, "the action plan")
    steps = [
        ActionItem.objects.get(organization__name=BUSINESS, title=title)
        for title in next_steps.locator("h3 a").all_text_contents()
    ]

    # One next step done from the plan; who, when and a note for another, each in its history.
    done, worked, *rest = steps
    page.select_option(f"#status-{done.pk}", "done")
    page.click(f"#item-{done.pk} button[type=submit]")
    expect(page.get_by_text(f"Saved: {done.title}")).to_be_visible()
    expect(page.locator("#progress-heading + .progress + p")).to_contain_text(
        f"1 of {shown} next steps done"
    )
    page.click(f"#item-{worked.pk} h3 a")
    page.fill(f"#item-{worked.pk}-assignee", "Tomos")
    page.fill(f"#item-{worked.pk}-due_date", "2027-03-31")
    page.fill(f"#item-{worked.pk}-note", "Ask the landlord first")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"Saved: {worked.title}")).to_be_visible()
    page.goto(f"{base}/plan/actions/{worked.pk}/")
    for change in ("Tomos", "31 Mar 2027", "Ask the landlord first"):
        expect(page.locator("section[aria-labelledby=history-heading]")).to_contain_text(change)
    fits(page, "an action's page")

    # Months later: start from last time. Carried-over answers wait for confirmation.
    raised = rest[:2]
    page.goto(f"{base}/assessments/")
    page.click("text=Start from my last answers")
    expect(page.locator("[data-progress-text]").first).to_contain_text("to confirm")
    expect(page.locator("[data-progress-text]").first).to_contain_text("0 of ")
    for item in raised:
        again = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
        pillar = again.framework.questions.get(code=item.question_code).pillar.key
        page.goto(f"{base}/assessments/{again.pk}/section/{pillar}/")
        best = max(
            Option.objects.filter(
                question__framework=again.framework, question__code=item.question_code
            ).values_list("value", flat=True)
        )
        page.locator(f'input[name="q-{item.question_code}"][value="{best}"]').check()
        card = page.locator(f'[data-question-card="{item.question_code}"]')
        expect(card.locator("[data-save-state]")).to_have_text("Saved")
    expect(page.locator("[data-section-count]").first).to_be_visible()
    sections = page.locator("[data-section-count]").all_text_contents()
    assert any("confirm" in text for text in sections), sections
    page.goto(f"{base}/assessments/{again.pk}/review/")
    submit_from_the_review(page, carried_over=True)

    # The new answers closed what they fixed, said in view and kept in each item's history.
    since = page.locator("#since-last")
    expect(since).to_contain_text("2 actions closed by your answers")
    for item in raised:
        expect(since).to_contain_text(item.title)
    fits(page, "the results of the re-assessment")
    page.goto(f"{base}/plan/actions/{raised[0].pk}/")
    expect(page.locator("section[aria-labelledby=history-heading]")).to_contain_text(
        "closed by your answer of"
    )

    # The comparison: two submissions on one day read apart; what was done, and by whom.
    page.goto(f"{base}/assessments/{again.pk}/compare/")
    expect(page.get_by_role("heading", name="Scores side by side")).to_be_visible()
    done_list = page.locator("#actions-done-heading + ul")
    expect(done_list).to_contain_text(done.title)
    expect(done_list.locator("li", has_text=raised[0].title)).to_contain_text(
        "Closed by your answer of"
    )
    expect(page.locator("main")).to_contain_text(re.compile(r"\d{1,2}:\d{2}"))
    fits(page, "the comparison")
    axe_check(page, "the comparison")

    # The continuity plan: drafted, then written part by part.
    page.goto(f"{base}/continuity/")
    page.click("text=Draft my plan")
    expect(page.locator("#part-data")).to_contain_text("Keep a copy of the backup outside")

    page.goto(f"{base}/continuity/contacts/")
    fits(page, "the contacts part")
    page.fill("#id_rows-0-name", "Megan Price")
    page.fill("#id_rows-0-phone", "+44 7700 900412")
    drafted = page.locator("input[id^=id_rows-][id$=-name]").count()
    for index in range(1, drafted):
        page.fill(f"#id_rows-{index}-name", "")
        page.fill(f"#id_rows-{index}-phone", "")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("left empty and removed")

    # The data part refuses a password and names the field; ordinary words about one pass.
    page.goto(f"{base}/continuity/data/")
    page.fill("#id_restore", "Router login admin / Harbour2024")
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Nothing was saved: 1 field needs a correction")
    expect(summary.locator("a")).to_contain_text("How to restore")
    fits(page, "the data part with an error")
    page.fill("#id_restore", "The password manager holds the router login")
    page.fill("#id_backups", "USB disk kept at home, swapped every Friday")
    expect(page.locator("[data-save-state]")).to_contain_text("Saved at")
    expect(page.locator("[data-part-state]")).to_contain_text("Not reviewed yet")
    page.goto(f"{base}/continuity/")
    data_part = page.locator("#part-data")
    expect(data_part).to_contain_text("USB disk kept at home")
    expect(data_part).not_to_contain_text("Keep a copy of the backup outside")
    expect(data_part).to_contain_text("Not reviewed yet")  # saving is not reviewing
    page.click("button:has-text('Mark as reviewed: Data and systems')")
    expect(page.locator("#part-data")).to_contain_text("Reviewed")
    fits(page, "the continuity plan")

    # Both PDFs: the report follows the plan; the plan prints names, never a placeholder.
    report = pdf_text(context.request.get(f"{base}/assessments/{again.pk}/report.pdf").body())
    assert "Where the action plan stands" in report and done.title in report
    assert "Tomos" in report
    earlier = pdf_text(context.request.get(f"{base}/assessments/{first.pk}/report.pdf").body())
    assert "Where the action plan stands" not in earlier  # the plan follows the latest report
    plan = pdf_text(context.request.get(f"{base}/continuity/plan.pdf").body())
    assert "Megan Price" in plan and EMAIL not in plan
    assert not [p for p in PLACEHOLDERS if p in plan]
    context.close()

    a_consultant_deletes_their_own_comment(browser, base, width)


def a_consultant_deletes_their_own_comment(browser, base, width):
    organization = Organization.objects.get(name=BUSINESS)
    firm = FirmFactory(name="Harbour Advisers")
    consultant = FirmMembershipFactory(firm=firm, role=FirmMembership.Role.ADMIN).user
    two_factor_device(consultant)
    Organization.objects.filter(pk=organization.pk).update(firm=firm)
    comment = continuity_comment_add(
        plan=organization.continuity_plan,
        author=consultant,
        part_key="data",
        text="Test the restore before the busy season.",
    )
    client = Client()
    verified_login(client, User.objects.get(pk=consultant.pk))
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page = context.new_page()
    page.goto(f"{base}/consultant/clients/{organization.pk}/continuity/")
    expect(page.locator("main")).to_contain_text("Test the restore before the busy season.")
    fits(page, "the consultant's view of the plan")
    page.click("summary:has-text('Delete my comment')")  # asks first
    page.click("button:has-text('Yes, delete')")
    expect(page.locator("main")).not_to_contain_text("Test the restore before the busy season.")
    assert not PlanComment.objects.filter(pk=comment.pk).exists()
    context.close()


@pytest.fixture(params=[1280, 390], ids=["laptop", "phone"])
def width(request):
    return request.param
