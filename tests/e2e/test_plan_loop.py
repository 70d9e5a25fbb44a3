"""The loop in a real browser: targets, the plan without JavaScript, the consultant's view."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import FirmMembership
from action_plans.models import ActionItem
from assessments.services import assessment_start, assessment_submit
from tests.conftest import two_factor_device
from tests.e2e.conftest import pass_code_step_if_asked
from tests.factories import FirmFactory, FirmMembershipFactory, MembershipFactory
from tests.reports.conftest import answer_all

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    pass_code_step_if_asked(page, email)


def test_an_owner_sets_targets_marks_two_actions_done_and_the_consultant_sees_it(
    live_server, browser, framework_loaded, axe_check
):
    firm = FirmFactory(name="Harbour Advisers")
    consultant = FirmMembershipFactory(firm=firm, role=FirmMembership.Role.ADMIN).user
    two_factor_device(consultant)  # required for consultants: the code step follows the password
    membership = MembershipFactory(
        organization__name="Corner Shop", organization__firm=firm, user__email="sam@shop.example"
    )
    assessment = assessment_start(organization=membership.organization, user=membership.user)
    answer_all(assessment, membership.user, None, {})
    assessment = assessment_submit(assessment=assessment, user=membership.user)
    base = live_server.url

    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    page = context.new_page()
    log_in(page, base, "sam@shop.example")
    page.goto(f"{base}/assessments/{assessment.pk}/results/")
    page.select_option("#id_target_financial", "2")
    page.click("text=Save targets")
    expect(page.get_by_text("Targets saved.")).to_be_visible()

    page.goto(f"{base}/plan/")
    for code in ("FI-F-01", "OP-F-01"):
        item = ActionItem.objects.get(question_code=code)
        page.select_option(f"#status-{item.pk}", "done")
        page.click(f"#item-{item.pk} button[type=submit]")
        expect(page.get_by_text(f"Saved: {item.title}")).to_be_visible()
    expect(page.get_by_text("2 of 6")).to_be_visible()
    expect(page.get_by_text("What stands between today and your targets")).to_be_visible()
    context.close()
    assert ActionItem.objects.filter(status="done").count() == 2

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, "sam@shop.example")
    page.goto(f"{base}/plan/")
    axe_check(page, "the plan page")
    page.click("text=Who, due date, note and history >> nth=0")
    axe_check(page, "an item's page")
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, consultant.email)
    page.goto(f"{base}/consultant/?sort=-plan")
    expect(page.locator("tbody tr").first).to_contain_text("2/6")
    axe_check(page, "the dashboard with plan columns")
    page.click("text=Corner Shop")
    expect(page.locator("#plan")).to_contain_text("2 of 6")
    axe_check(page, "the client page with the plan")
    context.close()


def fold_key(item) -> str:
    """The key of the plan page's fold that holds this item."""
    from action_plans.selectors import organization_action_plan

    plan = organization_action_plan(item.organization)
    return next(f.key for f in plan.folds if item in [r.item for r in f.rows])


def closed_fold_of(page, item):
    return page.locator(f"#fold-{fold_key(item)}")


def test_a_closed_fold_opens_in_place_or_by_its_link_without_javascript(
    live_server, browser, framework_loaded, axe_check
):
    membership = MembershipFactory(organization__name="Corner Shop", user__email="sam@shop.example")
    assessment = assessment_start(organization=membership.organization, user=membership.user)
    answer_all(assessment, membership.user, None, {})  # FI-A-01 and TE-A-01 are folded
    assessment_submit(assessment=assessment, user=membership.user)
    folded = ActionItem.objects.get(question_code="TE-A-01")
    base = live_server.url

    # With the script: the fold's lines are fetched and shown where the owner is.
    page = browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    log_in(page, base, "sam@shop.example")
    page.goto(f"{base}/plan/")
    fold = closed_fold_of(page, folded)
    expect(fold.locator(f"#item-{folded.pk}")).to_have_count(0)
    fold.locator("summary").click()
    expect(fold.locator(f"#item-{folded.pk}")).to_contain_text(folded.title)
    assert page.url == f"{base}/plan/"
    axe_check(page, "the plan with a fold opened in place")
    button = fold.locator(f"#item-{folded.pk} button")
    expect(button).to_have_accessible_name(re.compile(rf"^Mark done\W+{folded.title}$"))
    button.click()
    expect(page.get_by_text(f"Saved: {folded.title}")).to_be_visible()
    expect(closed_fold_of(page, folded).locator(f"#item-{folded.pk}")).to_contain_text("Done")

    # The fetch fails: the owner is told, and the link still opens the fold.
    other = ActionItem.objects.get(question_code="FI-A-01")
    page.goto(f"{base}/plan/")
    page.route("**/plan/?fold=*", lambda route: route.abort("connectionrefused"))
    fold = closed_fold_of(page, other)
    fold.locator("summary").click()
    expect(fold.locator("[data-fold-link]")).to_contain_text("could not be loaded here")
    page.unroute("**/plan/?fold=*")
    fold.locator("[data-fold-link] a").click()
    expect(page.locator(f"#item-{other.pk}")).to_contain_text(other.title)
    page.context.close()

    # Without it: the fold opens on its summary and the link draws the page with it open.
    page = browser.new_context(java_script_enabled=False).new_page()
    log_in(page, base, "sam@shop.example")
    page.goto(f"{base}/plan/")
    fold = closed_fold_of(page, other)
    fold.locator("summary").click()
    fold.locator("[data-fold-link] a").click()
    expect(page).to_have_url(f"{base}/plan/?fold={fold_key(other)}#fold-{fold_key(other)}")
    expect(page.locator(f"#item-{other.pk}")).to_contain_text(other.title)
    page.context.close()
