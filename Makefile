# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: setup demo test lint bench

setup:
	@bash scripts/setup.sh

demo: setup
	$(VENV)/bin/govwatch demo

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest -q -p no:cacheprovider -n 2 --dist loadfile

bench: setup
	$(PY) bench/crawl.py
	$(PY) bench/audit.py
	$(PY) bench/impersonation.py
	$(PY) bench/typos.py
