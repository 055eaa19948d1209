# port-assess: `make run` serves the app on SQLite; `make test` runs the whole suite.
# Both work on a fresh machine with Python 3.11+: they create .venv and install into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
INSTANCE ?= $(CURDIR)/instance

.PHONY: install browser run test lint format clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

# Secret: ASSESSMENT_SECRET_KEY if you set it, else a random one kept in instance/secret_key.
run: export ASSESSMENT_SECRET_KEY_FILE ?= $(INSTANCE)/secret_key
run: install
	mkdir -p $(INSTANCE)
	@if [ -z "$$ASSESSMENT_SECRET_KEY" ]; then $(BIN)/port-assess init-secret "$$ASSESSMENT_SECRET_KEY_FILE"; fi
	$(BIN)/port-assess db upgrade
	$(BIN)/port-assess questionnaire import --shipped
	$(BIN)/port-assess user ensure-admin
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl-C to stop)"
	exec $(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - \
		'assessment:create_app()'

# Browser tests drive Debian's Chromium; install it when missing and we may (root with apt).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Chromium for the browser tests"; \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
		else \
			echo "Chromium is missing and cannot be installed here: browser tests will be skipped (CI=true fails them)"; \
		fi; \
	fi

test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-output
