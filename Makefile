# Gần Dân — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` serves with DEBUG on (tracebacks in the browser) and says so; `make run GANDAN_DEBUG=0`
# serves the product's own error pages, as everywhere else (settings.py: off unless asked for).
GANDAN_DEBUG ?= 1
# The suite runs in parallel processes (pytest-xdist), one per core unless told otherwise; the browser
# tests run after it in one process.
TEST_WORKERS ?= auto
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup run test lint bench demo worker messages clean fuzz cluster cluster-down cluster-test faults

setup: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Compile the English catalogue (Vietnamese is the source language) with Babel: no gettext needed.
messages: $(VENV)/.installed
	@$(BIN)/pybabel compile -d gandan/locale -D django 2>/dev/null

run: setup
	$(BIN)/gandan migrate --noinput -v0
	$(BIN)/gandan load-units
	$(BIN)/gandan demo
	@mkdir -p var
	@echo "Công việc nền / job worker: var/worker.log"
	@$(BIN)/gandan worker > var/worker.log 2>&1 & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	  if [ "$(GANDAN_DEBUG)" = 1 ]; then \
	    echo "Chế độ gỡ lỗi BẬT (GANDAN_DEBUG=1): lỗi hiện chi tiết kỹ thuật, chỉ dùng trên máy của bạn"; \
	    echo "Debug mode ON (GANDAN_DEBUG=1): errors show tracebacks, for your own machine only;" \
	         "make run GANDAN_DEBUG=0 turns it off"; \
	  else echo "Chế độ gỡ lỗi TẮT / debug mode off"; fi; \
	  echo "Mở / open http://$(HOST):$(PORT)/"; \
	  GANDAN_DEBUG=$(GANDAN_DEBUG) $(BIN)/gandan runserver --noreload $(HOST):$(PORT)

demo: setup
	$(BIN)/gandan migrate --noinput -v0
	$(BIN)/gandan load-units
	$(BIN)/gandan demo

worker: setup
	$(BIN)/gandan worker

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	GANDAN_ENV=test $(BIN)/mypy
	GANDAN_ENV=test $(BIN)/pytest -n $(TEST_WORKERS) gandan trust
	GANDAN_ENV=test $(BIN)/pytest e2e

# Schemathesis over the API's OpenAPI document and Open311, 1,000 examples per operation, on SQLite and
# then PostgreSQL (FUZZ_DATABASE_URL; pytest-django creates and drops test_<name>). CI runs 5.
FUZZ_EXAMPLES ?= 1000
FUZZ_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gandan_fuzz
fuzz: setup
	GANDAN_ENV=test GANDAN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest trust/test_fuzz_api.py trust/test_fuzz_open311.py
	GANDAN_ENV=test GANDAN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DATABASE_URL=$(FUZZ_DATABASE_URL) \
	  $(BIN)/pytest trust/test_fuzz_api.py trust/test_fuzz_open311.py

# National scale on PostgreSQL (bench/national.py): DATABASE_URL=postgres://… make bench BENCH_SCALE=0.05
# builds a throwaway <name>_bench database, prints one table, writes JSON to bench/results/.
# `python -m bench` is the older reads bench (scope, search, tree) at a few demo scales.
BENCH_SCALE ?= 0.05
bench: setup
	BENCH_SCALE=$(BENCH_SCALE) GANDAN_ENV=test $(BIN)/python -m bench.national

# The production topology on loopback (cluster/): PostgreSQL primary and a streaming replica, pgbouncer,
# gunicorn app servers behind nginx, huey consumers on a Redis of its own; ports chosen free, never
# 5432 or 6379; files under var/cluster. Needs Debian's postgresql-15, pgbouncer, nginx, redis-server.
# `make cluster-test` is the bounded failure test (kills an app server and a worker); not in `make test`.
CLUSTER_TEST_SECONDS ?= 900
cluster: setup
	$(BIN)/python -m cluster up
	@echo "make cluster-down stops it"

cluster-down:
	$(BIN)/python -m cluster down --wipe

cluster-test: setup
	$(BIN)/python -m cluster test --seconds $(CLUSTER_TEST_SECONDS)

# Faults (faults/, README "Reliability"): a PostgreSQL cluster, a Redis, gunicorn and a huey worker of its
# own on 127.0.0.1 (nothing shared is touched), broken on purpose while they serve: (a) kill -9 of the app
# servers, (b) a database restart, (c) Redis stopped, (d) 50 concurrent updates, (e) a full media disk.
# Prints each scenario's figures, writes var/faults/last.json, tears everything down; each scenario has
# its own time bound and the whole run this one. `make faults FAULTS="b d"` runs some. Needs
# PostgreSQL 15's binaries (FAULTS_PG_BIN) and, for (e)'s tmpfs, root.
FAULTS ?=
faults: setup
	timeout --kill-after=30 3000 $(BIN)/python -m faults $(FAULTS)

clean:
	rm -rf var node_modules $(VENV)
