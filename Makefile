# The two commands a newcomer needs: `make run` (the whole system, embedded, with demo data)
# and `make test` (every test, real servers included). Each installs what it needs.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test lint unit stack bench schemas migration clean

help:
	@echo "make run     - start the whole system on http://127.0.0.1:8000 (embedded, demo data)"
	@echo "make test    - install, lint, and run every test (unit, contract, integration, e2e)"
	@echo "make stack   - every service as its own processes on PostgreSQL, tansu, moto, SMTP"
	@echo "make bench   - benchmarks (site-data validation speed and memory)"
	@echo "make schemas - regenerate docs/events (JSON Schemas + AsyncAPI) from the event models"

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m services.cli run

lint: install
	$(PY) -m ruff check shared services tests benchmarks
	$(PY) -m mypy shared services

test: install lint
	$(PY) -m pytest -p no:cacheprovider -q tests

unit: install
	$(PY) -m pytest -q tests/unit

stack: install
	$(PY) -m services.gateway.stack_main

bench: install
	$(PY) -m benchmarks.sitedata_validate

schemas: install
	$(PY) -m shared.events.schemas

# make migration SERVICE=sitedata MESSAGE="add a column"
migration: install
	$(PY) -m shared.db.revise $(SERVICE) "$(MESSAGE)"

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
