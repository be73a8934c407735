# One command per habit: make run, make test, make lint, make bench.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= ../shared/corpus

.PHONY: run test lint bench install graph clean

$(BIN)/kg: pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/kg

install: $(BIN)/kg

graph: install
	$(BIN)/kg ingest $(CORPUS)

run: graph
	$(BIN)/kg stats
	$(BIN)/streamlit run app.py

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf .kg .pytest_cache
