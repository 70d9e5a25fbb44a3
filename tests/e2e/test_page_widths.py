"""Pages read on a phone (390 px) and a laptop (1,280 px) without anything cut off.

The pages are opened with the demo data, whose longest names and fullest
tables are what a consultant with fifteen clients sees.
"""

import pytest
from django.core.management import call_command

from accounts.models import User
from tests.conftest import verified_login
from tests.e2e.conftest import cut_off

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)


@pytest.fixture
def demo(transactional_db):
    call_command("import_framework", "fixtures/framework.yaml", verbosity=0)
    call_command("load_demo_data", "--i-know-this-is-not-production", verbosity=0)


def signed_in_context(browser, live_server, client, email, width):
    """A browser whose session is the user's, second step passed (tested on its own)."""
    verified_login(client, User.objects.get(email=email))
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("width", WIDTHS)
def test_the_consultant_dashboard_fits_the_screen(
    browser, live_server, client, demo, axe_check, width
):
    context = signed_in_context(
        browser, live_server, client, "lewis.chen@harbour-resilience.example", width
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/consultant/")

    assert page.get_by_role("link", name="Brightwater Bakery").is_visible()
    assert page.get_by_text("Last activity").first.is_visible()
    assert cut_off(page) == []
    axe_check(page, f"the dashboard at {width} px")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_owner_s_comparison_fits_the_screen(
    browser, live_server, client, demo, axe_check, width
):
    context = signed_in_context(
        browser, live_server, client, "owner@brightwater-bakery.example", width
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/assessments/")
    results = page.locator("a[href*='/results/']").first.get_attribute("href")
    page.goto(live_server.url + results.replace("results", "compare"))

    assert page.get_by_role("heading", name="Scores side by side").is_visible()
    assert cut_off(page) == []
    axe_check(page, f"the comparison at {width} px")
