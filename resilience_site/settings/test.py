"""Test settings: fast hashing, in-memory email and cache, no lockout noise."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks are recorded, not run: no test waits for a PDF it does not ask for. Tests of
# the rendering switch to the immediate backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
MEDIA_ROOT = VAR_DIR / "test-media"
# As in production: tests of consultants' pages sign in with a second factor
# (tests/conftest.py, verified_login).
TWO_FACTOR_REQUIRED = True
# A file, not memory, so the tests exercise the real WAL set-up and the live
# server's threads share it; one file per process, so parallel runs never
# delete each other's tables.
if not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["NAME"] = str(VAR_DIR / "test.sqlite3")  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-run-{os.getpid()}.sqlite3")
    }
# Close connections after each request, so the live server's threads leave
# none open when pytest drops the PostgreSQL test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
