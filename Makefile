# The two commands: `make run` (install, then brief the five seed articles with the embedded model)
# and `make test`. Both create .venv and install wirebrief into it on first use.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test lint bench redis-server chromium

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/wirebrief summarize seeds --format md

test: $(VENV)/.installed redis-server chromium
	$(PY) -m pytest

# The shared-cache tests run a real redis-server (Debian's package). Installed when missing and apt-get works
# (CI runs as root); otherwise those tests are skipped and say why.
redis-server:
	@command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || \
	  { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null 2>&1; } || \
	  echo "redis-server is not installed and could not be: the Redis tests will be skipped"

# The editor page's browser tests (tests/test_page.py) drive Debian's chromium through chromium-driver, installed the
# same way; otherwise they are skipped and say why. No test tool downloads a browser of its own.
chromium:
	@{ [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; } || \
	  { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) \
	    >/dev/null 2>&1; } || \
	  echo "chromium and chromium-driver are not installed and could not be: the browser tests will be skipped"

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: $(VENV)/.installed
	$(PY) bench/pipeline.py
