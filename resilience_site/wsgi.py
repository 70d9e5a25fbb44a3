"""WSGI entry point for gunicorn: ``gunicorn resilience_site.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resilience_site.settings.production")

application = get_wsgi_application()
