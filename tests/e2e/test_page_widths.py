"""Pages read on a phone (390 px) and a laptop (1,280 px) without anything cut off.

The pages are opened with the demo data, whose longest names and fullest
tables are what an owner with a year of assessments and a consultant with
fifteen clients see. Each page also passes axe at both widths.
"""

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Organization, User
from action_plans.models import ActionItem
from assessments.models import Assessment
from tests.conftest import verified_login
from tests.e2e.conftest import cut_off

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OWNER = "owner@brightwater-bakery.example"
# The demo business with an assessment still being answered.
ANSWERING = "owner@harbourside-dental.example"
FIRM_ADMIN = "amara.okafor@harbour-resilience.example"


def bakery() -> Organization:
    return Organization.objects.get(name="Brightwater Bakery")


def in_progress(path: str) -> str:
    answering = Assessment.objects.get(
        organization__name="Harbourside Dental Practice", status=Assessment.Status.IN_PROGRESS
    )
    return f"/assessments/{answering.pk}/{path}/"


def first_open_action() -> str:
    item = ActionItem.objects.filter(organization=bakery(), status="todo").order_by("pk").first()
    return f"/plan/actions/{item.pk}/"


def latest_report(path: str) -> str:
    latest = Assessment.objects.submitted().filter(organization=bakery()).latest("submitted_at")
    return f"/assessments/{latest.pk}/{path}/"


# (who, a page's path or how to find it, a heading it shows)
PAGES = [
    (OWNER, "/assessments/", "Brightwater Bakery"),
    (OWNER, lambda: latest_report("results"), "Summary"),
    (OWNER, lambda: latest_report("compare"), "Scores side by side"),
    (OWNER, "/plan/", "Your next steps"),
    (OWNER, first_open_action, "History"),
    (OWNER, "/continuity/", "Continuity plan"),
    (OWNER, "/continuity/contacts/", "People and contacts"),
    (OWNER, "/continuity/activities/", "Critical activities"),
    (OWNER, "/continuity/data/", "Data and systems"),
    (ANSWERING, lambda: in_progress("section/operational"), "Operational resilience"),
    (ANSWERING, lambda: in_progress("review"), "Review and submit"),
    (OWNER, "/accounts/business/access/", "Access to your data"),
    (FIRM_ADMIN, "/consultant/", "Clients"),
    (FIRM_ADMIN, "/consultant/portfolio/", "Portfolio"),
    (FIRM_ADMIN, lambda: f"/consultant/clients/{bakery().pk}/", "Brightwater Bakery"),
    (FIRM_ADMIN, "/consultant/invitations/", "Invite a client"),
    (FIRM_ADMIN, "/consultant/team/", "Team"),
]


@pytest.fixture
def demo(transactional_db):
    call_command("import_framework", "fixtures/framework.yaml", verbosity=0)
    call_command("load_demo_data", "--i-know-this-is-not-production", verbosity=0)


def signed_in_context(browser, live_server, email, width):
    """A browser whose session is the user's, second step passed (tested on its own)."""
    client = Client()  # one each: a second login on one client would end the first session
    verified_login(client, User.objects.get(email=email))
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("width", (390, 1280))
def test_every_main_page_fits_the_screen(browser, live_server, demo, axe_check, width):
    contexts = {}
    problems = {}
    for who, path, heading in PAGES:
        if who not in contexts:
            contexts[who] = signed_in_context(browser, live_server, who, width)
        page = contexts[who].new_page()
        url = path() if callable(path) else path
        page.goto(live_server.url + url)
        assert page.get_by_role("heading", name=heading).first.is_visible(), url
        if cut := cut_off(page):
            problems[url] = cut
        axe_check(page, f"{url} at {width} px")
        page.close()
    assert problems == {}
