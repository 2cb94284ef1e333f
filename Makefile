# Muster: `make run` serves the demo site, `make test` runs the whole suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py

# The first Python 3.12+ found: versioned names on PATH first (skipping pyenv shims that are not
# active), then interpreters installed under pyenv or /usr/local.
FIND_PYTHON = for p in python3.13 python3.12 python3.14 python3 \
	$$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do \
	  if command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v "$$p"; break; fi; done

.PHONY: help install run test test-stack stack stack-stop lint format lock bench seed clean

help:
	@echo "make run      serve the demo site on http://127.0.0.1:$(PORT) (PORT=8010 for another port)"
	@echo "make test     run the whole test suite (SQLite, then PostgreSQL when installed)"
	@echo "make install  create .venv and install the locked dependencies"
	@echo "make stack    start the production profile here: PostgreSQL, Redis, 2 gunicorn, nginx, worker"
	@echo "make stack-stop  stop it"
	@echo "make test-stack  start a stack and attack it (tests/stack)"
	@echo "make lint     ruff check and format check, mypy on services and selectors"
	@echo "make lock     pin requirements/*.in with hashes into requirements/*.txt (UPGRADE=1: newest)"
	@echo "make bench    run the benchmark scripts under benchmarks/"

# Development installs requirements/dev.txt (production plus tests and linters); a production
# image installs requirements/base.txt only. Both are pinned with hashes and pip checks them.
$(VENV)/.installed: requirements/dev.txt
	@py="$$($(FIND_PYTHON))"; \
	if [ -z "$$py" ]; then echo "Muster needs Python 3.12 or newer: install python3.12 (e.g. apt-get install python3.12 python3.12-venv) and run make again."; exit 1; fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Creating $(VENV) with $$py"; rm -rf $(VENV); "$$py" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $@

# Compiled catalogues (.mo) are generated, never committed: rebuilt whenever their .po changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

locale/%.mo: locale/%.po $(VENV)/.installed
	$(PY) scripts/compile_messages.py

install: $(VENV)/.installed $(MO_FILES)

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

seed: install
	$(MANAGE) seed_demo

test: install
	$(PY) scripts/run_tests.py $(ARGS)

# The production profile on this machine (scripts/stack.py; docs/deploying.md). STACK_PORT=8443.
stack: install
	$(PY) scripts/stack.py start

stack-stop:
	$(PY) scripts/stack.py stop

# tests/stack start their own stack (in var/stack-test, free ports) and stop it afterwards.
test-stack: install
	MUSTER_STACK_TESTS=1 $(PY) -m pytest tests/stack -p no:randomly -n 0 $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	$(PY) scripts/run_benchmarks.py $(ARGS)

# Pin requirements/base.in and dev.in, with hashes, into base.txt and dev.txt, with uv in a
# throwaway venv. Versions already pinned stay unless the .in files exclude them; UPGRADE=1
# re-pins everything to the newest allowed. dev.in is constrained by base.txt, so a package both
# need has the same version in production and in tests.
lock:
	@py="$$($(FIND_PYTHON))"; tmp=$$(mktemp -d); "$$py" -m venv $$tmp && \
	$$tmp/bin/pip install --quiet uv && cd requirements && \
	for name in base dev; do \
	  $$tmp/bin/uv pip compile $$name.in -o $$name.txt --quiet --generate-hashes \
	    --python-version 3.12 --custom-compile-command "make lock" \
	    $(if $(UPGRADE),--upgrade) || { rm -rf $$tmp; exit 1; }; \
	done; rm -rf $$tmp

clean:
	rm -rf $(VENV) var
