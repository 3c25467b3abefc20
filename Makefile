# The two commands of the README. Each sets up what it needs (a virtual environment in .venv with
# this package installed) and then does its job, so they work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test lint clean

build: $(VENV)/.installed node_modules/.package-lock.json
	$(BIN)/kg build

test: $(VENV)/.installed-test node_modules/.package-lock.json tools/readers/node_modules/.package-lock.json
	$(BIN)/ruff check kg tests benchmarks notebooks
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check kg tests benchmarks notebooks

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# Yasgui for the editor page of `kg serve`, exactly as package-lock.json pins it; nothing from npm
# is committed. `npm ci` writes node_modules/.package-lock.json, which serves as the stamp.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

# The Argdown CLI and Mermaid's parser, which tests/test_exporters.py reads exports with; as pinned.
tools/readers/node_modules/.package-lock.json: tools/readers/package.json tools/readers/package-lock.json
	npm ci --prefix tools/readers --ignore-scripts --no-audit --no-fund

clean:
	rm -rf $(VENV) build node_modules tools/readers/node_modules
