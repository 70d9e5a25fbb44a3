"""A consultant's morning, in a real browser: filter the dashboard, read a report, comment.

Then the owner opens their results and downloads the PDF through the page's
own link, with the browser's cookies, and finds the consultant's comment in it.
"""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import FirmMembership, Membership
from assessments.models import Question
from assessments.services import AnswerInput, answers_save, assessment_start, assessment_submit
from tests.conftest import two_factor_device
from tests.e2e.conftest import pass_code_step_if_asked
from tests.factories import FirmFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "harbour-lights-2026"
COMMENT = "Put the supplier list somewhere the whole team can find it."


@pytest.fixture
def firm_with_clients(framework_loaded):
    firm = FirmFactory(name="Harbour Resilience Partners", slug="harbour")
    consultant = UserFactory(email="lewis@harbour.example", password=PASSWORD)
    FirmMembership.objects.create(firm=firm, user=consultant, role="consultant")
    two_factor_device(consultant)  # required for consultants: the code step follows the password

    bakery = MembershipFactory(
        user__email="owner@bakery.example",
        user__password=PASSWORD,
        organization__name="Corner Bakery",
        organization__sector="retail",
        organization__firm=firm,
    )
    assessment = assessment_start(organization=bakery.organization, user=bakery.user)
    codes = Question.objects.filter(framework=framework_loaded).values_list("code", flat=True)
    answers_save(
        assessment=assessment,
        answers=[AnswerInput(code, "2") for code in codes],
        user=bakery.user,
    )
    assessment_submit(assessment=assessment, user=bakery.user)

    MembershipFactory(
        organization__name="Dune Software",
        organization__sector="technology",
        organization__firm=firm,
        role=Membership.Role.OWNER,
    )
    return {"consultant": consultant, "owner": bakery.user, "assessment": assessment}


def log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    pass_code_step_if_asked(page, email)


def test_a_consultants_comment_reaches_the_owners_pdf(
    live_server, browser, firm_with_clients, axe_check
):
    base = live_server.url
    context = browser.new_context()
    page = context.new_page()

    log_in(page, base, "lewis@harbour.example")
    page.goto(f"{base}/consultant/")
    expect(page.get_by_role("heading", name="Clients", exact=True)).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Dune Software")).to_be_visible()
    axe_check(page, "consultant dashboard")

    # Filter to retail clients: the technology business leaves the list.
    page.get_by_label("Sector").select_option("retail")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(f"{base}/consultant/?q=&sector=retail&maturity=&status=&plan=")
    expect(table.get_by_role("link", name="Dune Software")).to_have_count(0)
    expect(page.get_by_label("Sector")).to_have_value("retail")

    # Open the client, then their report.
    table.get_by_role("link", name="Corner Bakery").click()
    expect(page.get_by_role("heading", name="Corner Bakery", level=1)).to_be_visible()
    axe_check(page, "client page")
    page.get_by_role("link", name="Report of").first.click()
    expect(page).to_have_url(f"{base}/assessments/{firm_with_clients['assessment'].pk}/results/")
    page.go_back()

    # Comment on the financial pillar.
    page.get_by_label("About").select_option(label="Financial resilience")
    page.get_by_role("textbox", name="Comment").fill(COMMENT)
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Comment added.")).to_be_visible()
    expect(page.locator("article.comment")).to_contain_text(COMMENT)
    expect(page.locator("article.comment")).to_contain_text("Financial resilience")

    page.goto(f"{base}/consultant/portfolio/")
    expect(page.get_by_role("img", name="Number of clients at each maturity level")).to_be_visible()
    axe_check(page, "portfolio")
    context.close()

    # The owner finds the comment on their results page and in the PDF behind its link.
    owner_context = browser.new_context()
    owner_page = owner_context.new_page()
    log_in(owner_page, base, "owner@bakery.example")
    owner_page.goto(f"{base}/assessments/{firm_with_clients['assessment'].pk}/results/")
    expect(owner_page.get_by_text(COMMENT)).to_be_visible()
    href = owner_page.get_by_role("link", name="Download the PDF report").get_attribute("href")
    response = owner_context.request.get(f"{base}{href}")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(response.body())).pages)
    text = " ".join(text.split())
    assert "Consultant comments" in text
    assert COMMENT in text
    owner_context.close()


PHONE = {"width": 390, "height": 844}


def test_no_page_is_wider_than_a_phone(live_server, browser, firm_with_clients):
    """Wide tables scroll inside their own box; the page itself never scrolls sideways."""
    base = live_server.url
    org = firm_with_clients["assessment"].organization
    pages = {
        "lewis@harbour.example": [
            "/consultant/",
            "/consultant/portfolio/",
            f"/consultant/clients/{org.pk}/",
            "/consultant/invitations/",
        ],
        "owner@bakery.example": [
            "/assessments/",
            f"/assessments/{firm_with_clients['assessment'].pk}/results/",
            "/accounts/sharing/",
        ],
    }
    for email, paths in pages.items():
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        log_in(page, base, email)
        for path in paths:
            page.goto(f"{base}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width} px wide on a phone"
        context.close()
