# mechgraph: `make` renders every figure and prints the shared-node report;
# `make test` runs the tests. Both install what they need first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: all figures report test check golden bench bench-render bench-query system-deps browser clean

all: figures report

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
	  { echo "mechgraph needs Python 3.10 or newer ($(PYTHON) is older)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

system-deps:
	@bash .ci/system-deps

browser:
	@bash .ci/system-deps --browser

check: $(STAMP)
	$(BIN)/mechgraph check --strict pathways

figures: $(STAMP) system-deps
	$(BIN)/mechgraph render --out renders

report: $(STAMP)
	$(BIN)/mechgraph shared ketamine psilocybin

test: $(STAMP) browser
	$(BIN)/python -m pytest

golden: $(STAMP) system-deps
	$(BIN)/python tests/golden/regen.py

bench: bench-render bench-query

bench-render: $(STAMP) system-deps
	$(BIN)/python bench/bench_render.py

bench-query: $(STAMP)
	$(BIN)/python bench/bench_query.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
