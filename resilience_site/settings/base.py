"""Settings shared by every environment.

Every value that differs per deployment comes from the environment; the
defaults here are safe for development only where a module says so.
"""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin, with the site's one login and the second step (accounts.admin_site).
    "accounts.admin_config.SiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "assessments",
    "access_log",
    "action_plans",
    "reports",
    "continuity",
    "documents",
    "questionnaire",
    "consultants",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether a second factor proved this session.
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "resilience_site.middleware.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "resilience_site.middleware.NoStoreMiddleware",
    # Last, as django-axes asks: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "resilience_site.urls"
WSGI_APPLICATION = "resilience_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]


def database_config() -> dict:
    """PostgreSQL when DATABASE_URL says so, else the embedded SQLite file.

    SQLite runs in WAL mode with IMMEDIATE transactions and a busy timeout so
    that concurrent autosaves queue for the write lock instead of failing with
    "database is locked" halfway through a transaction.
    """
    # Persistent connections (one per server thread), so no request pays for opening
    # one. 0 behind a transaction-pooling PgBouncer, which holds the connections itself.
    #
    # Why not Django's own pool (OPTIONS "pool", psycopg[pool]): measured by the fault drill
    # (docs/deployment.md, section 6), it makes an autosave no cheaper (9.9 against 9.8 ms
    # of server CPU, p50 within the host's noise), both recover from a PostgreSQL restart
    # in the same 3 s, and a pool is per process: with one thread per gunicorn worker it
    # never shares a connection, and holds four (its min_size) where one is used.
    # DATABASE_POOL=1 turns it on, to measure again (pip install ".[pool]").
    max_age = int(os.environ.get("DATABASE_CONN_MAX_AGE", "60"))
    url = os.environ.get("DATABASE_URL")
    if url and env_bool("DATABASE_POOL", False):
        config = dj_database_url.parse(url, conn_max_age=0)  # the pool refuses persistence
        config.setdefault("OPTIONS", {})["pool"] = True
        return config
    if url:
        return dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
        "CONN_MAX_AGE": max_age,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleAwareModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:after_login"
LOGOUT_REDIRECT_URL = "home"

# How many proxies in front of the app append to X-Forwarded-For; 0 trusts
# REMOTE_ADDR alone (accounts.throttle.client_ip).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Lock the visitor's address out after repeated failed logins, for an hour.
# Keyed on the address alone (which covers every address/email pair): a lock
# on the email would let anyone lock its owner out from everywhere.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"
# Failures during a lockout do not move its end further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The login form posts the email address in Django's "username" field.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "pages/accounts/locked_out.html"

# Two-step login (django-otp): consultants, firm admins and site admins must pass it
# before seeing any page (accounts.middleware); owners may turn it on. On unless a
# settings module says otherwise: the local demo turns it off (docs/demo.md).
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "SMB Resilience"
# Wrong codes are limited per account by accounts.throttle (LOGIN_CODES_PER_ACCOUNT),
# with a message that says to wait. django-otp's own back-off would also refuse a
# right code typed a second after a wrong one, and say only that it was wrong.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# The admin lists devices without their secret keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Uploaded and generated files (the reports' PDFs): private, never served from this directory.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def media_storage() -> dict:
    """Where the PDFs are stored: files under MEDIA_ROOT unless the environment names a backend.

    Several hosts share them through an object store with no code change
    (docs/deployment.md, section 8): MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage
    (pip install "django-storages[s3]") and MEDIA_STORAGE_OPTIONS, a JSON object of the
    backend's options ({"bucket_name": ..., "endpoint_url": ...}); boto3 reads the
    credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY itself.
    """
    backend = os.environ.get("MEDIA_STORAGE_BACKEND", "").strip()
    config = {"BACKEND": backend or "django.core.files.storage.FileSystemStorage"}
    raw = os.environ.get("MEDIA_STORAGE_OPTIONS", "").strip()
    if raw:
        try:
            options = json.loads(raw)
        except ValueError:
            options = None
        if not isinstance(options, dict):
            raise ImproperlyConfigured(
                'MEDIA_STORAGE_OPTIONS must be a JSON object, such as {"bucket_name": "pdfs"}.'
            )
        config["OPTIONS"] = options
    return config


STORAGES = {
    "default": media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work (rendering a report's PDF when the report changes) is queued in the
# database and run by `manage.py db_worker`: no other service to run.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The on-demand budget: a download prints a stale PDF while the person waits only when its
# HTML is at most this long; a longer one is left to the worker, and the download offers
# the last stored PDF meanwhile. Why this number: docs/deployment.md, "Bounds".
PDF_ON_DEMAND_MAX_HTML_BYTES = int(os.environ.get("PDF_ON_DEMAND_MAX_HTML_BYTES", "160000"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SMB Resilience <no-reply@localhost>")

# Sessions live in the database and are read through the cache: every signed-in
# request reads its session, and the cache answers without a query. This is
# only safe while every app server shares one cache (docs/deployment.md): a
# session ended on one server must not live on in another server's cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Private business data: sessions end after two hours without activity.
# SessionRefreshMiddleware moves the expiry forward at most once per
# SESSION_REFRESH_SECONDS, instead of SESSION_SAVE_EVERY_REQUEST's write per request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(2 * 60 * 60)))
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "60"))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
# The autosave script reads the CSRF token from the form, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CACHE_BACKENDS = {
    "file": "django.core.cache.backends.filebased.FileBasedCache",
    "database": "django.core.cache.backends.db.DatabaseCache",
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    "dummy": "django.core.cache.backends.dummy.DummyCache",
}


def cache_config() -> dict:
    """The cache (sessions are read through it): a file cache under VAR_DIR by default.

    One server can keep its cache on disk. Several app servers behind a load
    balancer should share one: DJANGO_CACHE_BACKEND=database (run
    ``manage.py createcachetable`` once) keeps it in PostgreSQL with no other
    service to run; "redis" or "memcached" need DJANGO_CACHE_LOCATION and their
    client library. A dotted backend path is accepted as it is.
    """
    name = os.environ.get("DJANGO_CACHE_BACKEND", "file").strip() or "file"
    backend = CACHE_BACKENDS.get(name, name)
    default_locations = {
        CACHE_BACKENDS["file"]: str(VAR_DIR / "cache"),
        CACHE_BACKENDS["database"]: "django_cache",
    }
    location = os.environ.get("DJANGO_CACHE_LOCATION") or default_locations.get(backend, "")
    config = {"BACKEND": backend}
    if location:
        config["LOCATION"] = location
    return {"default": config}


CACHES = cache_config()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "resilience": {"handlers": ["console"], "level": "INFO"},
    },
}

# A strict Content Security Policy: nothing inline, nothing from elsewhere.
# Templates carry no inline script or style; bar widths are CSS classes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
