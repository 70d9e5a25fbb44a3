"""No answer is ever lost: two tabs at once, stale tabs, a server restart, an expired session.

The concurrent tests use real threads against committed data (transactional
database), so the assessment row lock in ``services.answers_save`` and the
database's own locking are what keep both tabs' answers.
"""

import signal
import sqlite3
import threading
import time
from html.parser import HTMLParser

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from assessments.models import Answer
from assessments.services import assessment_start
from scripts.liveserver import Client as HttpClient
from scripts.liveserver import Gunicorn, app_env, parse_section, prepare_site
from tests.conftest import MINI_FRAMEWORK
from tests.factories import MembershipFactory

PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def section_url(assessment, pillar="operational"):
    return reverse("questionnaire:section", args=[assessment.pk, pillar])


def autosave_url(assessment, code):
    return reverse("questionnaire:answer_autosave", args=[assessment.pk, code])


def stored(assessment) -> dict:
    """code -> (choice as posted, note, revision) for every stored answer."""
    result = {}
    for a in Answer.objects.filter(assessment=assessment).select_related("question"):
        choice = str(a.value) if a.kind == Answer.Kind.OPTION else (a.kind or "")
        result[a.question.code] = (choice, a.note, a.revision)
    return result


def tab(owner) -> Client:
    """A browser tab with its own session, as after logging in on that tab."""
    client = Client()
    client.force_login(owner)
    return client


class _FormFields(HTMLParser):
    """What a browser posts for the page's form: checked radios, hidden inputs, textareas."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "textarea":
            self._textarea = name
            self.data[name] = ""
        elif (
            tag == "input"
            and name
            and name != "csrfmiddlewaretoken"
            and (attrs.get("type") != "radio" or "checked" in attrs)
        ):
            self.data[name] = attrs.get("value") or ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # Browsers drop the newline that follows <textarea>.
            name = self._textarea
            self.data[name] = self.data[name].removeprefix("\n")
            self._textarea = None


def page_data(response) -> dict:
    """What the section form posts back untouched: every field as the page shows it."""
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {name: value for name, value in parser.data.items() if value not in (None, "")}


def run_together(*jobs):
    """Run the jobs in threads released at the same instant; re-raise the first failure."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as exc:  # noqa: BLE001 - re-raised in the test thread below
            errors.append(exc)
        finally:
            # Each thread opened its own database connection; close it so the
            # test database can be flushed (and, on PostgreSQL, dropped).
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]


@pytest.fixture
def live_owner(transactional_db, mini_framework):
    return MembershipFactory(organization__name="Two Tabs Café").user


@pytest.fixture
def live_assessment(live_owner):
    organization = live_owner.memberships.get().organization
    return assessment_start(organization=organization, user=live_owner)


# --- Two tabs saving at once ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_tabs_autosaving_different_answers_at_once_keep_both(live_owner, live_assessment):
    first = ["OP-F-01", "OP-I-01", "OP-A-01", "FI-F-01", "FI-I-01", "FI-A-01"]
    second = ["AD-F-01", "AD-I-01", "AD-A-01", "TE-F-01", "TE-I-01", "TE-A-01"]
    sent = {}
    refused = []

    def tab_answering(codes):
        client = tab(live_owner)
        revisions = dict.fromkeys(codes, 0)
        for round_ in range(4):
            for i, code in enumerate(codes):
                choice = ["0", "2", "4"][(round_ + i) % 3]
                response = client.post(
                    autosave_url(live_assessment, code),
                    {"choice": choice, "note": f"round {round_}", "revision": revisions[code]},
                )
                if response.status_code != 200:
                    refused.append((code, response.status_code, response.content))
                    continue
                revisions[code] = response.json()["revision"]
                sent[code] = (choice, f"round {round_}", revisions[code])

    run_together(lambda: tab_answering(first), lambda: tab_answering(second))

    assert refused == []
    assert stored(live_assessment) == sent
    assert len(sent) == 12
    assert all(revision == 4 for _, _, revision in sent.values())


@pytest.mark.django_db(transaction=True)
def test_two_tabs_posting_the_same_old_section_form_at_once_keep_both_changes(
    live_owner, live_assessment
):
    """Both tabs loaded the page before either saved; each changed a different question."""
    tab_a, tab_b = tab(live_owner), tab(live_owner)
    data_a = page_data(tab_a.get(section_url(live_assessment)))
    data_b = page_data(tab_b.get(section_url(live_assessment)))
    data_a.update({"q-OP-F-01": "4", "note-OP-F-01": "written down", "save_stay": "1"})
    data_b.update({"q-OP-A-01": "na", "save_stay": "1"})
    statuses = []

    run_together(
        lambda: statuses.append(tab_a.post(section_url(live_assessment), data_a).status_code),
        lambda: statuses.append(tab_b.post(section_url(live_assessment), data_b).status_code),
    )

    assert statuses == [302, 302]
    assert stored(live_assessment) == {
        "OP-F-01": ("4", "written down", 1),
        "OP-A-01": ("na", "", 1),
    }


# --- A stale tab ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_stale_autosave_is_refused_with_409_and_the_stored_answer_is_unchanged(
    live_owner, live_assessment
):
    old_tab, new_tab = tab(live_owner), tab(live_owner)
    old_tab.get(section_url(live_assessment))  # loaded at revision 0
    saved = new_tab.post(
        autosave_url(live_assessment, "OP-F-01"), {"choice": "4", "note": "", "revision": 0}
    )
    assert saved.status_code == 200

    response = old_tab.post(
        autosave_url(live_assessment, "OP-F-01"), {"choice": "0", "note": "old", "revision": 0}
    )

    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "stale"
    assert body["current"] == {"choice": "4", "note": "", "revision": 1}
    assert "changed in another window" in body["message"]
    assert stored(live_assessment) == {"OP-F-01": ("4", "", 1)}


@pytest.mark.django_db(transaction=True)
def test_a_stale_section_form_saves_nothing_and_shows_the_newer_answer(live_owner, live_assessment):
    old_tab, new_tab = tab(live_owner), tab(live_owner)
    data = page_data(old_tab.get(section_url(live_assessment)))
    new_tab.post(autosave_url(live_assessment, "OP-F-01"), {"choice": "4", "revision": 0})
    data.update({"q-OP-F-01": "0", "q-OP-I-01": "2", "save_stay": "1"})

    response = old_tab.post(section_url(live_assessment), data)

    assert response.status_code == 400
    assert "changed in another window" in response.content.decode()
    # All or nothing: the fresh OP-I-01 answer waits for the owner's second choice.
    assert stored(live_assessment) == {"OP-F-01": ("4", "", 1)}


# --- A server restart between two saves -------------------------------------------------


def _answers_in_sqlite(path) -> dict:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT q.code, a.kind, a.value, a.revision FROM assessments_answer a "
            "JOIN assessments_question q ON q.id = a.question_id"
        ).fetchall()
    return {code: (kind, value, revision) for code, kind, value, revision in rows}


def test_answers_and_the_session_survive_a_server_crash_and_restart(tmp_path):
    """gunicorn is killed (SIGKILL, like a crashed host) between two saves."""
    env = app_env(var_dir=tmp_path, settings="local", extra={"DEBUG": "true"})
    site = prepare_site(env, framework=MINI_FRAMEWORK, owners=1)
    owner = site["owners"][0]
    section = f"/assessments/{owner['assessment']}/section/operational/"
    autosave = f"/assessments/{owner['assessment']}/answers/{{code}}/"
    server = Gunicorn(env, workers=1, threads=2)
    browser = HttpClient(server.port, secure=False)
    try:
        server.start()
        browser.login(owner["email"], site["password"])
        status, _, _ = browser.get(section)
        assert status == 200
        status, _, body = browser.post(
            autosave.format(code="OP-F-01"), {"choice": "2", "revision": 0}, csrf_header=True
        )
        assert (status, b'"saved"' in body) == (200, True)

        server.stop(signal.SIGKILL)
        browser.close()
        server.start()

        status, _, body = browser.post(
            autosave.format(code="OP-I-01"), {"choice": "4", "revision": 0}, csrf_header=True
        )
        assert (status, b'"saved"' in body) == (200, True), body[:300]
        status, _, body = browser.get(section)
        assert status == 200, "the session did not survive the restart"
        assert parse_section(body).checked == {"OP-F-01": "2", "OP-I-01": "4"}
    finally:
        server.stop()
    assert _answers_in_sqlite(env["SQLITE_PATH"]) == {
        "OP-F-01": ("option", 2, 1),
        "OP-I-01": ("option", 4, 1),
    }


# --- A session that expires mid-questionnaire -------------------------------------------


@pytest.mark.django_db
def test_a_session_that_expires_mid_questionnaire_loses_no_answer(
    client, settings, owner, assessment
):
    settings.SESSION_COOKIE_AGE = 2
    login = reverse("accounts:login")
    assert client.post(login, {"username": owner.email, "password": PASSWORD}).status_code == 302
    for code, choice in (("OP-F-01", "4"), ("OP-I-01", "0")):
        response = client.post(autosave_url(assessment, code), {"choice": choice, "revision": 0})
        assert response.status_code == 200

    time.sleep(2.5)  # two seconds without a request: the session ends

    response = client.get(section_url(assessment))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{login}?next=")
    response = client.post(autosave_url(assessment, "OP-A-01"), {"choice": "2", "revision": 0})
    assert response.status_code == 401, "an expired session must not save"
    assert response.json()["status"] == "login_required"
    response = client.post(
        f"{login}?next={section_url(assessment)}",
        {"username": owner.email, "password": PASSWORD, "next": section_url(assessment)},
    )
    assert response.status_code == 302
    assert response["Location"] == section_url(assessment)

    page = client.get(section_url(assessment))
    assert page.status_code == 200
    assert parse_section(page.content).checked == {"OP-F-01": "4", "OP-I-01": "0"}
    assert stored(assessment) == {"OP-F-01": ("4", "", 1), "OP-I-01": ("0", "", 1)}
