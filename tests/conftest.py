"""Shared fixtures: the framework files and the people who use the product."""

import time
from pathlib import Path

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
REPO_DIR = Path(__file__).resolve().parent.parent
MINI_FRAMEWORK = DATA_DIR / "mini_framework.yaml"
FULL_FRAMEWORK = REPO_DIR / "fixtures" / "framework.yaml"
# Version 2026.2; FULL_FRAMEWORK (2026.1) stays for older assessments and most tests.
NEW_FRAMEWORK = REPO_DIR / "fixtures" / "framework-2026.2.yaml"
# The bank new assessments are answered on (`make run` imports it last, so it is active).
CURRENT_FRAMEWORK = REPO_DIR / "fixtures" / "framework-2026.3.yaml"


@pytest.fixture
def mini_framework_data() -> dict:
    """The 12-question test framework as a dict, to mutate into bad files."""
    return yaml.safe_load(MINI_FRAMEWORK.read_text())


@pytest.fixture
def write_framework(tmp_path):
    """Write a framework dict (or raw text) to a file and return its path."""

    def write(content, name="framework.yaml") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text)
        return path

    return write


@pytest.fixture
def mini_framework(db):
    """The 12-question framework, imported and active."""
    from assessments.services import framework_import

    return framework_import(path=MINI_FRAMEWORK).framework


@pytest.fixture(autouse=True)
def _fresh_scoring_framework_cache():
    """Each test starts with a cold framework cache, as on PostgreSQL, whose ids never repeat.

    SQLite reuses row ids after a rollback, so without this a test could be
    served a framework cached by an earlier one and count fewer queries.
    """
    from assessments.selectors import framework_cache_clear

    framework_cache_clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


# --- Two-step login ---------------------------------------------------------------------
# The test settings require it, as production does: a consultant or an admin
# reaches their pages only in a session a second factor has verified.


def totp_code(device) -> str:
    """The code the person's authenticator app shows, as a device will accept it now.

    A device accepts each time step's code once, and one step either side of
    now: when this step's code was used already (a second sign-in within 30
    seconds), the app's next code is the one that works.
    """
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def two_factor_device(user):
    """The user's confirmed authenticator app, set up now if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app")


def verified_login(client, user):
    """``client.force_login(user)``, in a session verified by the user's second factor.

    For consultants and admins, whose pages need it; the flow itself (password,
    then code) is tested in tests/accounts/test_two_factor.py and the browser tests.
    """
    import django_otp
    from django.http import HttpRequest

    device = two_factor_device(user)
    client.force_login(user)
    request = HttpRequest()
    request.user, request.session = user, client.session
    django_otp.login(request, device)
    request.session.save()
    return device
