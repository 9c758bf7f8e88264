# OneLicense: `make demo` runs the embedded demo, `make test` runs every check CI runs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/onelicense
PORT ?= 8000

.PHONY: demo test install install-dev lint typecheck checks test-sqlite test-postgres openapi format

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	scripts/system-deps.sh
	$(BIN)/onelicense demo --port $(PORT)

test: install-dev
	scripts/system-deps.sh --test
	$(MAKE) lint typecheck checks
	@# The two databases' runs share the machine's cores; each prints when it ends.
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgres

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

checks:
	ONELICENSE_DATA_DIR=$$(mktemp -d) $(BIN)/python manage.py check --fail-level WARNING
	ONELICENSE_DATA_DIR=$$(mktemp -d) $(BIN)/python manage.py makemigrations --check --dry-run
	ONELICENSE_DATA_DIR=$$(mktemp -d) $(BIN)/python manage.py openapi --check

test-sqlite:
	ONELICENSE_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -q -m "not postgres"

test-postgres:
	ONELICENSE_DATA_DIR=$$(mktemp -d) DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

openapi:
	$(BIN)/python manage.py openapi

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
