"""Sessions end after two hours without activity, yet a page view does not rewrite the session."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from resilience_site.middleware import SessionRefreshMiddleware
from tests.factories import MembershipFactory

PASSWORD = "a-Long-enough-pass-2026"


@pytest.fixture
def owner(db):
    user = MembershipFactory(organization__name="Corner Bakery").user
    user.set_password(PASSWORD)
    user.save()
    return user


def _log_in(client, owner):
    response = client.post(
        reverse("accounts:login"), {"username": owner.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return Session.objects.get(session_key=client.session.session_key)


def _session_writes(queries) -> list[str]:
    writes = ("UPDATE", "INSERT")
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(writes)
    ]


def test_page_views_within_the_refresh_interval_never_write_the_session(client, owner):
    _log_in(client, owner)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            assert client.get(reverse("questionnaire:owner_home")).status_code == 200
    assert _session_writes(ctx.captured_queries) == []


def test_a_page_view_after_the_interval_moves_the_expiry_two_hours_on(client, owner, settings):
    session_row = _log_in(client, owner)
    # As if the last refresh was ten minutes ago and the session has five minutes left.
    session = client.session
    session[SessionRefreshMiddleware.TOUCHED_KEY] -= 600
    session.save()
    Session.objects.filter(pk=session_row.pk).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )

    assert client.get(reverse("questionnaire:owner_home")).status_code == 200

    expiry = Session.objects.get(pk=session_row.pk).expire_date
    expected = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert abs((expiry - expected).total_seconds()) < 30
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE


def test_a_session_past_its_expiry_is_logged_out_even_if_refreshed_recently(client, owner):
    _log_in(client, owner)
    # The session (in the database and in the cache it is read through) ends in a second.
    session = client.session
    session.set_expiry(1)
    session.save()
    time.sleep(1.2)
    response = client.get(reverse("questionnaire:owner_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_requests_store_no_session(client, db):
    for url in ("/healthz/", reverse("home"), reverse("accounts:login")):
        response = client.get(url)
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
