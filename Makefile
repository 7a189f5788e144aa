# The two commands: `make run` (install, then brief the five seed articles with the embedded model)
# and `make test`. Both create .venv and install wirebrief into it on first use.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/wirebrief summarize seeds --format md

test: $(VENV)/.installed
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: $(VENV)/.installed
	$(PY) bench/pipeline.py
