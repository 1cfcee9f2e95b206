# mechgraph: `make` renders every figure and prints the shared-node report;
# `make test` runs the tests. Both install what they need first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Every extra the tests use; the lock holds exact versions of all of them.
EXTRAS := test,docs,notebook,interop-test
LOCK   := requirements.lock

.PHONY: all figures report test test-latest lock check golden bench bench-render bench-worker bench-query bench-interop bench-layout bench-deps system-deps browser clean docs

all: figures report

# Installs exactly the versions in $(LOCK) (build tools too, through PIP_CONSTRAINT), so a
# fresh clone gets the same set on any day; `make lock` moves them to the newest releases.
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "the locked set needs Python 3.11 or newer ($(PYTHON) is older)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	PIP_CONSTRAINT=$(CURDIR)/$(LOCK) $(BIN)/pip install -q -r $(LOCK)
	PIP_CONSTRAINT=$(CURDIR)/$(LOCK) $(BIN)/pip install -q --no-deps -e '.[$(EXTRAS)]'
	@# byte code for the editable source too, as pip writes it for installed packages: a
	@# cold command then never compiles (PYTHONDONTWRITEBYTECODE would make every run do so)
	$(BIN)/python -m compileall -q src
	@touch $@

# The newest release of every dependency, resolved now, written as exact pins.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install -q --upgrade pip setuptools wheel
	.venv-lock/bin/pip install -q '.[$(EXTRAS)]'
	{ echo "# Exact versions for .venv: regenerate with 'make lock' (newest releases), then 'make test'."; \
	  .venv-lock/bin/pip freeze --all --exclude mechgraph | LC_ALL=C sort -f; } > $(LOCK)
	rm -rf .venv-lock build src/*.egg-info

# The test suite against the newest release of every dependency, without touching the lock.
test-latest: system-deps browser
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install -q --upgrade pip setuptools wheel
	.venv-latest/bin/pip install -q --upgrade -e '.[$(EXTRAS)]'
	.venv-latest/bin/pip list --format=freeze
	.venv-latest/bin/python -m pytest

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

# The documentation site (docs/_build/html), built with the mechgraph Sphinx extension.
docs: $(STAMP) system-deps
	$(BIN)/sphinx-build -q -W --keep-going -b html docs docs/_build/html

bench: bench-render bench-worker bench-query bench-interop bench-layout

bench-render: $(STAMP) system-deps
	$(BIN)/python bench/bench_render.py

bench-worker: $(STAMP) system-deps
	$(BIN)/python bench/bench_worker.py

bench-layout: $(STAMP) system-deps bench-deps
	$(BIN)/python bench/bench_layout.py

# The `bench` extra (pygraphviz) compiled against the system Graphviz, so that the in-process
# row lays out with the same Graphviz as `dot`; without its headers (Debian: libgraphviz-dev)
# or a compiler the benchmark calls libgvc through ctypes instead. Not needed by the tests.
bench-deps: $(STAMP)
	@if $(BIN)/python -c 'import pygraphviz' 2>/dev/null; then :; \
	elif pkg-config --exists libcgraph libgvc 2>/dev/null && command -v cc >/dev/null; then \
	  PIP_CONSTRAINT=$(CURDIR)/$(LOCK) $(BIN)/pip install -q --no-binary pygraphviz -e '.[bench]'; \
	else echo "bench: no Graphviz headers (libgraphviz-dev) or compiler: libgvc through ctypes" >&2; fi

bench-query: $(STAMP)
	$(BIN)/python bench/bench_query.py

bench-interop: $(STAMP) system-deps
	$(BIN)/python bench/bench_interop.py

clean:
	rm -rf $(VENV) .venv-latest .venv-lock .pytest_cache .hypothesis
