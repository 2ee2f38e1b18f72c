# YesCount — every developer and CI task. `make help` lists them.
# Two commands matter to a newcomer: `make run` and `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8501
TORCH_PIN := torch==2.13.0
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
PYTEST := $(PY) -m pytest -p no:cacheprovider
# `make test` runs the suite in TEST_WORKERS pytest-xdist processes, one file per
# worker at a time (--dist loadfile keeps a module's servers, browser and model
# catalogue built once). Much of the suite waits on servers, browsers and
# subprocesses, so two workers overlap that waiting. TEST_WORKERS=0 runs it serially.
TEST_WORKERS ?= 2

.PHONY: help install run serve test ci lint format format-check typecheck security-check \
        unit integration e2e fuzz browser smoke bench test-deps system-deps pgvector postgres-up redis-up \
        coverage-gate clean

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

install: $(STAMP) ## create .venv and install YesCount with its pinned dependencies

# torch goes first, pinned, so pip takes the CPU wheel on local disk instead of
# resolving a multi-GB CUDA build for sentence-transformers.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | { grep -v "is ignored" || true; }
	$(PY) -m pip install -q --disable-pip-version-check "$(TORCH_PIN)" 2>&1 | { grep -v "is ignored" || true; }
	$(PY) -m pip install -q --disable-pip-version-check "$(TORCH_PIN)" -e '.[dev]' 2>&1 | { grep -v "is ignored" || true; }
	$(PY) -c "import torch, yescount, sentence_transformers, chromadb, streamlit" 
	@touch $@

run: install ## migrate, load demo data when empty, serve on http://localhost:8501
	$(BIN)/yescount migrate
	$(BIN)/yescount demo load --if-empty
	-$(BIN)/yescount reindex  # search falls back to keywords if this fails
	$(BIN)/yescount serve --host $(HOST) --port $(PORT)

serve: install ## serve without migrating or loading demo data
	$(BIN)/yescount serve --host $(HOST) --port $(PORT)

system-deps: ## Debian packages for tests (Chromium)
	bash scripts/system_deps.sh

pgvector: postgres-up ## build + install the pgvector extension if missing
	bash scripts/pgvector.sh

postgres-up: ## start local PostgreSQL if down, create databases
	bash scripts/postgres_up.sh

redis-up: ## start local Redis if down (shared rate-limit test)
	bash scripts/redis_up.sh

test-deps: install system-deps postgres-up redis-up pgvector ## everything the test suite needs
	@command -v npm >/dev/null || { echo "npm is needed for the browser accessibility audit; scripts/system_deps.sh installs it with apt-get (or install it yourself)" >&2; exit 1; }
	npm ci --prefix tests/e2e/axe --no-audit --no-fund --loglevel=error

test: test-deps lint typecheck security-check ## install everything, run every gate and test tier
	$(PYTEST) tests -n $(TEST_WORKERS) --dist loadfile --hypothesis-profile=thorough --cov=yescount --cov-report=
	$(MAKE) --no-print-directory coverage-gate

ci: test ## what CI runs (.ci/run): same as `make test`

coverage-gate: ## coverage floor: 85% over domain/ and services/
	$(PY) -m coverage report --include='src/yescount/domain/*,src/yescount/services/*' --fail-under=85

unit: install ## fast pure tests
	$(PYTEST) tests/unit

integration: test-deps ## real SQLite + PostgreSQL, Chroma, pgvector, embedding model
	$(PYTEST) tests/integration

e2e: test-deps ## HTTP routes, CLI, browser journey
	$(PYTEST) tests/e2e

fuzz: test-deps ## the schemathesis gate alone (also part of `make test`)
	$(PYTEST) tests/e2e/test_api_fuzz.py

browser: test-deps ## only the real-browser journey
	$(PYTEST) tests/e2e -m browser

smoke: test-deps ## the critical journey against a freshly started server
	$(PYTEST) tests/e2e -m smoke

lint: install ## ruff lint + format check
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

format: install ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix src tests benchmarks scripts
	$(BIN)/ruff format src tests benchmarks scripts

typecheck: install ## mypy --strict on src/ and tests/
	$(BIN)/mypy
	$(BIN)/mypy tests

security-check: install ## secrets scan (a real gate)
	$(PY) scripts/secrets_scan.py

bench: test-deps ## benchmark scripts (print figures; not part of `make test`)
	@for b in benchmarks/*_bench.py benchmarks/api_load.py benchmarks/ui_render.py; do \
	  [ -f "$$b" ] || continue; echo "== $$b"; $(PY) "$$b"; done

clean: ## remove caches (keeps .venv and data/)
	rm -rf .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov artifacts
