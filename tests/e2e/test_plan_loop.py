"""The loop in a real browser: targets, the plan without JavaScript, the consultant's view."""

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
