# The two commands: `make run` (the app on its embedded default) and
# `make test` (everything installed, then the whole suite).
PY := .venv/bin/python
# The suite runs in parallel (pytest-xdist, one test database per worker),
# then the browser tests, also in parallel: each worker has its own live
# server, database and Chromium. Pass PYTEST_PARALLEL= or E2E_PARALLEL= to
# run a step in one process.
PYTEST_PARALLEL ?= -n auto
E2E_PARALLEL ?= -n auto

.PHONY: run test test-setup test-checks test-suite test-browser setup lint bench

setup:
	bash scripts/bootstrap.sh

run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_catalogs
	$(PY) manage.py seed_demo
	$(PY) manage.py prepare_document_fonts  # once per machine (about 40 s); then instant
	$(PY) manage.py runserver 127.0.0.1:8000

# `make test` is its four steps in order; .ci/run times each one.
test: test-setup test-checks test-suite test-browser

test-setup:
	bash scripts/bootstrap.sh --with-browser

test-checks:
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

# --create-db: the browser tests empty the test databases they reuse (the
# data migrations' rows go with them), so the suite never reuses them.
test-suite:
	.venv/bin/pytest $(PYTEST_PARALLEL) -m "not e2e" --create-db $(PYTEST_ARGS)

test-browser:
	.venv/bin/pytest $(E2E_PARALLEL) -m e2e $(PYTEST_ARGS) || [ $$? -eq 5 ]  # 5: none selected

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

bench:
	$(PY) benchmarks/engine_bench.py
	$(PY) benchmarks/case_list_bench.py
