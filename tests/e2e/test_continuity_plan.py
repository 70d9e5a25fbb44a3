"""A retail owner's continuity plan, in a real browser: drafted, filled in, printed."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.services import framework_import
from tests.conftest import FULL_FRAMEWORK
from tests.consultants.conftest import submitted_assessment
from tests.factories import MembershipFactory

from .test_owner_journey import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def retail_owner(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    framework_import(path=FULL_FRAMEWORK)
    membership = MembershipFactory(
        organization__name="Corner Shop",
        organization__sector="retail",
        user__email="shop@example.com",
        user__first_name="Ada",
        user__last_name="Shaw",
        user__password=PASSWORD,
    )
    # No alternate supplier, never restored a backup: the draft should say so.
    submitted_assessment(
        membership.organization, membership.user, "4", {"OP-F-04": "0", "TE-F-02": "0"}
    )
    return membership.user


def fill_row(page, index, **fields):
    for name, value in fields.items():
        selector = f"#id_rows-{index}-{name}"
        if name == "role":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)


def test_a_retail_owner_drafts_fills_and_prints_the_plan(
    live_server, browser, retail_owner, axe_check
):
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, email="shop@example.com")
    expect(page.get_by_role("heading", name="Continuity plan")).to_contain_text("Not started")
    page.click("text=Draft my plan")

    # Drafted from the answers: the supplier gap says why, the data part has its task.
    expect(page.get_by_role("heading", name="Continuity plan", level=1)).to_be_visible()
    suppliers = page.locator("#part-suppliers")
    expect(suppliers).to_contain_text("Name an alternate supplier for each key item")
    expect(suppliers).to_contain_text("No alternative for any key item")
    expect(page.locator("#part-data")).to_contain_text("Test the restore")
    expect(page.locator("#part-checklists")).to_contain_text("Power cut or card payments stop")
    axe_check(page, "the plan")

    page.click("a:has-text('Check and edit People and contacts')")
    expect(page.get_by_role("heading", name="People and contacts", level=1)).to_be_visible()
    axe_check(page, "the contacts part")
    fill_row(page, 0, role="staff", name="Ada Shaw", phone="+44 7700 900123", calls="Ben")
    fill_row(page, 1, role="insurer", name="Shield Mutual", phone="0800 496 0000")
    for index in range(2, 6):  # the drafted roles the shop does not fill in yet
        fill_row(page, index, name="")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#part-contacts")).to_contain_text("Shield Mutual")
    # The drafted rows left empty are named, not dropped without a word.
    expect(page.locator(".messages")).to_contain_text("left empty and removed")

    page.click("a:has-text('Check and edit Critical activities')")
    fill_row(page, 0, activity="Serving at the till", downtime="2 hours", workaround="Cash only")
    fill_row(page, 1, activity="Online orders", downtime="1 day", workaround="Phone orders")
    fill_row(page, 2, activity="")
    page.get_by_role("button", name="Save", exact=True).click()
    activities = page.locator("#part-activities")
    expect(activities).to_contain_text("Online orders")
    expect(activities).to_contain_text("Not reviewed yet")  # saving is not reviewing
    page.click("button:has-text('Mark as reviewed: Critical activities')")
    expect(page.locator("#part-activities")).to_contain_text("Reviewed")

    with page.expect_download() as download:
        page.click("text=Download the PDF")
    reader = PdfReader(download.value.path())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert 1 <= len(reader.pages) <= 4
    assert text.index("Shield Mutual") < text.index("The first hour") < text.index("Online orders")
    assert "Switch to the card reader's mobile data" in text
    assert "by Ada Shaw" in text

    page.goto(f"{base}{reverse('questionnaire:owner_home')}")
    expect(page.get_by_role("heading", name="Continuity plan")).to_contain_text("Draft")
    axe_check(page, "the owner home")

    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, base, email="shop@example.com")
    phone.goto(f"{base}{reverse('continuity:plan')}")
    expect(phone.locator("#part-activities")).to_contain_text("Online orders")
    # The tables reflow into cards: nothing scrolls sideways, no column is cut off.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    overflow = phone.evaluate(
        "Math.max(...[...document.querySelectorAll('.table-responsive')]"
        ".map(e => e.scrollWidth - e.clientWidth))"
    )
    assert overflow <= 0
    axe_check(phone, "the plan on a phone")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_part_saves_as_the_owner_types_and_warns_before_leaving_unsaved_text(
    live_server, browser, retail_owner, width
):
    base = live_server.url
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, base, email="shop@example.com")
    page.click("text=Draft my plan")
    page.goto(f"{base}{reverse('continuity:part', args=['premises'])}")

    expect(page.locator("[data-part-state]")).to_contain_text("Draft")
    page.fill("#id_evacuation_point", "The church car park")
    expect(page.locator("[data-save-state]")).to_contain_text("Saved at")
    # Saved, the draft is the owner's: the state line and the draft note follow at once.
    expect(page.locator("[data-part-state]")).to_contain_text("Not reviewed yet")
    expect(page.locator("[data-draft-note]")).to_have_count(0)
    page.reload()
    expect(page.locator("#id_evacuation_point")).to_have_value("The church car park")

    # A field the server refuses: named in the state line, nothing saved.
    page.fill("#id_shutoffs", "Key safe code: 4471")
    expect(page.locator("[data-save-state]")).to_contain_text("Not saved: Where the shut-offs are")

    # Unsaved text: leaving the page asks first.
    page.fill("#id_alternate_site", "Cwtch Café")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.click("nav[aria-label=Breadcrumb] a")
    assert dialogs == ["beforeunload"]


def test_save_pressed_while_an_autosave_is_on_its_way_waits_for_it(
    live_server, browser, retail_owner
):
    """The autosave reached the server, its answer has not come back: "Save" must wait for
    the revision it made, or the post would be refused as stale."""
    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, email="shop@example.com")
    page.click("text=Draft my plan")
    url = reverse("continuity:part", args=["premises"])
    page.goto(f"{base}{url}")
    held = []

    def hold_autosave_answers(route):
        if route.request.headers.get("x-requested-with") != "fetch":
            route.continue_()
            return
        held.append((route, route.fetch()))  # saved on the server; the answer is held back

    page.route(f"**{url}", hold_autosave_answers)
    page.fill("#id_evacuation_point", "The church car park")
    page.wait_for_function(
        "() => document.querySelector('[data-save-state]').textContent === 'Saving…'"
    )
    page.wait_for_timeout(300)
    assert len(held) == 1
    page.fill("#id_shutoffs", "Under the sink")  # typed after the autosave left
    page.get_by_role("button", name="Save", exact=True).click()
    route, answer = held[0]
    route.fulfill(response=answer)

    expect(page.locator(".messages")).to_contain_text("Premises: saved.")
    expect(page.locator("#part-premises")).to_contain_text("The church car park")
    expect(page.locator("#part-premises")).to_contain_text("Under the sink")


def test_a_part_that_cannot_reach_the_server_is_retried_until_it_is_stored(
    live_server, browser, retail_owner
):
    """A lost connection, a restart or a deploy can outlast any fixed number of tries: the
    script keeps trying, says the text is not saved meanwhile, and stores it once it can.
    The page's clock is Playwright's, so ten minutes of retries pass in an instant."""
    from continuity.models import PlanPart

    base = live_server.url
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, email="shop@example.com")
    page.click("text=Draft my plan")
    url = reverse("continuity:part", args=["premises"])
    page.clock.install()
    page.goto(f"{base}{url}")
    state = page.locator("[data-save-state]")
    page.route(f"**{url}", lambda route: route.abort("connectionrefused"))

    page.fill("#id_evacuation_point", "The church car park")
    page.clock.run_for(2_000)
    expect(state).to_contain_text("Not saved")
    for _ in range(20):
        page.clock.run_for(30_000)
        expect(state).to_contain_text("Not saved")
    assert "church" not in str(PlanPart.objects.get(key="premises").content)

    page.unroute(f"**{url}")
    page.clock.run_for(60_000)
    expect(state).to_contain_text("Saved at")
    assert PlanPart.objects.get(key="premises").content["evacuation_point"] == (
        "The church car park"
    )


def test_a_part_typed_after_the_session_ended_says_so_and_stops_trying(
    live_server, browser, retail_owner
):
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base, email="shop@example.com")
    page.click("text=Draft my plan")
    page.goto(f"{base}{reverse('continuity:part', args=['premises'])}")
    context.clear_cookies(name="sessionid")

    page.fill("#id_evacuation_point", "The church car park")

    expect(page.locator("[data-save-state]")).to_contain_text(
        "Not saved: you are no longer logged in. Copy what you typed"
    )
    expect(page.locator("#id_evacuation_point")).to_have_value("The church car park")
