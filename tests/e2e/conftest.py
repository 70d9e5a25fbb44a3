"""Browser tests: Playwright's sync API driving Debian's Chromium against live_server.

Playwright runs an event loop in the test thread, which Django's async-safety
check mistakes for async code; the tests are synchronous, so it is safe to
switch the check off here.
"""

import os
import shutil

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server shares two cores with the browser and, in CI, with installs
# and the database: give each expectation time before calling it a failure.
expect.set_options(timeout=15_000)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def axe_check():
    """Run axe-core (bundled in axe-playwright-python) and fail on serious or critical issues."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label: str):
        results = axe.run(page)
        bad = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(n["target"][0] for n in v["nodes"][:3])
            for v in bad
        ]
        assert not bad, f"axe found serious issues on {label}:\n" + "\n".join(details)

    return check


@pytest.fixture
def framework_loaded(transactional_db):
    """The 12-question framework, imported for a live-server test."""
    from assessments.services import framework_import
    from tests.conftest import MINI_FRAMEWORK

    return framework_import(path=MINI_FRAMEWORK).framework


# What "cut off" means on a page: the page scrolls sideways, or a box inside
# <main> holds content wider than itself (a table in a scroller whose last
# columns hide). Form fields scroll their own text, and visually hidden text
# is clipped on purpose: neither counts.
OVERFLOW_CHECK = """() => {
  const cut = [];
  for (const e of document.querySelectorAll('main *')) {
    // A box one pixel wide is the visually-hidden idiom: clipped on purpose.
    const hidden = e.closest('.visually-hidden') || e.clientWidth <= 1;
    if (hidden || e.matches('input, textarea, select')) continue;
    if (getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1) {
      const name = [e.tagName.toLowerCase(), ...e.classList].join('.');
      cut.push(`${name} (${e.scrollWidth} px in ${e.clientWidth} px)`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) {
    cut.push(`the page (${document.documentElement.scrollWidth} px in ${window.innerWidth} px)`);
  }
  return cut;
}"""


def cut_off(page) -> list[str]:
    """What on the open page does not fit its width (empty when everything does)."""
    return page.evaluate(OVERFLOW_CHECK)


def pass_code_step_if_asked(page, email: str) -> None:
    """After the password: type the code of the person's authenticator app, if asked for one.

    The code is computed from the device's key, as the app on a phone does.
    """
    import re

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import totp_code

    expect(page).not_to_have_url(re.compile(r"/accounts/login/(\?.*)?$"))
    if "/accounts/login/code/" not in page.url:
        return
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.fill("#id_code", totp_code(device))
    page.click("input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/code/"))
