# KOMDIR portal. `make run` starts everything for development; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install assets migrate demo messages lint format lock check clean help bench

help:
	@echo "make run    - install, build assets, migrate, load demo data and start web + worker + beat"
	@echo "make test   - install what is missing and run the whole test suite (browser tests too)"
	@echo "make lint   - ruff check and format check, and the import layers (lint-imports)"
	@echo "make lock   - re-pin requirements.lock (production) and requirements-dev.lock"
	@echo "make bench  - load scale data into a fresh PostgreSQL database and write BENCHMARKS.md"

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.built: node_modules/.installed scripts/build-assets.mjs
	npm run --silent build
	touch $@

assets: static/vendor/.built

migrate: install
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py seed_demo --scale 1

run: install assets demo
	@echo ""
	@echo "  KOMDIR portal: http://$(HOST):$(PORT)/   (stop with Ctrl-C)"
	@echo "  Mail is printed here, in the console."
	@echo ""
	@DEBUG=1 $(PY) scripts/run_dev.py --host $(HOST) --port $(PORT)

test: install assets
	@if [ ! -x /usr/bin/chromium ] && [ -z "$$PLAYWRIGHT_CHROMIUM" ]; then \
		$(VENV)/bin/playwright install chromium; fi
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install
	DEBUG=1 $(PY) manage.py makemessages -l da -l en --no-obsolete --ignore 'node_modules/*' --ignore '.venv/*'
	DEBUG=1 $(PY) manage.py compilemessages --ignore 'node_modules/*' --ignore '.venv/*'

lock: install
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		-o requirements-dev.lock

# Needs PostgreSQL (BENCH_DATABASE_URL) and Redis (BENCH_REDIS_URL); BENCH_SCALE lowers the scale.
bench: install assets
	$(PY) scripts/bench.py

check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var static/vendor node_modules $(VENV)
