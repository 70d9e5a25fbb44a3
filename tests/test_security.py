"""Headers every response carries, because every page may hold private business data."""

import logging

import pytest

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    return client.get("/")


def test_every_page_has_a_strict_content_security_policy(page):
    policy = page["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_pages_forbid_caching_framing_and_sniffing(page):
    assert "no-store" in page["Cache-Control"]
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"


def test_no_template_uses_inline_script_or_style():
    """A strict CSP would silently break them; keep them out of every template."""
    import re

    from tests.conftest import REPO_DIR

    offenders = []
    for path in (REPO_DIR / "templates").rglob("*.html"):
        if "templates/pdf" in str(path):
            continue  # WeasyPrint output never meets a browser's CSP
        text = path.read_text()
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\sstyle=\"", text)
            or "<style" in text
        ):
            offenders.append(str(path.relative_to(REPO_DIR)))
    assert offenders == []


def test_refused_access_is_logged(client, caplog):
    owner = MembershipFactory().user
    client.force_login(owner)
    with caplog.at_level(logging.WARNING, logger="resilience.access"):
        response = client.get("/assessments/4242/review/")
    assert response.status_code == 404
    assert "refused access to assessments.Assessment 4242" in caplog.text


def test_failed_logins_are_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        client.post("/accounts/login/", {"username": "who@example.com", "password": "wrong"})
    assert "login failure" in caplog.text.lower()
