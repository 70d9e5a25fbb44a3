"""Operational scripts: the load test, the backup check, and the gunicorn harness they share."""
