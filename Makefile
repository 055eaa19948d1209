# port-assess: `make run` serves the app on SQLite; `make test` runs the whole suite.
# Both work on a fresh machine with Python 3.11+: they create .venv and install into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# No request renders a PDF (report workers do), so no page needs more than this; a render has
# its own limit (ASSESSMENT_REPORT_TIMEOUT_SECONDS) in the worker.
REQUEST_TIMEOUT ?= 60
INSTANCE ?= $(CURDIR)/instance

# Debian packages: WeasyPrint's libraries and the report's font; Chromium for browser tests.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
TEST_PACKAGES := chromium poppler-utils

.PHONY: install system browser run test test-deep lint format clean scan translations translations-init

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Interface translations: the catalogues (.po) are in git, the compiled .mo files are built here.
CATALOGUES := $(wildcard assessment/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
assessment/translations/%/LC_MESSAGES/messages.mo: assessment/translations/%/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/pybabel compile --domain messages -i $< -o $@

install: $(BIN)/.installed $(COMPILED)

# After changing interface strings: extract them and add the new ones to every catalogue
# (then translate the empty msgstr entries; `make test` fails while one is missing).
translations: $(BIN)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F assessment/translations/babel.cfg \
		-k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k AnswerError -k Phrase -o assessment/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i assessment/translations/messages.pot \
		-d assessment/translations

# A new language: make translations-init LANGUAGE=pl, then add it to assessment/i18n.py.
translations-init: translations
	$(BIN)/pybabel init -i assessment/translations/messages.pot -d assessment/translations -l $(LANGUAGE)

# Secret: ASSESSMENT_SECRET_KEY if you set it, else a random one kept in instance/secret_key.
run: export ASSESSMENT_SECRET_KEY_FILE ?= $(INSTANCE)/secret_key
run: install system
	mkdir -p $(INSTANCE)
	@if [ -z "$$ASSESSMENT_SECRET_KEY" ]; then $(BIN)/port-assess init-secret "$$ASSESSMENT_SECRET_KEY_FILE"; fi
	$(BIN)/port-assess db upgrade
	$(BIN)/port-assess questionnaire import --shipped
	$(BIN)/port-assess user ensure-admin
	@echo "Serving on http://$(HOST):$(PORT), with a report worker (Ctrl-C stops both)"
	@$(BIN)/port-assess worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers $(WORKERS) --timeout $(REQUEST_TIMEOUT) --bind $(HOST):$(PORT) \
		--access-logfile - 'assessment:create_app()'

# Install missing Debian packages when we may (root with apt); otherwise say what is missing.
define ensure_packages
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ] && command -v dpkg >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing $$missing"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
		else \
			echo "Missing Debian packages: $$missing. Install them: $(2)"; \
		fi; \
	fi
endef

system:
	$(call ensure_packages,$(RUN_PACKAGES),PDF reports need them)

browser:
	$(call ensure_packages,$(TEST_PACKAGES),browser and PDF layout tests need them (CI=true fails without))

test: install system browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r assessment -ll
	$(BIN)/pytest -n auto

# The same suite with thorough property tests (500 examples each instead of 40).
test-deep: export HYPOTHESIS_PROFILE = thorough
test-deep: test

# Attack a local instance with wapiti and sqlmap (from PyPI, in their own venv because their
# dependencies clash with ours), logged in as an officer and as the administrator with the
# scanners' own User-Agent (checked before each scanner runs). Reports and a summary (how many
# authenticated URLs and parameters were attacked) under instance/scan/; fails if a scanner was
# sent to the login page. SCAN_MINUTES bounds each scanner run.
SCAN_MINUTES ?= 10
.venv-scan/bin/.installed:
	$(PYTHON) -m venv .venv-scan
	.venv-scan/bin/pip install --quiet --upgrade pip
	.venv-scan/bin/pip install --quiet 'wapiti3>=3.2' 'sqlmap>=1.8'
	touch $@

scan: install .venv-scan/bin/.installed
	$(BIN)/python -m tests.scan.run --minutes $(SCAN_MINUTES)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .venv-scan .pytest_cache .ruff_cache .hypothesis test-output
