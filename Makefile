# AOS CRM — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The project's own code, for bandit.
APPS := aos_crm archive catalog conversations customers projects quotes history

.PHONY: run install migrate demo test test-postgres lint format collectstatic serve-production

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo_data

run: demo
	@echo "Serving AOS CRM on http://$(HOST):$(PORT)/ — log in with a demo user printed above."
	$(PY) manage.py runserver $(HOST):$(PORT)

# Runs against DATABASE_URL (default: a throwaway SQLite database), one worker per core (pytest-xdist;
# PYTEST_WORKERS=0 runs in one process). CI runs it on PostgreSQL and SQLite.
PYTEST_WORKERS ?= 2
test: install
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL_PG:-postgres://postgres@127.0.0.1:5432/aos_crm} $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet
	DJANGO_ENV_FILE=.env.example $(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/bandit -c pyproject.toml -r $(APPS) --severity-level medium --quiet

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat --quiet

collectstatic: install
	$(PY) manage.py collectstatic --noinput

# Sync workers, one per core (WEB_CONCURRENCY, 2 for the 2-core box): requests are short and
# CPU- or database-bound (no long polling, no websockets), so threads or gevent would only add
# contention on two cores. Each worker is replaced
# after MAX_REQUESTS requests (+ up to MAX_REQUESTS_JITTER, so they do not all restart together),
# which returns what WeasyPrint, pypdf and the import leave behind in a long-lived process.
serve-production: collectstatic
	$(VENV)/bin/gunicorn aos_crm.wsgi --bind $(HOST):$(PORT) \
		--worker-class sync --workers $${WEB_CONCURRENCY:-2} \
		--max-requests $${MAX_REQUESTS:-500} --max-requests-jitter $${MAX_REQUESTS_JITTER:-50} \
		--access-logfile -
