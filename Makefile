# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install system-deps run serve test lint pytest bench loadtest drill clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip "setuptools>=68"
	$(PY) -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian packages: WeasyPrint's Pango, fonts, and Chromium for the browser tests.
system-deps:
	@missing=""; \
	ldconfig -p | grep -q libpango-1.0.so || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	fc-list | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	fc-list | grep -qi "liberation sans" || missing="$$missing fonts-liberation"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# The app with demo data on SQLite at http://127.0.0.1:8000, with the worker that
# renders PDF reports beside it; stopping the server stops the worker. Safe to run again.
run: install
	$(PY) manage.py migrate --noinput
	# Oldest first: the last new version imported is the active one.
	$(PY) manage.py import_framework fixtures/framework.yaml
	$(PY) manage.py import_framework fixtures/framework-2026.2.yaml
	$(PY) manage.py import_framework fixtures/framework-2026.3.yaml
	$(PY) manage.py load_demo_data
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet
	$(VENV)/bin/lint-imports

# The whole suite, browser tests included. pytest's exit code 5 (no tests
# collected) is a failure too: a suite that runs nothing proves nothing.
pytest: install system-deps
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; fi; \
	exit $$rc

test: lint pytest

bench: install system-deps
	$(PY) -m bench

# 50 simulated owners autosaving against gunicorn for 60 s, on SQLite and on
# PostgreSQL 15 (started with pg_ctlcluster when needed). LOADTEST_SECONDS=10
# for a short run; LOADTEST_DATABASES=sqlite for one database. LOADTEST_MODE=realistic:
# 300 owners log in over a ramp, then each saves an answer every 5 s and opens a
# section page every 60 s; every acknowledged save is checked in the database.
loadtest: install
	$(PY) -m scripts.loadtest

# Two gunicorn app servers, two PDF workers, a PostgreSQL 15 cluster of its own and the
# database cache, and six faults while owners save (docs/deployment.md, "The fault drill").
# Needs root (it runs PostgreSQL as postgres and bind-mounts MEDIA_ROOT read-only); not
# part of CI. DRILL_CAPACITY=300,500 adds the one-server/two-server capacity comparison.
drill: install
	DRILL_CAPACITY=$${DRILL_CAPACITY-300,500} $(PY) -m scripts.drill

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
