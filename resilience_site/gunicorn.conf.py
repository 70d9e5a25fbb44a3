"""gunicorn settings: ``gunicorn -c resilience_site/gunicorn.conf.py resilience_site.wsgi``.

Every value can be overridden from the environment, so one file serves a
laptop, a CI load test and a production host. docs/deployment.md explains
the choices.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes: the usual 2 x cores + 1. WEB_CONCURRENCY is the name most
# platforms (Heroku, Render, Dokku) already set.
workers = _int("WEB_CONCURRENCY", _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))

# One thread per worker by default. A request here is mostly Python (templates,
# forms), not waiting: threads in one process take turns on the GIL, so a
# section page rendering in one thread would hold up the autosaves of the others
# (docs/deployment.md has the load test's numbers). gthread still watches idle
# keep-alive connections without a thread each. Each thread holds its own
# database connection: workers x threads must stay below PostgreSQL's
# max_connections on every server together.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 1)

# Recycle a worker now and then, as a safety net against memory that grows.
# Rarely: a new worker loads the whole app before it answers, stalling the
# saves queued on it, and a web worker's memory stays flat, so recycling often
# buys nothing. Jitter keeps workers from restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 1_000)

# A PDF report takes a second or two; 60 s leaves room on a slow host
# without letting a stuck request hold a worker for ever.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Access log off by default (the proxy in front keeps one); "-" for stdout.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Trust X-Forwarded-* only from the proxy in front (a comma-separated list).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The workers' heartbeat files; in containers, GUNICORN_WORKER_TMP_DIR=/dev/shm
# keeps them off a possibly slow overlay disk.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None

# gunicorn 24+ opens a control socket at one fixed path per user, which
# several instances on a host (tests, the load test) would fight over. Off
# unless a path is given; older gunicorn versions ignore both names.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
