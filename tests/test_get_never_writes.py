"""Opening a page never writes: every GET an owner or a consultant makes only reads.

The pages are those of the access matrix (tests/test_url_access_matrix.py),
opened by their rightful user after logging in. Django's own writes on a
request (the session row, axes' access log, the user's last login) are left
out, and so are the PDF downloads: storing the PDF a download had to render
fills a cache (documents.services), it changes nothing a person wrote. A
consultant's look at a client's data is recorded on purpose: that row is the
owner's "Access to your data" list (access_log), and it is the only write.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from continuity.models import ContinuityPlan
from tests.conftest import verified_login

from .test_url_access_matrix import ROUTES, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
DJANGOS_OWN = re.compile(r'"?(django_session|axes_\w+)"?|"accounts_user"\s+SET\s+"last_login"')
ACCESS_RECORD = re.compile(r'^\s*INSERT INTO "access_log_accessrecord"', re.IGNORECASE)
STORES_A_PDF = {
    "documents:report_pdf",
    "documents:continuity_plan_pdf",
    "documents:consultant_continuity_plan_pdf",
}

PAGES = sorted(
    name
    for name, route in ROUTES.items()
    if route.scope in ("owner", "consultant")
    and "GET" in route.methods
    and name not in STORES_A_PDF
)


def writes_of(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured
        if WRITE.match(q["sql"])
        and not DJANGOS_OWN.search(q["sql"])
        and not ACCESS_RECORD.match(q["sql"])
    ]


@pytest.mark.parametrize("name", PAGES)
def test_opening_a_page_writes_nothing(client, world, name):  # noqa: F811
    route = ROUTES[name]
    tenant = world.b
    if route.scope == "owner":
        client.force_login(tenant.owner)
    else:
        verified_login(client, tenant.consultant)
    for kwargs in route.arguments(tenant, world, attack=False):
        url = reverse(name, kwargs=kwargs)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code in (200, 302), url
        assert writes_of(captured) == [], url


def test_opening_the_plans_of_a_business_without_any_writes_nothing(client, world):  # noqa: F811
    tenant = world.a
    ContinuityPlan.objects.filter(organization=tenant.organization).delete()
    tenant.organization.action_items.all().delete()
    client.force_login(tenant.owner)
    for name in (
        "questionnaire:owner_home",
        "action_plan:plan",
        "continuity:plan",
        "continuity:markdown",
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        assert writes_of(captured) == [], name
    assert not ContinuityPlan.objects.filter(organization=tenant.organization).exists()
