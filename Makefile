# Russia–Japan Relations in Numbers — the two commands are `make book` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ_HASH := $(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
INSTALLED := $(VENV)/.installed-$(REQ_HASH)
JOBS ?= 2
# Debian's chromium (the browser tests); defined before the rules that depend on it
CHROMIUM := /usr/bin/chromium

.PHONY: book test test-fast lint data audit bench pdf lab lock clean

# Create the virtual environment and install the pinned requirements if missing or changed.
$(INSTALLED): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# the shared package `rjnumbers`, editable from this checkout (kernels included; pyproject.toml)
	@rm -f $$($(BIN)/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/rjnumbers-checkout.pth
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

# Sync each .md/.ipynb pair, re-execute notebooks whose code or inputs changed, build the HTML.
book: $(INSTALLED)
	@$(BIN)/python -m rjnumbers.pipeline --jobs $(JOBS)

# The whole test suite: package units, pairing, nbval on every notebook, the built book, browser.
test: book node_modules/.installed $(CHROMIUM)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval --nbval-kernel-startup-timeout 300 notebooks tests

# Everything but nbval and the browser: the package's units, data, audit and lint (no book build).
test-fast: $(INSTALLED) node_modules/.installed
	$(BIN)/python -m pytest -n $(JOBS) --dist worksteal tests --ignore=tests/browser --ignore=tests/test_book.py \
	  -m "not slow"

# The linter configuration of pyproject.toml, over the package, the tests and the scripts.
lint: $(INSTALLED)
	$(BIN)/ruff check rjnumbers tests scripts

# Debian's chromium serves the browser tests; installed with apt-get where it is missing.
$(CHROMIUM):
	@echo "make: installing Debian's chromium for the browser tests (apt-get)"
	@SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO="sudo"; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# Rebuild the reference extracts under data/reference from ../shared/reference (needs ../shared).
data: $(INSTALLED)
	$(BIN)/python -m rjnumbers.reference

# Write the verdict table to _build/audit/verdicts.csv without building the book.
audit: $(INSTALLED)
	$(BIN)/python -m rjnumbers.audit

# Print build timings as ratios to the floor (a bare notebook execution).
bench: $(INSTALLED)
	$(BIN)/python scripts/bench.py

# One PDF of the whole book, printed by headless Chromium from the built HTML.
pdf: book
	$(BIN)/python -m rjnumbers.pdf

# JupyterLab from the project's environment, with jupytext: a chapter's .md opens as a notebook
# and saving it keeps its .ipynb twin in step (jupytext.toml pairs them).
LAB := $(VENV)/.lab-$(shell cat requirements-lab.txt requirements.txt | sha256sum | cut -c1-16)
$(LAB): $(INSTALLED) requirements-lab.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-lab.txt -c requirements.txt
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@cp scripts/lab-overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@rm -f $(VENV)/.lab-*
	@touch $@

lab: $(LAB)
	$(BIN)/jupyter lab notebooks $$([ "$$(id -u)" -eq 0 ] && echo --allow-root)

# Re-resolve requirements.txt from requirements.in (needs the package index).
lock:
	rm -rf _build/lock-venv && $(PY) -m venv _build/lock-venv
	_build/lock-venv/bin/pip install --quiet -r requirements.in
	_build/lock-venv/bin/pip freeze --all | grep -v '^pip==' > requirements.txt

clean:
	rm -rf _build
