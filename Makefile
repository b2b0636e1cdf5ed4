# Russia–Japan Relations in Numbers — the two commands are `make book` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ_HASH := $(shell sha256sum requirements.txt | cut -c1-16)
INSTALLED := $(VENV)/.installed-$(REQ_HASH)
JOBS ?= 2

.PHONY: book test data audit bench pdf lock clean

# Create the virtual environment and install the pinned requirements if missing or changed.
$(INSTALLED): requirements.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@# make the shared package `rjnumbers` importable from this checkout (kernels included)
	$(BIN)/python -c "import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()['purelib'], 'rjnumbers-checkout.pth').write_text(str(pathlib.Path.cwd()) + '\n')"
	@rm -f $(VENV)/.installed-*
	@touch $@

# Sync each .md/.ipynb pair, re-execute notebooks whose code or inputs changed, build the HTML.
book: $(INSTALLED)
	@$(BIN)/python -m rjnumbers.pipeline --jobs $(JOBS)

# The whole test suite: package units, pairing, nbval on every notebook, the built book, browser.
test: book node_modules/.installed
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval notebooks tests

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

# Re-resolve requirements.txt from requirements.in (needs the package index).
lock:
	rm -rf _build/lock-venv && $(PY) -m venv _build/lock-venv
	_build/lock-venv/bin/pip install --quiet -r requirements.in
	_build/lock-venv/bin/pip freeze --all | grep -v '^pip==' > requirements.txt

clean:
	rm -rf _build
