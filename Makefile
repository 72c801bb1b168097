# The commands: `make run`, `make test` and `make stack`. They work from a
# fresh clone with nothing but Python 3.11 (and root for apt-get: the browser
# tests need Chromium, the stack and its tests Varnish, Redis and nginx).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM := /usr/bin/chromium

.PHONY: run test lint pytest migrate demo system-deps stack-deps stack bench-deps clean

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

# Debian's Chromium drives the Playwright browser tests (no browser download);
# the stack tests start Varnish (with varnish-modules for xkey) and their own
# Redis, and bench/stack_bench.py compares Varnish with nginx; curl runs the
# API walk-through in docs/api.md.
STACK_PACKAGES := varnish varnish-modules redis-server nginx
TEST_PACKAGES := curl
system-deps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	for pkg in $(STACK_PACKAGES) $(TEST_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages the tests need:$$missing"; \
		apt-get update && apt-get install -y --no-install-recommends $$missing; \
	fi

# The stack needs Varnish and its xkey module; PostgreSQL and Redis are the
# running ones (or DATABASE_URL / REDIS_URL).
stack-deps:
	@missing=""; \
	for pkg in varnish varnish-modules; do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages the stack needs:$$missing"; \
		apt-get update && apt-get install -y --no-install-recommends $$missing; \
	fi

migrate: $(VENV)/.runtime
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --no-input

# The demo's Site takes its address from WAGTAILADMIN_BASE_URL (docs/operations.md).
demo: migrate
	DEBUG=1 WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(BIN)/python manage.py load_demo_content

run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (admin at /admin/)"
	DEBUG=1 WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$(PORT)} \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Two gunicorn instances behind Varnish on http://127.0.0.1:$${STACK_PORT:-8080}
# (deploy/stack.py; docs/operations.md). Ctrl-C stops everything.
stack: $(VENV)/.runtime stack-deps
	mkdir -p var
	$(BIN)/python deploy/stack.py

# bench/stack_bench.py: the stack, nginx as the yardstick and wrk to load them.
bench-deps: $(VENV)/.runtime
	@missing=""; \
	for pkg in varnish varnish-modules nginx wrk; do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages the benchmark needs:$$missing"; \
		apt-get update && apt-get install -y --no-install-recommends $$missing; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: $(VENV)/.dev system-deps lint
	mkdir -p var
	$(BIN)/python manage.py check --settings=nadsite.settings_test
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=nadsite.settings_test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var/db.sqlite3
