# Two commands do all the set-up on a fresh clone:
#   make run    installs into .venv, serves the bundled demo news site on 127.0.0.1,
#               crawls it into news.db and prints what was stored
#   make test   installs into .venv (with test tools), lints (ruff, mypy --strict), runs the tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(PY) scrape.py demo --db news.db

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: $(STAMP) lint
	$(VENV)/bin/pytest -q

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) bench/quality.py --repeat 3

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
