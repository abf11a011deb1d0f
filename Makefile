# make run: set up and serve the site; make test: set up and run every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export PODCLAIMS_HOST := $(HOST)
export PODCLAIMS_PORT := $(PORT)

.PHONY: run test install test-deps ingest bench eval clean

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed requirements-test.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $@

install: $(VENV)/.installed

test-deps: $(VENV)/.test-installed
	bash scripts/install-system-deps.sh

run: install
	$(VENV)/bin/podclaims ingest --quiet
	$(VENV)/bin/podclaims serve --host $(HOST) --port $(PORT)

ingest: install
	$(VENV)/bin/podclaims ingest

test: test-deps
	$(PY) -m pytest -q

eval: install
	$(PY) bench/eval.py

bench: install
	$(PY) bench/ingest.py
	$(PY) bench/search.py
	$(PY) bench/web.py

clean:
	rm -rf $(VENV) data/podclaims.db data/podclaims.db-wal data/podclaims.db-shm artifacts
