# City Digital Readiness. Three targets, names fixed: install, run, test (what CI runs); and
# test-fast, the quick loop while working.
SHELL := /bin/bash
.DEFAULT_GOAL := run
.PHONY: install run test test-fast checks

# Debian's own python3.11 first: it is built with PGO and LTO, and renders a briefing about a fifth
# faster than a plain source build of 3.11 (pyenv's default, first on PATH here). Any 3.11 works.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) $(shell command -v python3.11 || command -v python3))
VENV := .venv
UV_VERSION := 0.13.9
# WeasyPrint's libraries (the subset one makes PDF writing much faster), Liberation Sans (the
# free font with Arial's metrics, which briefings ask for), Chromium for the browser tests,
# poppler-utils to look at rendered PDFs.
DEBIAN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	fonts-liberation chromium poppler-utils

install: $(VENV)/.synced node_modules/.synced static/build/app.css var
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "These Debian packages are missing: $$missing"; \
	    echo "Run: sudo apt-get update && sudo apt-get install -y $$missing"; \
	    exit 1; \
	  fi; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/bin/uv: $(VENV)/bin/python
	$(VENV)/bin/python -m pip install -q "uv==$(UV_VERSION)"

$(VENV)/.synced: requirements-dev.lock $(VENV)/bin/uv
	$(VENV)/bin/uv pip sync -q --python $(VENV)/bin/python requirements-dev.lock
	@touch $@

node_modules/.synced: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/app.css: node_modules/.synced $(wildcard static/src/*)
	npm run -s build

var:
	mkdir -p var

run: install
	scripts/run-local.sh

# The guard rails, then every test; the 15 slowest are listed at the end.
test: install checks
	$(VENV)/bin/pytest --durations=15

# Everything but the browser and real-worker tests, on both cores.
test-fast: install checks
	$(VENV)/bin/pytest -q -m "not browser and not worker" -n 2

checks:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/python manage.py makemigrations --check --dry-run
