"""The browser's autosave keeps a save that failed because its server died, and retries it
until it is stored: however long the server stays down, no answer given is dropped.

The app runs under real gunicorn (killed with SIGKILL, like a crashed host) on SQLite in a
temporary directory. The page's clock is Playwright's, so the retries' back-off passes in
an instant: the test takes seconds, not the minutes it simulates.
"""

import signal
import sqlite3

from playwright.sync_api import expect

from scripts.liveserver import Gunicorn, app_env, prepare_site
from tests.conftest import MINI_FRAMEWORK


def stored_answers(path) -> dict:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT q.code, a.value, a.revision FROM assessments_answer a "
            "JOIN assessments_question q ON q.id = a.question_id"
        ).fetchall()
    return {code: (value, revision) for code, value, revision in rows}


def test_an_answer_given_as_its_server_dies_is_retried_until_stored(browser, tmp_path):
    env = app_env(var_dir=tmp_path, settings="local", extra={"DEBUG": "true"})
    site = prepare_site(env, framework=MINI_FRAMEWORK, owners=1)
    owner = site["owners"][0]
    server = Gunicorn(env, workers=1, threads=2)
    page = browser.new_context().new_page()
    try:
        server.start()
        base = f"http://127.0.0.1:{server.port}"
        page.clock.install()
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", owner["email"])
        page.fill("#id_password", site["password"])
        page.click("input[type=submit]")
        expect(page).not_to_have_url(f"{base}/accounts/login/")
        page.goto(f"{base}/assessments/{owner['assessment']}/section/operational/")
        state = page.locator('[data-question-card="OP-F-01"] [data-save-state]')

        # The server dies as the answer is on its way to it.
        page.route("**/answers/OP-F-01/", lambda route: (server.stop(signal.SIGKILL),
                                                         route.continue_()), times=1)  # fmt: skip
        page.locator('input[name="q-OP-F-01"][value="2"]').check()
        expect(state).to_contain_text("Not saved")

        # Down for ten minutes: the script goes on trying, and says the answer is not saved.
        for _ in range(20):
            page.clock.run_for(30_000)
            expect(state).to_contain_text("Not saved")
        assert stored_answers(env["SQLITE_PATH"]) == {}

        server.start()
        page.clock.run_for(60_000)
        expect(state).to_have_text("Saved")
    finally:
        page.context.close()
        server.stop()
    assert stored_answers(env["SQLITE_PATH"]) == {"OP-F-01": (2, 1)}
