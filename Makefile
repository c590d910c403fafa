# career-outlook: `make help` lists the targets. Every target installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SOC ?= 29-2072
SYSTEM_PACKAGES := chromium poppler-utils fonts-dejavu-core fonts-liberation
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help setup system-deps data report test test-quick check lint bench regenerate clean kernel

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev,lab]"
	@touch $@

system-deps: ## install Chromium (PDFs, browser tests) and poppler (PDF checks): apt-get as root, else Playwright
	@missing=""; command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing with apt-get"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "not root: installing Playwright's own Chromium (needs internet); poppler-utils must be installed by an admin"; \
	    $(PY) -m playwright install chromium; \
	  fi; \
	fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! test -x /usr/lib/chromium/chromium-headless-shell; then \
	  echo "installing chromium-headless-shell with apt-get (PDFs a quarter faster; optional)"; \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null 2>&1 || \
	    { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null 2>&1; }; } || \
	  echo "chromium-headless-shell could not be installed: PDFs are printed by chromium (slower, same pages)"; \
	fi

setup: $(VENV)/.installed system-deps ## create .venv, install the project and system packages

data: setup ## rebuild data/processed from data/raw
	$(BIN)/career-report data

report: setup ## build the default report (SOC=29-2072) into reports/
	$(BIN)/career-report build $(SOC)

test: setup ## run the tests (real BLS files; headless Chromium; the import contract)
	$(BIN)/pytest -q -n auto

test-quick: $(VENV)/.installed ## the inner loop (~1.5 min): no kernel, browser, poppler, catalogue or data build; only the venv
	$(BIN)/pytest -q -n auto -m "not slow"

lint: setup ## ruff and the import contract (lint-imports)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

check: lint test ## lint and tests

bench: setup ## benchmarks: naive loop vs our builder, same run
	$(PY) -m benchmarks.bench_catalogue

regenerate: setup ## fetch new BLS releases, rebuild data and the catalogue incrementally (what cron runs)
	$(BIN)/career-report refresh

kernel: setup ## register the project's Jupyter kernel ("career-outlook")
	$(PY) -m ipykernel install --user --name career-outlook --display-name "Python (career-outlook)"

clean: ## remove built data and reports (raw data is kept)
	rm -rf data/processed/*.parquet data/processed/manifest.json reports/*/ reports/index.html reports/manifest.json
