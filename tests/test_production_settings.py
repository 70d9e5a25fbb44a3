"""The production settings as deployed: secure cookies, HSTS, headers, session timeout, caches.

The production module refuses to load without its environment, so these
tests import it in a subprocess with the environment set, and print what they
check as JSON.
"""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from assessments.services import assessment_start
from tests.conftest import REPO_DIR
from tests.factories import MembershipFactory

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "resilience_site.settings.production",
    "SECRET_KEY": "p" * 20 + "a-long-random-production-secret-0123456789",
    "ALLOWED_HOSTS": "resilience.example.com",
}
CHECKED = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "SESSION_REFRESH_SECONDS",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "MIDDLEWARE",
    "STORAGES",
    "CACHES",
    "ALLOWED_HOSTS",
    "DATABASES",
    "TWO_FACTOR_REQUIRED",
]


def python(code: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_DIR,
        env={"PATH": os.environ["PATH"], "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(tmp_path, **env) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {CHECKED!r}}}, default=str))"
    )
    result = python(code, {**PRODUCTION_ENV, **env}, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    return production_settings(tmp_path_factory.mktemp("var"))


def test_production_cookies_are_secure_and_out_of_reach_of_scripts(prod):
    assert prod["SESSION_COOKIE_SECURE"] is True
    assert prod["SESSION_COOKIE_HTTPONLY"] is True
    assert prod["CSRF_COOKIE_SECURE"] is True
    assert prod["CSRF_COOKIE_HTTPONLY"] is True
    assert prod["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_insists_on_https_for_a_year_with_hsts(prod):
    assert prod["DEBUG"] is False
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert prod["SECURE_HSTS_PRELOAD"] is True
    assert prod["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert prod["SECURE_REDIRECT_EXEMPT"] == ["^healthz/$"]
    assert prod["ALLOWED_HOSTS"] == ["resilience.example.com"]


def test_production_forbids_framing_sniffing_and_leaking_referrers(prod):
    assert prod["X_FRAME_OPTIONS"] == "DENY"
    assert prod["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert prod["SECURE_REFERRER_POLICY"] == "same-origin"
    assert prod["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    middleware = prod["MIDDLEWARE"]
    assert middleware[0] == "django.middleware.security.SecurityMiddleware"
    for name in (
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "csp.middleware.CSPMiddleware",
        "resilience_site.middleware.NoStoreMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        assert name in middleware


def test_production_sessions_end_after_two_hours_without_activity(prod):
    assert prod["SESSION_COOKIE_AGE"] == 2 * 60 * 60
    assert "resilience_site.middleware.SessionRefreshMiddleware" in prod["MIDDLEWARE"]
    assert prod["SESSION_REFRESH_SECONDS"] == 60


def test_server_threads_keep_their_database_connection_on_sqlite_and_postgresql(tmp_path, prod):
    assert prod["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert prod["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    postgres = production_settings(
        tmp_path, DATABASE_URL="postgres://app:secret@db.example:5432/resilience"
    )
    assert postgres["DATABASES"]["default"]["CONN_MAX_AGE"] == 60
    pooled = production_settings(tmp_path, DATABASE_CONN_MAX_AGE="0")
    assert pooled["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_production_serves_whitenoises_compressed_hashed_static_files(prod):
    backend = prod["STORAGES"]["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_requires_two_step_login_even_if_the_environment_says_no(tmp_path, prod):
    assert prod["TWO_FACTOR_REQUIRED"] is True
    assert "django_otp.middleware.OTPMiddleware" in prod["MIDDLEWARE"]
    assert production_settings(tmp_path, TWO_FACTOR_REQUIRED="false")["TWO_FACTOR_REQUIRED"]


def test_the_local_demo_keeps_its_password_only_logins_unless_asked(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TWO_FACTOR_REQUIRED)"
    )
    local = {"DJANGO_SETTINGS_MODULE": "resilience_site.settings.local"}
    assert python(code, local, tmp_path).stdout.strip() == "False"
    asked = python(code, {**local, "TWO_FACTOR_REQUIRED": "true"}, tmp_path)
    assert asked.stdout.strip() == "True"


def test_hsts_can_be_tuned_from_the_environment(tmp_path):
    prod = production_settings(tmp_path, SECURE_HSTS_SECONDS="3600", SECURE_HSTS_PRELOAD="false")
    assert prod["SECURE_HSTS_SECONDS"] == 3600
    assert prod["SECURE_HSTS_PRELOAD"] is False


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ALLOWED_HOSTS"}
    result = python("import django; django.setup()", env, tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list the host names" in result.stderr


# --- Real responses under the production settings ------------------------------------

RESPONSES = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_settings
from accounts.models import User
# Plain static storage: the hashed manifest would need a collectstatic first.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
call_command("migrate", verbosity=0)
User.objects.create_user("prod@example.com", "a sound passphrase 2026")
client = Client(HTTP_HOST="resilience.example.com")
plain = client.get("/accounts/login/")
health = client.get("/healthz/")
login_page = client.get("/accounts/login/", secure=True)
token = login_page.cookies["csrftoken"].value
logged_in = client.post(
    "/accounts/login/",
    {"username": "prod@example.com", "password": "a sound passphrase 2026",
     "csrfmiddlewaretoken": token},
    secure=True,
    HTTP_REFERER="https://resilience.example.com/accounts/login/",
)
def cookie(response, name):
    morsel = response.cookies[name]
    return {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
            "samesite": morsel["samesite"], "max_age": morsel["max-age"]}
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location"),
    "health_status": health.status_code,
    "login_status": login_page.status_code,
    "headers": {k: login_page.get(k) for k in (
        "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options",
        "Referrer-Policy", "Cross-Origin-Opener-Policy", "Cache-Control",
        "Content-Security-Policy")},
    "csrf_cookie": cookie(login_page, "csrftoken"),
    "logged_in_status": logged_in.status_code,
    "session_cookie": cookie(logged_in, "sessionid"),
}))
"""


@pytest.fixture(scope="module")
def responses(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("prod")
    env = {**PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    result = python(RESPONSES, env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https_but_the_health_check_is_not(responses):
    assert responses["plain_status"] == 301
    assert responses["plain_location"] == "https://resilience.example.com/accounts/login/"
    assert responses["health_status"] == 200


def test_production_pages_carry_every_security_header(responses):
    headers = responses["headers"]
    assert responses["login_status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in headers["Cache-Control"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_production_cookies_are_sent_secure_httponly_and_same_site(responses):
    assert responses["csrf_cookie"] == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
        "max_age": 31449600,
    }
    assert responses["logged_in_status"] == 302
    assert responses["session_cookie"] == {
        "secure": True,
        "httponly": True,
        "samesite": "Lax",
        "max_age": 7200,
    }


# --- Caches: shared between app servers when configured ------------------------------

CACHE_CODE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.CACHES['default']))"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}),
        (
            {"DJANGO_CACHE_BACKEND": "database"},
            {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"},
        ),
        (
            {"DJANGO_CACHE_BACKEND": "redis", "DJANGO_CACHE_LOCATION": "redis://cache:6379/1"},
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://cache:6379/1",
            },
        ),
        (
            {"DJANGO_CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        ),
    ],
)
def test_the_cache_is_chosen_from_the_environment(tmp_path, env, expected):
    result = python(CACHE_CODE, {**PRODUCTION_ENV, **env}, tmp_path)
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    if expected["BACKEND"].endswith("FileBasedCache"):
        expected = {**expected, "LOCATION": str(tmp_path / "cache")}
    assert config == expected


# --- No-store on private responses, and the sliding session ---------------------------


@pytest.fixture
def owner(mini_framework):
    return MembershipFactory(organization__name="Corner Bakery").user


@pytest.fixture
def assessment(owner):
    return assessment_start(organization=owner.memberships.get().organization, user=owner)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.mark.django_db
def test_the_autosave_json_and_the_section_page_are_never_stored(owner_client, assessment):
    page = owner_client.get(reverse("questionnaire:section", args=[assessment.pk, "operational"]))
    saved = owner_client.post(
        reverse("questionnaire:answer_autosave", args=[assessment.pk, "OP-F-01"]), {"choice": "2"}
    )
    refused = owner_client.post(
        reverse("questionnaire:answer_autosave", args=[assessment.pk, "OP-F-01"]), {"choice": "7"}
    )
    for response in (page, saved, refused):
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"no-store", "no-cache", "private", "max-age=0"} <= cache_control
    assert saved["Content-Type"] == "application/json"
    assert refused.status_code == 400


@pytest.mark.django_db
def test_each_request_gives_the_session_another_two_hours(owner_client, assessment):
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    response = owner_client.get(
        reverse("questionnaire:section", args=[assessment.pk, "operational"])
    )
    assert response.status_code == 200
    remaining = Session.objects.get().expire_date - timezone.now()
    assert timedelta(hours=2) - timedelta(minutes=1) < remaining <= timedelta(hours=2)
    assert response.cookies["sessionid"]["max-age"] == 7200


# The expired-session journey (redirect to login, every answer still there after
# logging in again) is tests/assessments/test_no_lost_answers.py's
# test_a_session_that_expires_mid_questionnaire_loses_no_answer.


def test_the_pdfs_move_to_an_object_store_by_the_environment_alone(tmp_path):
    """Several hosts share the PDFs through S3 (django-storages) with no change to the code."""
    settings = production_settings(
        tmp_path,
        MEDIA_STORAGE_BACKEND="storages.backends.s3.S3Storage",
        MEDIA_STORAGE_OPTIONS='{"bucket_name": "resilience-pdfs", "region_name": "eu-west-2"}',
    )

    assert settings["STORAGES"]["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "resilience-pdfs", "region_name": "eu-west-2"},
    }
    assert settings["STORAGES"]["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_storage_options_that_are_not_json_stop_the_start_with_a_clear_message(tmp_path):
    code = "import django; django.setup()"
    env = {**PRODUCTION_ENV, "MEDIA_STORAGE_OPTIONS": "bucket_name=resilience-pdfs"}

    result = python(code, env, tmp_path)

    assert result.returncode != 0
    assert "MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr
