# The two front doors: `make run` (dashboard on the embedded store) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PORT ?= 8501
ADDRESS ?= 127.0.0.1
SCALE ?= M

.PHONY: run test lint format bench clean neo4j-start neo4j-stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# `make run` needs kgraph and its runtime dependencies only; `make test` adds the dev tools.
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(RUN_STAMP)

## Start the dashboard on the embedded store (seeded with the City Deal graph on first
## run) on ADDRESS:PORT (127.0.0.1:8501); another ADDRESS only once sign-in is configured
## (`kgraph serve` checks).
run: $(RUN_STAMP)
	$(BIN)/kgraph seed
	$(BIN)/kgraph serve --address $(ADDRESS) --port $(PORT)

## Run the whole test suite, with a throw-away Neo4j when Java and Maven are there
## (scripts/test); ARGS go to pytest, e.g. make test ARGS="-x tests/test_model.py".
test: $(DEV_STAMP)
	PYTEST=$(BIN)/pytest scripts/test $(ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## `make bench SCALE=M BASELINE=main`: the pages also on the code of an older commit
bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks.run --scale $(SCALE) $(if $(BASELINE),--baseline $(BASELINE))

neo4j-start:
	scripts/neo4j start

neo4j-stop:
	scripts/neo4j stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
