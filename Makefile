# Two commands: `make run` (set up + an end-to-end refresh through Airflow on demo data) and `make test`.
# Every target does its own set-up and is idempotent.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.stiwatch-installed

export STIWATCH_DATA_DIR ?= $(CURDIR)/data
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False

.PHONY: setup run test test-fast lint format bench airflow clean

$(STAMP): requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --only-binary=dbt-core-experimental-parser \
		-r requirements.lock -r requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

setup: $(STAMP)
	$(BIN)/stiwatch setup

run: setup
	$(BIN)/stiwatch demo
	$(BIN)/stiwatch refresh

# Two workers, one test file each at a time (module fixtures stay in one process): most of the suite is
# single-threaded dbt and Airflow start-up, so the second core would otherwise idle.
PYTEST_WORKERS ?= 2

test: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

# The edit-test loop: everything but the Airflow runs and the slow end-to-end tests (dbt builds of the
# demo, DAG runs, the PostgreSQL scheduler and Celery deploy tests), which carry the airflow / slow markers.
test-fast: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not airflow and not slow"

lint: setup
	$(BIN)/ruff check include dags tests
	$(BIN)/ruff format --check include dags tests
	$(BIN)/sqlfluff lint dbt/models

format: setup
	$(BIN)/ruff format include dags tests
	$(BIN)/ruff check --fix include dags tests
	$(BIN)/sqlfluff fix dbt/models

bench: setup
	$(BIN)/python -m stiwatch.bench

airflow: setup
	$(BIN)/stiwatch airflow standalone

clean:
	rm -rf data .airflow dbt/target dbt/logs
