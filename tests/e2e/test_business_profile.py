"""The business profile in a real browser: a remote agency, a bakery with a kitchen, a plumber.

Questions are found by what the bank declares (``applies_when``, trait-keyed advice),
never by id, so the same journeys run on any bank that uses the profile: ``PROFILE_BANK``
names it, the current bank (2026.3).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessments.models import Assessment
from scoring import load_framework_file
from tests.conftest import CURRENT_FRAMEWORK, MINI_FRAMEWORK
from tests.e2e.conftest import cut_off

pytestmark = pytest.mark.django_db(transaction=True)

PROFILE_BANK = CURRENT_FRAMEWORK
PASSWORD = "flour-and-water-2026"
WIDTHS = (390, 1280)


@pytest.fixture
def bank(transactional_db):
    """The profile bank, imported as the newest version, and its definition to look in."""
    from assessments.services import framework_import

    framework_import(path=MINI_FRAMEWORK)
    framework_import(path=PROFILE_BANK)
    return load_framework_file(PROFILE_BANK)


def premises_questions(bank):
    return [q for q in bank.questions if q.applies_when.get("no_premises") is False]


def works_away_questions(bank):
    return [q for q in bank.questions if q.applies_when.get("works_away") is True]


def kitchen_advice_question(bank):
    """A question with kitchen advice and shop advice, asked of a bakery with several sites."""
    bakery = {"several_sites": True, "makes_goods": True, "card_in_person": True}
    return next(
        q
        for q in bank.questions
        if "makes_goods" in q.recommendations
        and {"retail", "card_in_person"} & set(q.recommendations)
        and q.applies_to(bakery)
    )


def sign_up(page, base, *, email, name, sector, sites, main_site="", ticks=()):
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_org_name", name)
    page.select_option("#id_org_sector", sector)
    page.select_option("#id_org_size_band", "1-9")
    page.fill("#id_org_region", "Wales")
    page.check(f'input[name="org_sites"][value="{sites}"]')
    if main_site:
        page.fill("#id_org_main_site", main_site)
    for trait in ticks:
        page.check(f"#id_org_{trait}")
    page.click("text=Create account")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    link = re.search(r"http://\S+/accounts/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.click("text=Confirm my email address")
    page.click("text=Start assessment")
    expect(page.locator("[data-question-card]").first).to_be_visible()
    return Assessment.objects.get(organization__name=name)


def section(page, base, assessment, pillar):
    page.goto(f"{base}/assessments/{assessment.pk}/section/{pillar}/")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_remote_agency_is_not_asked_about_premises_and_can_answer_one_anyway(
    live_server, browser, bank, axe_check, width
):
    base = live_server.url
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(f"{base}/accounts/signup/")
    axe_check(page, f"sign-up at {width} px")
    assessment = sign_up(
        page,
        base,
        email="agency@example.com",
        name="Remote Agency",
        sector="technology",
        sites="none",
    )
    premises = premises_questions(bank)
    assert premises, "the bank declares no premises questions"

    for pillar in {q.pillar for q in premises}:
        section(page, base, assessment, pillar)
        for question in premises:
            expect(page.locator(f'[data-question-card="{question.id}"]')).to_have_count(0)

    page.goto(f"{base}/assessments/{assessment.pk}/results/")
    page.locator("[data-not-asked] summary").click()
    first = premises[0]
    item = page.locator(f'[data-not-asked-question="{first.id}"]')
    expect(item).to_contain_text("Not asked because you have no premises")
    axe_check(page, f"results with questions not asked at {width} px")
    assert cut_off(page) == []
    item.get_by_role("button", name=re.compile("Answer it anyway")).click()

    expect(page.locator(f'[data-question-card="{first.id}"]')).to_be_visible()
    assert first.id in Assessment.objects.get(pk=assessment.pk).asked_anyway


@pytest.mark.parametrize("width", WIDTHS)
def test_a_bakery_with_a_kitchen_gets_the_kitchens_advice(
    live_server, browser, bank, axe_check, width
):
    base = live_server.url
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    assessment = sign_up(
        page,
        base,
        email="bakery@example.com",
        name="Two Shops Bakery",
        sector="retail",
        sites="several",
        main_site="The kitchen on Mill Lane",
        ticks=("makes_goods", "card_in_person"),
    )
    machine = kitchen_advice_question(bank)
    site_question = next(q for q in premises_questions(bank) if q.about_site)

    section(page, base, assessment, site_question.pillar)
    card = page.locator(f'[data-question-card="{site_question.id}"]')
    expect(card).to_contain_text("Answer for your most important site: The kitchen on Mill Lane")
    axe_check(page, f"questionnaire with a site named at {width} px")
    assert cut_off(page) == []

    section(page, base, assessment, machine.pillar)
    lowest = min(o.value for o in machine.options)
    page.locator(f'input[name="q-{machine.id}"][value="{lowest}"]').check()
    saved = page.locator(f'[data-question-card="{machine.id}"] [data-save-state]')
    expect(saved).to_have_text("Saved")

    page.goto(f"{base}/assessments/{assessment.pk}/results/")
    kitchen = machine.recommendations["makes_goods"].splitlines()[0].lstrip("- ")
    body = page.locator("main").text_content()
    assert kitchen in body
    for shop_key in ("retail", "card_in_person"):
        if shop_key in machine.recommendations:
            assert machine.recommendations[shop_key].splitlines()[0].lstrip("- ") not in body


@pytest.mark.parametrize("width", WIDTHS)
def test_a_plumber_is_asked_about_vans_and_phones(live_server, browser, bank, axe_check, width):
    base = live_server.url
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    assessment = sign_up(
        page,
        base,
        email="plumber@example.com",
        name="Dave's Plumbing",
        sector="service",
        sites="one",
        ticks=("works_away",),
    )
    away = works_away_questions(bank)
    assert away, "the bank declares no questions for work away from the premises"

    for question in away:
        section(page, base, assessment, question.pillar)
        expect(page.locator(f'[data-question-card="{question.id}"]')).to_be_visible()
    axe_check(page, f"questionnaire with the van questions at {width} px")
