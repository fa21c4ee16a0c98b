# The two front doors: `make run` (dashboard on the embedded store) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
ADDRESS ?= 127.0.0.1
SCALE ?= M

.PHONY: run test lint format bench clean neo4j-start neo4j-stop

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Start the dashboard on the embedded store (seeded from data/ on first run), on
## 127.0.0.1; another ADDRESS only once sign-in is configured (`kgraph serve` checks).
run: $(STAMP)
	$(BIN)/kgraph seed
	$(BIN)/kgraph serve --address $(ADDRESS) --port $(PORT)

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --scale $(SCALE)

neo4j-start:
	scripts/neo4j start

neo4j-stop:
	scripts/neo4j stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
