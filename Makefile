# KAA - common development tasks.
#   make setup   create .venv and install requirements/dev.txt
#   make demo    system packages + migrate + seed demo data + runserver on 127.0.0.1:8000
#   make test    system packages, services, lint (ruff, mypy), migration check, compose check, pytest
#   make lint    ruff check + ruff format --check + mypy
#   make format  ruff fix + format
#   make bench   generate a data set (SIZE=small|region|national) and measure it
#   make bench-flags  python manage.py bench_flags (the overdue-flag job alone)
#   make worker  celery worker   (make beat: celery beat)
#   make clean   remove .venv and caches (keeps db.sqlite3)

PYTHON3 ?= python3
VENV    := .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
# Re-install only when the requirement files change (or .venv is recreated).
STAMP   := $(VENV)/.make-installed
REQS    := requirements/base.txt requirements/dev.txt

.DEFAULT_GOAL := help
.PHONY: help setup demo test lint format bench bench-flags worker beat clean system-demo system-test
# Prerequisites run in the order written: the system packages before .venv.
.NOTPARALLEL:

help:
	@sed -n '2,10s/^# \{0,1\}//p' Makefile

setup: $(STAMP)

$(VENV)/pyvenv.cfg:
	$(PYTHON3) -m venv $(VENV)

$(STAMP): $(VENV)/pyvenv.cfg $(REQS)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements/dev.txt
	touch $@

# The Debian packages a target needs (scripts/ensure_system_packages.sh): as root
# the missing ones are installed; otherwise it stops naming the apt-get command.
system-demo system-test: system-%:
	@PYTHON3=$(PYTHON3) VENV=$(VENV) bash scripts/ensure_system_packages.sh $*

# Local settings (manage.py default): SQLite at ./db.sqlite3, kept between runs.
demo: export DJANGO_SETTINGS_MODULE = kaa.settings.local
demo: system-demo setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@# No broker in the embedded run: the follow-up jobs' schedule runs in-process beside the server.
	$(PY) manage.py followup_run --schedule --every 300 & scheduler=$$!; \
		trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:8000

test: system-test setup
	bash scripts/ensure_services.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	DJANGO_SETTINGS_MODULE=kaa.settings.test $(PY) manage.py makemigrations --check --dry-run
	docker-compose config -q
	@command -v npm >/dev/null 2>&1 || { \
		echo "ERROR: node and npm are needed (the OIDC tests start a real provider): install Node.js 20.19+" >&2; \
		exit 1; }
	npm ci --prefix tests/oidc --no-audit --no-fund
	$(BIN)/pytest --create-db

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks print figures (never timed tests); they run on PostgreSQL in a
# database of their own (kaa_bench, dropped and created), through gunicorn with
# the production settings. SIZE=small for a quick run; see docs/performance.md.
SIZE ?= national
bench: setup
	bash scripts/ensure_services.sh
	SIZE=$(SIZE) bash scripts/bench/run.sh

# The overdue-flag job alone, on synthetic enrolments it builds and deletes.
bench-flags: setup
	bash scripts/ensure_services.sh
	DJANGO_SETTINGS_MODULE=kaa.settings.test DATABASE_URL=postgres://postgres@127.0.0.1:5432/kaa_bench_flags \
		$(PY) manage.py bench_flags --enrolments 50000

worker: setup
	$(BIN)/celery -A kaa worker -l info

beat: setup
	$(BIN)/celery -A kaa beat -l info

clean:
	rm -rf $(VENV) .make-* .pytest_cache .mypy_cache .ruff_cache staticfiles test-results
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
