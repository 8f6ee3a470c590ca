# The two commands a newcomer needs: `make run` (the whole system, embedded, with demo data)
# and `make test` (every test, real servers included). Each installs what it needs.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM := /usr/bin/chromium

.DEFAULT_GOAL := help
.PHONY: help install run test lint unit browser browser-deps stack-deps stack bench bench-e2e load deploy deploy-check schemas migration clean

help:
	@echo "make run     - start the whole system on http://127.0.0.1:8000 (embedded, demo data)"
	@echo "make test    - install, lint, and run every test (unit, contract, integration, e2e, browser)"
	@echo "make browser - the browser journeys alone (Playwright + Debian's Chromium, axe-core)"
	@echo "make stack   - every service as its own processes on PostgreSQL, tansu, moto, SMTP, nginx"
	@echo "make bench   - site-data validation speed and memory, per file shape (one JSON line each)"
	@echo "make bench-e2e - a 59 MB monthly file from upload to e-mail on the real stack"
	@echo "               (ARGS=--embedded: on make run's system; ARGS=--surge: 50 accounts at once)"
	@echo "make load    - load on the real stack: 20 uploads in flight + 200 reads/s for 60 s"
	@echo "make deploy  - regenerate deploy/ (compose, nginx, Kubernetes) from the code"
	@echo "make deploy-check - validate deploy/ (compose spec, Kubernetes schemas; no engine)"
	@echo "make schemas - regenerate docs/events (JSON Schemas + AsyncAPI) from the event models"

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# The portal's GC Design System assets and axe-core, served from node_modules (never committed).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Debian's Chromium for the browser tests (no browser download); skipped when present.
browser-deps:
	@test -x $(CHROMIUM) || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

install: $(STAMP) $(NODE_STAMP)

run: install
	MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=65536 $(PY) -m services.cli run

lint: install
	$(PY) -m ruff check shared services tests benchmarks deploy
	$(PY) -m mypy shared services

# nginx in front of `make stack`, as in production (services/gateway/nginx.py); skipped when present.
stack-deps:
	@test -x /usr/sbin/nginx || command -v nginx >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light || \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }

test: install lint browser-deps stack-deps
	$(PY) -m pytest -p no:cacheprovider -q tests

browser: install browser-deps
	$(PY) -m pytest -p no:cacheprovider -q tests/browser

unit: install
	$(PY) -m pytest -q tests/unit

# make stack PORT=8200: the gateway on another port
PORT ?= 8000
stack: install stack-deps
	$(PY) -m services.gateway.stack_main --port $(PORT)

bench: install
	$(PY) -m benchmarks.sitedata_validate $(ARGS)

# make bench-e2e [ARGS="--embedded" | ARGS="--surge" | ARGS="--shape quoted"]
bench-e2e: install stack-deps
	$(PY) -m benchmarks.e2e $(ARGS)

load: install stack-deps
	$(PY) -m benchmarks.load

deploy: install
	$(PY) -m deploy.render

deploy-check: install
	$(PY) -m deploy.render --check
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec deploy/compose.yaml
	$(PY) -m pytest -p no:cacheprovider -q tests/deploy

schemas: install
	$(PY) -m shared.events.schemas

# make migration SERVICE=sitedata MESSAGE="add a column"
migration: install
	$(PY) -m shared.db.revise $(SERVICE) "$(MESSAGE)"

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
