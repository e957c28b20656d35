# Two commands do all set-up: `make serve` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve build test lint system-deps bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(PY) tasks.py serve --port 8000

build: $(STAMP)
	$(PY) tasks.py build

# Debian packages the browser and PDF tests need (chromium, poppler); installs only what is missing.
system-deps:
	@bash .ci/system-deps

# Debian packages first: a machine without python3-venv gets it before .venv is made.
test: system-deps $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(STAMP)
	$(PY) -m bench.run

clean:
	rm -rf output preview outbox .pytest_cache .ruff_cache
