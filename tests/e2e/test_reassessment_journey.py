"""Coming back months later, in a real browser: start from last time, change three answers,
confirm the rest, submit, and compare with the first assessment."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from assessments.models import Answer, Assessment
from assessments.services import AnswerInput, answers_save, assessment_start, assessment_submit
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "flour-and-water-2026"


def test_an_owner_reassesses_from_last_time_and_compares(
    live_server, browser, framework_loaded, axe_check
):
    member = MembershipFactory(organization__name="Corner Bakery", user__email="baker@example.com")
    User.objects.filter(pk=member.user.pk).update(email_confirmed=True)
    member.user.set_password(PASSWORD)
    member.user.save()
    first = assessment_start(organization=member.organization, user=member.user)
    codes = list(framework_loaded.questions.values_list("code", flat=True))
    answers_save(assessment=first, answers=[AnswerInput(c, "2") for c in codes], user=member.user)
    assessment_submit(assessment=first, user=member.user)
    base = live_server.url
    page = browser.new_context().new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "baker@example.com")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.click("text=Start from my last answers")
    expect(page.get_by_role("heading", name="Operational resilience", level=1)).to_be_visible()
    expect(page.locator("[data-carried-state]").first).to_have_text("From last time")
    axe_check(page, "a section started from last time")
    # Three answers change; one is kept as it was with the "still true" box.
    for code, value in (("OP-F-01", "4"), ("OP-I-01", "4"), ("OP-A-01", "0")):
        page.locator(f'input[name="q-{code}"][value="{value}"]').check()
        expect(page.locator(f'[data-question-card="{code}"] [data-save-state]')).to_have_text(
            "Saved"
        )
    page.locator('input[name="keep-OP-F-01"]').wait_for(state="attached")
    # Only the three answers given again count as answered; the section is done.
    expect(page.locator("[data-progress-text]").first).to_have_text(
        "3 of 12 answered (25%) · 9 to confirm"
    )
    expect(page.locator('[data-section="operational"] [data-section-count]')).to_contain_text(
        "Done"
    )
    expect(page.locator('[data-section="financial"] [data-section-count]')).to_contain_text(
        "To\u00a0confirm\u00a0(3)"
    )
    again = Assessment.objects.get(status=Assessment.Status.IN_PROGRESS)
    assert set(
        Answer.objects.filter(assessment=again, carried_over=True).values_list(
            "question__code", flat=True
        )
    ) == set(codes) - {"OP-F-01", "OP-I-01", "OP-A-01"}

    page.goto(f"{base}/assessments/{again.pk}/review/")
    expect(
        page.get_by_role("heading", name="9 answers from last time not confirmed")
    ).to_be_visible()
    axe_check(page, "the review with unconfirmed answers")
    page.check("#confirm-submit")
    page.click("text=Submit and see my results")
    expect(page.get_by_role("heading", name="Submit with answers from last time?")).to_be_visible()
    axe_check(page, "the second question before submitting")
    page.click("text=Submit: these answers still hold")

    expect(page.get_by_role("heading", name="Progress over time")).to_be_visible()
    page.click("text=Compare with an earlier assessment")
    expect(page.get_by_role("heading", name="Scores side by side")).to_be_visible()
    expect(page.get_by_role("heading", name="Better answers (2)")).to_be_visible()
    expect(page.get_by_role("heading", name="Worse answers (1)")).to_be_visible()
    axe_check(page, "the comparison")
    page.set_viewport_size({"width": 390, "height": 844})
    axe_check(page, "the comparison on a phone")
