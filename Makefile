# One entry point for every task; each target creates the virtualenv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= dev,postgresql,mysql
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test unit lint format bench-bulk bench-bulk-mongo bench-pages bench-schema docs-check clean serve \
	bench bench-servers soak constraints docker-check k8s-check docs docs-screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required, found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/flask --app api keys generate --if-missing
	$(BIN)/flask --app api db create
	$(BIN)/flask --app api run --host $(HOST) --port $(PORT)

# PYTHONDONTWRITEBYTECODE= : with it set (as in the image and on some machines) every module is
# compiled and every test module's assertions rewritten again on each run; __pycache__ is ignored.
test: $(STAMP)
	$(BIN)/lint-imports
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest --durations=20 --hypothesis-profile=ci

# Unit tests use neither schemathesis nor anyio: their pytest plugins (imports, a hook on every
# fixture) stay unloaded. Properties try 10 examples (tests/conftest.py), make test 100.
# One process by default; UNIT_WORKERS=auto (or a number) runs pytest-xdist workers, a quarter
# faster on a quiet 2-core machine but slower on a busy one (docs/testing.md).
UNIT_WORKERS ?= 0
unit: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest tests/unit -q -p no:schemathesis -p no:anyio --hypothesis-profile=dev \
	  -n $(UNIT_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench-bulk: $(STAMP)
	$(BIN)/python bench/bulk_insert.py

# A page deep in 1,000,000 items, cursor against offset, on SQLite and PostgreSQL (minutes).
bench-pages: $(STAMP)
	$(BIN)/python bench/deep_pages.py

bench-schema: $(STAMP)
	$(BIN)/python bench/schema_overhead.py

# Renders /docs in headless Chromium with the network closed (loopback only; needs root
# for the namespace and Debian's chromium) and writes bench/docs.png.
docs-check: $(STAMP)
	unshare --net sh -c 'ip link set lo up && $(BIN)/python scripts/docs_page_check.py'

# The docs site: built with --strict (a broken link, missing page or unknown anchor fails), then
# served on loopback and crawled by linkchecker. Mermaid comes from the npm registry, pinned.
MERMAID_VERSION := 11.17.2
MERMAID := $(VENV)/docs/mermaid-$(MERMAID_VERSION).min.js
DOCS_STAMP := $(VENV)/.docs-installed

$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS),docs]"
	touch $(DOCS_STAMP)

$(MERMAID):
	mkdir -p $(VENV)/docs
	cd $(VENV)/docs && npm pack --silent mermaid@$(MERMAID_VERSION) >/dev/null \
	  && tar -xzf mermaid-$(MERMAID_VERSION).tgz package/dist/mermaid.min.js \
	  && mv package/dist/mermaid.min.js $(notdir $(MERMAID)) && rm -rf package mermaid-$(MERMAID_VERSION).tgz

docs: $(DOCS_STAMP) $(MERMAID)
	NO_MKDOCS_2_WARNING=1 MERMAID_JS=$(MERMAID) $(BIN)/mkdocs build --strict --quiet
	$(BIN)/python scripts/docs_site/check_site.py --site site

# The home and architecture pages in Debian's headless Chromium (installed when missing), Mermaid
# drawn, into docs/images/.
docs-screenshots: docs
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	$(BIN)/python scripts/docs_site/check_site.py --site site --screenshots docs/images --skip-links

bench-bulk-mongo: $(STAMP)
	$(BIN)/python bench/bulk_insert_mongo.py

# Production serving: gunicorn configured from the settings (deploy/gunicorn.conf.py).
# APP_ENV defaults to production here: SECRET_KEY and the token keys must be provided.
serve: $(STAMP)
	APP_ENV=$${APP_ENV:-production} $(BIN)/flask --app api db create
	APP_ENV=$${APP_ENV:-production} exec $(BIN)/gunicorn -c deploy/gunicorn.conf.py api.wsgi:app

# gunicorn's sync, gthread and gevent workers against granian, on SQLite and on PostgreSQL with
# Redis (the servers at 127.0.0.1; docs/performance.md, Choosing the server).
bench-servers: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS),bench]"
	$(BIN)/python bench/serve/compare_servers.py

# The service under gunicorn beside a bare Flask app and the limit app, on SQLite and on
# PostgreSQL with Redis (BENCH_POSTGRES_URL, BENCH_REDIS_URL; the run stops if either does not
# answer); wrk from Debian when it can be had. BENCH_ARGS=--quick for a smoke run.
bench: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
	  || echo "wrk is not installed: the Python load generator runs instead"
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS),bench]"
	$(BIN)/python bench/serve/run.py $(BENCH_ARGS)

soak: $(STAMP)
	$(BIN)/python bench/soak.py

# The exact versions the image installs (deploy/constraints.txt), resolved by the image's own
# Python. Run after changing pyproject.toml's dependencies; needs a running Docker engine.
constraints:
	deploy/docker/constraints.sh

# The Kubernetes manifests, validated offline (deploy/kubernetes/check.sh).
k8s-check: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS),k8s]"
	KUBERNETES_VALIDATE=$(abspath $(BIN))/kubernetes-validate deploy/kubernetes/check.sh

# Image, compose stack and its scale-out test through the proxy (deploy/docker-check.sh).
docker-check:
	deploy/docker-check.sh

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance site .pytest_cache .mypy_cache .ruff_cache
