# Samspill — `make run` and `make test` work on a fresh clone with only Python 3.11+ installed.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000
export SAMSPILL_DATABASE_URL ?= sqlite:///instance/samspill.db
# a few points below the measured line + branch coverage of the whole suite (93.6 % in a clean
# clone's .ci/run, 2 December 2026)
COVERAGE_FLOOR := 90
# the whole suite runs in one worker per core (pytest-xdist); each worker has its own databases
TEST_WORKERS ?= auto

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Samspill needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations ## create .venv and install Samspill with its tools

translations: $(STAMP) ## compile the message catalogues
	@if ls webapp/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d webapp/translations; fi

i18n: $(STAMP) ## extract messages and update the catalogues
	$(BIN)/pybabel -q extract -F babel.cfg -k _l --sort-output -o webapp/translations/messages.pot .
	$(BIN)/pybabel -q update --no-fuzzy-matching -i webapp/translations/messages.pot -d webapp/translations

run: install ## migrate an SQLite database, load demo data and serve the UI
	$(BIN)/samspill init --demo
	$(BIN)/samspill serve --port $(PORT)

chromium: ## install Debian's chromium for the browser tests when it is missing
	@command -v chromium >/dev/null || { \
		echo "installing chromium for the browser tests"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" = 0 ] || echo sudo ) \
			apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

oidc: tests/oidc/node_modules/.installed ## install the local OpenID provider of the SSO tests (npm)

tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	@command -v npm >/dev/null || { echo "the SSO tests need node and npm (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	touch $@

test: install chromium oidc ## run the whole test suite (SQLite and PostgreSQL, browser included)
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

coverage: install chromium oidc ## the whole suite, failing below the coverage floor
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=15 --cov --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

test-unit: install ## unit tests only
	$(BIN)/python -m pytest tests/unit

test-integration: install ## engine tests on SQLite and PostgreSQL
	$(BIN)/python -m pytest tests/integration

test-web: install ## Flask test-client tests of pages and the API
	$(BIN)/python -m pytest tests/web

test-browser: install chromium ## browser journeys in headless Chromium
	$(BIN)/python -m pytest tests/browser

bench: install ## run the performance benchmarks (SPEC §6)
	$(BIN)/python -m bench

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install ## mypy on the engine and the web layer (stubs in typings/)
	$(BIN)/mypy

check: lint typecheck coverage ## what CI runs: lint, format, mypy, the whole suite, coverage

clean: ## remove the virtualenv, caches and the development database
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache tests/artifacts

.PHONY: help install translations i18n run chromium oidc test test-unit test-integration test-web \
	test-browser coverage bench lint fmt typecheck check clean
