# The commands of the README. Each sets up what it needs (a virtual environment in .venv with this
# package installed) and then does its job, so they work on a fresh machine:
#   make build       needs Python >= 3.11 with venv, and make; never Node or npm
#   make test        also npm (Yasgui, the exporters' readers) and Debian's chromium, graphviz and
#                    virtuoso-opensource (.ci/run installs them)
#   make editor      Yasgui for the editor page of `kg serve` (npm)
#   make notebooks   JupyterLab in .venv, opened on notebooks/ (notebooks-html: run them, no browser)
#   make test-newest the test suite against the newest versions pyproject.toml allows (.venv-newest)
#   make constraints rewrite constraints.txt with the newest versions pyproject.toml allows
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
NEWEST := .venv-newest

# Every install takes the versions in constraints.txt, the ones CI tested, so a fresh machine gets
# what passed. `CONSTRAINTS=` (as test-newest does) takes the newest versions pyproject.toml allows.
CONSTRAINTS ?= constraints.txt
PIP_INSTALL = $(BIN)/python -m pip install --quiet \
	$(if $(CONSTRAINTS),--constraint $(CONSTRAINTS),--upgrade --upgrade-strategy eager)

.PHONY: build test test-newest editor readers notebooks notebooks-html lint constraints clean

build: $(VENV)/.installed
	$(BIN)/kg build

test: $(VENV)/.installed-test editor readers
	$(BIN)/ruff check kg tests benchmarks notebooks docs
	$(BIN)/python -m pytest

# The suite (not ruff: a new lint rule is no breakage) in a second environment with the newest
# allowed version of every dependency, installed afresh each time. The versions that differ from
# constraints.txt are listed first: the drift that a failure here comes from.
test-newest: editor readers
	rm -f $(NEWEST)/.installed $(NEWEST)/.installed-test
	$(MAKE) --no-print-directory $(NEWEST)/.installed-test VENV=$(NEWEST) CONSTRAINTS=
	@$(NEWEST)/bin/python -m pip freeze --exclude-editable > $(NEWEST)/freeze.txt
	@echo "newest allowed versions that differ from constraints.txt (pinned -> newest):"
	@awk -F'==' '/^#/ {next} NR == FNR {pinned[$$1] = $$2; next} \
		!($$1 in pinned) {print "  " $$0 " (not pinned)"; drift = 1} \
		($$1 in pinned) && pinned[$$1] != $$2 {print "  " $$1 ": " pinned[$$1] " -> " $$2; drift = 1} \
		END {if (!drift) print "  none"}' constraints.txt $(NEWEST)/freeze.txt
	$(NEWEST)/bin/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check kg tests benchmarks notebooks docs

notebooks: $(VENV)/.installed-notebooks
	$(BIN)/jupyter lab notebooks/

# Both notebooks run from top to bottom without a browser, as HTML pages in build/notebooks/.
notebooks-html: $(VENV)/.installed-notebooks
	$(BIN)/jupyter nbconvert --to html --execute --ExecutePreprocessor.timeout=600 \
		--output-dir build/notebooks notebooks/*.ipynb

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP_INSTALL) -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-notebooks: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP_INSTALL) -e '.[notebooks]'
	touch $(VENV)/.installed $@

# Yasgui for the editor page of `kg serve`, exactly as package-lock.json pins it; nothing from npm
# is committed. `npm ci` writes node_modules/.package-lock.json, which serves as the stamp.
editor: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

# The Argdown CLI and Mermaid's parser, which tests/argument/test_exporters.py reads exports with; as pinned.
readers: tools/readers/node_modules/.package-lock.json
tools/readers/node_modules/.package-lock.json: tools/readers/package.json tools/readers/package-lock.json
	npm ci --prefix tools/readers --ignore-scripts --no-audit --no-fund

# Every package the test and notebook environments install, at the newest version pyproject.toml
# allows, resolved in a throw-away environment. Run it to take up new releases on purpose, then
# `make test` and commit constraints.txt with the fixes they need.
constraints:
	rm -rf build/constraints-venv
	$(PYTHON) -m venv build/constraints-venv
	build/constraints-venv/bin/python -m pip install --quiet --upgrade pip
	build/constraints-venv/bin/python -m pip install --quiet -e '.[test,notebooks]'
	{ echo "# The versions CI tests, which make build and make test install (pip --constraint)."; \
	  echo "# Made by \`make constraints\` with $$(build/constraints-venv/bin/python --version); do not edit by hand."; \
	  build/constraints-venv/bin/python -m pip freeze --exclude-editable | grep -v '^#' | LC_ALL=C sort; \
	} > constraints.txt.tmp
	mv constraints.txt.tmp constraints.txt
	rm -rf build/constraints-venv

clean:
	rm -rf $(VENV) $(NEWEST) build node_modules tools/readers/node_modules
