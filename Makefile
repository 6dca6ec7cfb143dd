# Two commands matter: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
# Local runs and tests use the embedded defaults with development-only settings.
LOCAL_ENV := DEBUG=$${DEBUG:-true}
PORT ?= 8000
PROCFILE ?= Procfile.dev

.PHONY: run test smoke install lint format migrate superuser bench bench-pages clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	UV_PYTHON_DOWNLOADS=never $(BIN)/uv sync --frozen --python $(BIN)/python
	@touch $@

install: $(VENV)/.synced

# Honcho hands each process of the Procfile its own PORT (web 8000, worker 8100, beat 8200), so
# SITE_URL is fixed here for all of them: the links the worker mails must name the web's port.
run: install
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput
	PATH="$(CURDIR)/$(BIN):$$PATH" $(LOCAL_ENV) PORT=$(PORT) \
	  SITE_URL="$${SITE_URL:-http://localhost:$(PORT)}" $(BIN)/honcho start -f $(PROCFILE)

test: install
	$(LOCAL_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

# The production stack end to end; needs DATABASE_URL (PostgreSQL) and REDIS_URL.
smoke: install
	$(LOCAL_ENV) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m smoke tests/production $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: install
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput

# The sweep against its floor (bare UPDATEs and renders) on SQLite and PostgreSQL; the
# PostgreSQL database (BENCH_PG_URL) is created if missing. COUNTS="1000 10000 50000" for more.
bench: install
	$(BIN)/python bench/sweep.py --counts $${COUNTS:-10000} \
		--pg-url $${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/followup_bench}
	$(MAKE) --no-print-directory bench-pages

# One user with 200 applications, served by gunicorn (3 sync workers, DEBUG off, PostgreSQL
# BENCH_PAGES_PG_URL, Redis BENCH_REDIS_URL): each page's req/s, p50/p90/p99 at 8 connections, query
# count and time in process, beside a bare and a trivial logged-in view. PAGES="tasks calendar".
bench-pages: install
	$(BIN)/python bench/pages.py $${PAGES:-} --seconds $${BENCH_SECONDS:-5} --connections 8 \
		--pg-url $${BENCH_PAGES_PG_URL:-postgres://postgres@127.0.0.1:5432/followup_bench_pages}

superuser: install
	$(LOCAL_ENV) $(BIN)/python manage.py createsuperuser

clean:
	rm -rf $(VENV) var/broker var/celerybeat-schedule*
