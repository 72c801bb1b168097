# The two commands: `make run` and `make test`. Both work from a fresh clone
# with nothing but Python 3.11 (and root for apt-get, for the browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint pytest migrate demo system-deps clean

$(BIN)/python:
	mkdir -p var
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# Debian's Chromium drives the Playwright browser tests (no browser download).
system-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update && apt-get install -y --no-install-recommends chromium; \
	fi

migrate: $(VENV)/.runtime
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --no-input

demo: migrate
	DEBUG=1 $(BIN)/python manage.py load_demo_content

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin at /admin/)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test: $(VENV)/.dev system-deps lint
	mkdir -p var
	$(BIN)/python manage.py check --settings=nadsite.settings_test
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=nadsite.settings_test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/db.sqlite3
