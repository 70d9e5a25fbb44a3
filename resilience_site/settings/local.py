"""Development settings: DEBUG on, console email, a secret kept in var/."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool


def _development_secret_key() -> str:
    """Generate the development key once and keep it out of git, under var/."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The demo keeps its one-password logins (docs/demo.md); TWO_FACTOR_REQUIRED=true to try it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
