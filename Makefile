# Two commands set everything up on a fresh machine:
#   make serve   – build and serve the site on http://127.0.0.1:8000 with live reload
#   make test    – run the whole test suite (installs what the tests need)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve serve-all build check test test-fast test-build test-build-properdocs test-browser test-tools translations audit bench clean help

help:
	@echo "make serve         Website lokal ansehen, nur Deutsch (http://127.0.0.1:8000)"
	@echo "make serve LANGUAGE=ar   … nur diese Sprache; make serve-all: alle Sprachen (langsamer)"
	@echo "make build         Website nach site/ bauen (streng: jede Warnung ist ein Fehler)"
	@echo "make check         Inhalte und Daten prüfen (ohne zu bauen)"
	@echo "make translations  Übersicht: Stand der Übersetzungen"
	@echo "make test          alle Tests (make test-fast: nur die schnellen, ohne Browser)"
	@echo "make audit         Lighthouse-Budgets (Leistung, Barrierefreiheit)"
	@echo "make bench         Benchmarks (Bauzeit bis 50-fache Inhalte, make serve, Dokument-Download)"

$(BIN)/mkdocs: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt $(BIN)/mkdocs
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# Editors see a saved German page within about a second: only one language is built while serving.
LANGUAGE ?= de
serve: $(BIN)/mkdocs
	# --no-strict: serving one language other than German, links to pages it lacks lead nowhere (MkDocs
	# warns); every content error still shows in the browser (our checks).
	BUILD_ONLY_LANGUAGE=$(LANGUAGE) $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --no-strict

serve-all: $(BIN)/mkdocs
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(BIN)/mkdocs
	$(BIN)/mkdocs build --strict --site-dir site

check: $(BIN)/mkdocs
	$(BIN)/python scripts/check_content.py

translations: $(BIN)/mkdocs
	$(BIN)/python scripts/translations.py report

test-tools: $(VENV)/.test-deps
	scripts/install_test_tools.sh

# Tiers: fast (in-process, no browser, no apt; under a minute), then build, then browser.
PYTEST := $(BIN)/python -m pytest -n auto
test-fast: $(VENV)/.test-deps
	$(PYTEST) -m "not build and not tools and not browser"

test-build: test-tools
	$(PYTEST) -m "(build or tools) and not browser"

# The build tier once more on ProperDocs, the maintained drop-in continuation of MkDocs 1.x (our exit path).
test-build-properdocs: $(VENV)/.test-deps
	SITE_BUILDER=properdocs $(PYTEST) -m "build and not tools and not browser"

test-browser: test-tools
	$(PYTEST) -m browser

test: test-tools
	$(PYTEST) -m "not build and not tools and not browser"
	$(PYTEST) -m "build or tools or browser"

audit: test-tools
	$(BIN)/python scripts/audit.py

# Build time at 1x/10x/50x the content against a bare Material + i18n build (about 15 minutes on two
# idle cores), seconds from a saved German page to `make serve` showing it, then the document download.
bench: $(VENV)/.test-deps
	status=0; \
	$(BIN)/python scripts/benchmark_build.py || status=1; \
	$(BIN)/python scripts/benchmark_serve.py || status=1; \
	$(BIN)/python scripts/benchmark_update.py || status=1; \
	exit $$status

clean:
	rm -rf site .pytest_cache
