# The two commands of the README: `make run` and `make test`. Everything they need is
# installed here when missing: uv (with pip), the virtualenv (.venv, from uv.lock), and the
# Debian packages (PostgreSQL, Redis, gettext, WeasyPrint's libraries, Chromium for tests).

SHELL := /bin/bash
PYTHON ?= python3.11
export UV_PYTHON ?= $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
VENV := .venv
BIN := $(VENV)/bin
STACK := $(PYTHON) chorus/scripts/stack.py
PYTEST_ARGS ?=

.PHONY: run test lint typecheck bench services-up services-down messages system system-test venv clean-var

run: system venv messages ## migrate, seed, serve web + Celery worker + beat on 127.0.0.1:$${PORT:-8000}
	DEBUG=$${DEBUG:-1} $(STACK) run

test: system-test venv messages ## lint, types, then the whole suite on throw-away PostgreSQL + Redis
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CHORUS_TESTING=1 $(BIN)/mypy .
	CHORUS_TESTING=1 $(STACK) exec --ephemeral -- bash -c '\
	  $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null || { echo "Missing migrations: run manage.py makemigrations" >&2; exit 1; }; \
	  $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)'

bench: system venv messages ## every benchmark, one JSON line each, on throw-away services
	CHORUS_TESTING=1 $(STACK) exec --ephemeral -- bash -c '\
	  $(BIN)/python manage.py migrate -v0 && $(BIN)/python manage.py bench_all' 

lint:
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck:
	CHORUS_TESTING=1 $(BIN)/mypy .

services-up: system
	@$(STACK) up

services-down:
	@$(STACK) down

system:
	@$(STACK) system

system-test:
	@$(STACK) system --browser

venv: $(BIN)/python

$(BIN)/python: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	uv sync --frozen
	@touch $(BIN)/python

messages: venv
	@$(BIN)/python -c "import sys" && cd $(CURDIR) && DEBUG=1 CHORUS_TESTING=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v 0

clean-var: services-down
	rm -rf var
