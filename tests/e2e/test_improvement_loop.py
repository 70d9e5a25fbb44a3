"""The whole improvement loop in a real browser, as issue 17 describes it.

An owner submits, sets targets, marks two actions done, re-assesses from last
time changing three answers, submits again and compares; the change shows on
the results page and in the PDF, and the consultant sees the plan's progress
on the dashboard.
"""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import FirmMembership
from action_plans.models import ActionItem
from assessments.models import Assessment
from assessments.services import AnswerInput, answers_save, assessment_start, assessment_submit
from tests.conftest import two_factor_device
from tests.e2e.conftest import pass_code_step_if_asked
from tests.factories import FirmFactory, FirmMembershipFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    pass_code_step_if_asked(page, email)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_submit_target_act_reassess_compare_and_the_consultant_sees_the_progress(
    live_server, browser, framework_loaded, axe_check, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    firm = FirmFactory(name="Harbour Advisers")
    consultant = FirmMembershipFactory(firm=firm, role=FirmMembership.Role.ADMIN).user
    two_factor_device(consultant)  # required for consultants: the code step follows the password
    member = MembershipFactory(
        organization__name="Corner Shop", organization__firm=firm, user__email="sam@shop.example"
    )
    codes = list(framework_loaded.questions.values_list("code", flat=True))
    first = assessment_start(organization=member.organization, user=member.user)
    answers_save(assessment=first, answers=[AnswerInput(c, "2") for c in codes], user=member.user)
    first = assessment_submit(assessment=first, user=member.user)
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, "sam@shop.example")

    # Targets on the results page, then two actions done on the plan.
    page.goto(f"{base}/assessments/{first.pk}/results/")
    page.select_option("#id_target_operational", "3")
    page.click("text=Save targets")
    expect(page.get_by_text("Targets saved.")).to_be_visible()
    page.goto(f"{base}/plan/")
    for code in ("OP-F-01", "FI-F-01"):
        item = ActionItem.objects.get(question_code=code)
        page.select_option(f"#status-{item.pk}", "done")
        page.click(f"#item-{item.pk} button[type=submit]")
        expect(page.get_by_text(f"Saved: {item.title}")).to_be_visible()
    total = ActionItem.objects.filter(organization=member.organization).count()
    expect(page.get_by_text(f"2 of {total}")).to_be_visible()

    # Months later: start from last time; the action marked done is called out first.
    page.goto(f"{base}/assessments/")
    page.click("text=Start from my last answers")
    page.wait_for_load_state()  # the autosave script is in: a busy machine can be slower
    card = page.locator('[data-question-card="OP-F-01"]')
    expect(card).to_contain_text("You marked this action done since your last assessment")
    for code, value in (("OP-F-01", "4"), ("OP-I-01", "4"), ("OP-A-01", "0")):
        page.locator(f'input[name="q-{code}"][value="{value}"]').check()
        expect(page.locator(f'[data-question-card="{code}"] [data-save-state]')).to_have_text(
            "Saved"
        )
    again = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    page.goto(f"{base}/assessments/{again.pk}/review/")
    page.check("#confirm-submit")
    page.click("text=Submit and see my results")
    page.click("text=Submit: these answers still hold")

    # The change on the results page, in the comparison and in the PDF.
    expect(page.get_by_role("heading", name="Progress over time")).to_be_visible()
    axe_check(page, "the results page after a re-assessment")
    page.click("text=Compare with an earlier assessment")
    expect(page.get_by_role("heading", name="Better answers (2)")).to_be_visible()
    expect(page.get_by_role("heading", name="Worse answers (1)")).to_be_visible()
    expect(page.locator("#actions-done-heading + ul")).to_contain_text(
        ActionItem.objects.get(question_code="FI-F-01").title
    )
    axe_check(page, "the comparison")
    response = context.request.get(f"{base}/assessments/{again.pk}/report.pdf")
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "Progress over time" in text
    assert "Where the action plan stands" in text
    context.close()

    # The consultant sees the plan's progress on the dashboard.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, consultant.email)
    page.goto(f"{base}/consultant/")
    row = page.locator("tbody tr", has_text="Corner Shop")
    done = ActionItem.objects.filter(organization=member.organization, status="done").count()
    expect(row).to_contain_text(f"{done}/")
    context.close()
