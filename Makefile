# Sanxiang (三项制度) — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SANXIANG_HOME ?= $(CURDIR)/var

.PHONY: run test install lint test-sqlite test-postgres browser-deps messages clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) messages

messages: $(STAMP)
	@scripts/compile-messages.sh $(BIN)/python

run: install
	SANXIANG_HTTPS=0 $(BIN)/sanxiang demo
	SANXIANG_HTTPS=0 $(BIN)/sanxiang serve --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check src tests

browser-deps:
	@scripts/browser-deps.sh

test: install lint browser-deps
	@echo "=== test suite on SQLite ==="
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)
	@echo "=== test suite on PostgreSQL ==="
	scripts/with-postgres.sh $(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build src/*.egg-info
