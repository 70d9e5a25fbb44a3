"""An owner's evening, in a real browser: sign up, answer, leave, come back, submit."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessments.models import Answer, Assessment

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "flour-and-water-2026"


def sign_up(page, base, email="baker@example.com"):
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_org_name", "Corner Bakery")
    page.select_option("#id_org_sector", "retail")
    page.select_option("#id_org_size_band", "1-9")
    page.fill("#id_org_region", "Wales")
    page.click("text=Create account")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = re.search(r"http://\S+/accounts/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.click("text=Confirm my email address")
    expect(page.get_by_role("heading", name="Corner Bakery")).to_be_visible()


def log_in(page, base, email="baker@example.com"):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def choose(page, code, value):
    page.locator(f'input[name="q-{code}"][value="{value}"]').check()


def stored_answers():
    return {
        a.question.code: (a.kind, a.value)
        for a in Answer.objects.select_related("question").filter(kind__isnull=False)
    }


def test_an_owner_signs_up_answers_leaves_resumes_and_submits(
    live_server, browser, framework_loaded, axe_check
):
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()

    page.goto(base)
    axe_check(page, "home")
    page.goto(f"{base}/accounts/signup/")
    axe_check(page, "sign-up")
    sign_up(page, base)
    page.click("text=Start assessment")

    # Part of the first section, saved by the autosave script as it is given.
    expect(page.get_by_role("heading", name="Operational resilience", level=1)).to_be_visible()
    choose(page, "OP-F-01", "4")
    expect(page.locator('[data-question-card="OP-F-01"] [data-save-state]')).to_have_text("Saved")
    choose(page, "OP-I-01", "dont_know")
    expect(page.locator('[data-question-card="OP-I-01"] [data-save-state]')).to_have_text("Saved")
    expect(page.locator("[data-progress-text]").first).to_contain_text("2 of 12 answered")
    axe_check(page, "questionnaire")
    context.close()  # the browser is closed without pressing any button

    assert stored_answers() == {"OP-F-01": ("option", 4), "OP-I-01": ("dont_know", None)}

    context = browser.new_context()
    page = context.new_page()
    log_in(page, base)
    page.goto(f"{base}/assessments/")
    expect(page.get_by_text("2 of 12 questions answered")).to_be_visible()
    page.click("text=Continue where you stopped")

    assert page.url.endswith("/section/operational/#q-OP-A-01")
    expect(page.locator('input[name="q-OP-F-01"][value="4"]')).to_be_checked()
    expect(page.locator('input[name="q-OP-I-01"][value="dont_know"]')).to_be_checked()

    choose(page, "OP-A-01", "na")
    expect(page.locator('[data-question-card="OP-A-01"] [data-save-state]')).to_have_text("Saved")
    for pillar, prefix in (("financial", "FI"), ("adaptive", "AD"), ("technology", "TE")):
        page.click("button[name=save_next]")
        expect(page).to_have_url(re.compile(f"/section/{pillar}/"))
        for level in "FIA":
            choose(page, f"{prefix}-{level}-01", "2")
    page.click("button[name=save_next]")

    expect(page.get_by_role("heading", name="Every question is answered")).to_be_visible()
    axe_check(page, "review")
    page.check("#confirm-submit")
    page.click("text=Submit and see my results")

    expect(page).to_have_url(re.compile(r"/results/$"))
    axe_check(page, "results")
    assessment = Assessment.objects.get()
    assert assessment.is_submitted
    assert len(stored_answers()) == 12
    context.close()


def test_the_same_journey_works_without_javascript(live_server, browser, framework_loaded):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_up(page, base, email="nojs@example.com")
    page.click("text=Start assessment")

    choose(page, "OP-F-01", "4")
    page.click("button[name=save_stay]")
    expect(page.get_by_text("Your answers on Operational resilience are saved.")).to_be_visible()
    context.close()
    assert stored_answers() == {"OP-F-01": ("option", 4)}

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, email="nojs@example.com")
    page.goto(f"{base}/assessments/")
    page.click("text=Continue where you stopped")
    expect(page.locator('input[name="q-OP-F-01"][value="4"]')).to_be_checked()
    for prefix in ("OP", "FI", "AD", "TE"):
        for level in "FIA":
            if (prefix, level) != ("OP", "F"):
                choose(page, f"{prefix}-{level}-01", "dont_know")
        page.click("button[name=save_next]")

    page.check("#confirm-submit")
    page.click("text=Submit and see my results")
    expect(page).to_have_url(re.compile(r"/results/$"))
    assert Assessment.objects.get().is_submitted
    context.close()


def test_a_questionnaire_error_is_shown_beside_its_field_and_passes_axe(
    live_server, browser, framework_loaded, axe_check
):
    base = live_server.url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_up(page, base, email="errors@example.com")
    page.click("text=Start assessment")
    page.locator("details.note-details").first.evaluate("el => el.open = true")
    context.close()

    # With scripts on, bypass the textarea's maxlength as a tampering client would.
    context = browser.new_context()
    page = context.new_page()
    log_in(page, base, email="errors@example.com")
    page.goto(f"{base}/assessments/")
    page.click("text=Continue where you stopped")
    page.evaluate(
        """() => {
            const note = document.querySelector('textarea[name="note-OP-F-01"]');
            note.removeAttribute('maxlength');
            note.value = 'x'.repeat(2001);
            document.querySelector('[data-autosave-form]').removeAttribute('data-autosave-form');
        }"""
    )
    page.click("button[name=save_stay]")

    expect(page.get_by_text("Nothing was saved: please correct these answers.")).to_be_visible()
    note = page.locator('textarea[name="note-OP-F-01"]')
    expect(note).to_have_attribute("aria-invalid", "true")
    described = note.get_attribute("aria-describedby") or ""
    assert any(page.locator(f"#{i}").count() for i in described.split()), "error tied to its field"
    axe_check(page, "questionnaire with an error")
    assert stored_answers() == {}
    context.close()


def test_an_ended_session_is_explained_beside_the_answer(live_server, browser, framework_loaded):
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()
    sign_up(page, base, email="expired@example.com")
    page.click("text=Start assessment")
    choose(page, "OP-F-01", "4")
    expect(page.locator('[data-question-card="OP-F-01"] [data-save-state]')).to_have_text("Saved")

    context.clear_cookies(name="sessionid")  # the session ends while the page stays open
    choose(page, "OP-I-01", "2")

    state = page.locator('[data-question-card="OP-I-01"] [data-save-state]')
    expect(state).to_contain_text("Your session has ended")
    expect(state.get_by_role("link", name="Log in again")).to_be_visible()
    assert stored_answers() == {"OP-F-01": ("option", 4)}
    context.close()
