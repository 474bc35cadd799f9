# Kinerja — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: run test bench bench-pg load faults lint format install install-dev migrate seed clean messages

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.dev-installed

## make run: install, migrate, seed the demo (first time only), serve at http://$(HOST):$(PORT)
run: $(VENV)/.installed
	@HOST=$(HOST) PORT=$(PORT) bin/run-dev

## make test: the whole suite (browser tests need /usr/bin/chromium; REQUIRE_BROWSER=1 makes them mandatory)
test: $(VENV)/.dev-installed
	@$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

## make bench: benchmarks at scale on SQLite (writes bench/results/latest-sqlite.json)
bench: $(VENV)/.dev-installed
	@env -u BENCH_DATABASE_URL $(BIN)/python bench/run.py $(BENCH_ARGS)

## make bench-pg: the same benchmarks on PostgreSQL (writes bench/results/latest-postgresql.json);
## the database named in BENCH_DATABASE_URL (its name must contain "bench") is dropped and recreated
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kinerja_bench
bench-pg: $(VENV)/.dev-installed
	@BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py $(BENCH_ARGS)

## make load: the month-end rush, a bounded mixed load test against 2 uvicorn workers and db_worker (~3 min after
## seeding; bench/load.py --help). DB=pg runs it on PostgreSQL: BENCH_DATABASE_URL, a database
## whose name contains "bench" (dropped and recreated). Report: bench/results/load-<db>.json
load: $(VENV)/.dev-installed
	@if [ "$(DB)" = "pg" ] && [ -z "$$BENCH_DATABASE_URL" ]; then \
		echo "make load DB=pg needs BENCH_DATABASE_URL=postgres://…/<name with bench>"; exit 2; fi
	@$(if $(filter pg,$(DB)),,env -u BENCH_DATABASE_URL) $(BIN)/python bench/load.py $(LOAD_ARGS)

## make faults: every failure of issue 15 injected into a fresh installation; a table of results
faults: $(VENV)/.dev-installed
	@$(BIN)/python bench/faults.py $(FAULTS_ARGS)

# The writes and reads of every app (a module, or a package when large, also one per product
# of kinerja.public) are type-checked.
TYPED = $(wildcard kinerja/*/services.py kinerja/*/services/*.py kinerja/*/selectors.py \
	kinerja/*/selectors/*.py kinerja/*/*/services.py kinerja/*/*/selectors.py \
	kinerja/public/survey/responses.py kinerja/public/common.py)

lint: $(VENV)/.dev-installed
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@DEBUG=1 $(BIN)/mypy --strict kinerja/rules
	@DEBUG=1 $(BIN)/mypy $(TYPED)
	@$(BIN)/lint-imports --no-cache

## make messages: compile locale/*/LC_MESSAGES/*.po to .mo (polib; commit both files)
messages: $(VENV)/.dev-installed
	@$(BIN)/python bin/compile-messages

format: $(VENV)/.dev-installed
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
