# The README's two commands: `make demo` (set up, then ingest the news corpus) and
# `make test` (set up, then run the whole test suite). Set-up is shared and incremental.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= detente.duckdb

.PHONY: setup demo test test-fast lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip==24.3.1
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/detente ingest "$$($(BIN)/detente corpus --cache .cache)" --db $(DB) --workers 2 --progress

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

# pyflakes and syntax errors (pyproject.toml [tool.ruff.lint])
lint: $(STAMP)
	$(BIN)/ruff check src tests scripts bench

# the tests that need no spaCy model or corpus (those not marked `slow`): a quick check while editing
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) .cache $(DB)
