# Gongkai — two commands: `make demo` (run the platform on SQLite with demo data) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HASH := $(shell sha1sum pyproject.toml | cut -c1-12)
RUN_STAMP := $(VENV)/.run-$(HASH)
TEST_STAMP := $(VENV)/.test-$(HASH)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint system-deps services bench-deps serve bench bench-small bench-importer bench-variants clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(RUN_STAMP)

## demo: install, migrate, load the demo county, serve on http://127.0.0.1:8000 (safe to run again)
demo: $(RUN_STAMP)
	$(BIN)/gongkai migrate --noinput -v0
	$(BIN)/gongkai collectstatic --noinput -v0
	$(BIN)/gongkai load_demo
	@echo "门户：http://$(HOST):$(PORT)/   后台：http://$(HOST):$(PORT)/admin/   API 文档：http://$(HOST):$(PORT)/api/docs"
	# one process: its in-process cache may keep the public pages (core/pagecache)
	GONGKAI_PAGE_CACHE=1 $(BIN)/gongkai runserver $(HOST):$(PORT) --noreload

## serve: the production server (gunicorn, workers from the core count, config.settings.production); the
## secrets and hosts come from the environment (docs/deploy.md). Migrates and collects static files first.
serve: $(RUN_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/gongkai migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/gongkai collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(BIN)/gunicorn -c config/gunicorn.conf.py

## test: system packages (Chromium, CJK fonts), lint, types, then the suite on SQLite and PostgreSQL
test: $(TEST_STAMP) system-deps services lint
	bash scripts/run-tests.sh

system-deps:
	bash scripts/ensure-system-deps.sh

## services: start Redis and PostgreSQL on loopback when they are not answering (the PostgreSQL test pass)
services:
	bash scripts/ensure-services.sh

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-cache --no-logo

## bench-deps: wrk (Debian), the load generator of the page benchmarks; benchmarks only, not make test
bench-deps:
	bash scripts/ensure-bench-deps.sh

bench: $(TEST_STAMP) bench-deps
	$(BIN)/python -m bench.run --full

bench-small: $(TEST_STAMP) bench-deps
	$(BIN)/python -m bench.run

## bench-importer: the importer on the labelled corpus of real reports (bench/corpus); also run by make bench
bench-importer: $(RUN_STAMP)
	$(BIN)/python -m bench.bench_corpus

## bench-variants: the importer on the dev half's reports printed to PDF and converted to Markdown by real tools
## (LibreOffice, pdftotext, pandoc, html2text from Debian; bench/real_variants.py); not part of make test
bench-variants: $(TEST_STAMP)
	bash scripts/ensure-variant-deps.sh
	$(BIN)/pip install -q -e ".[test,bench]"
	$(BIN)/python -m bench.bench_variants --real pdf,md

clean:
	rm -rf $(VENV) var/ test-artifacts/
