# Setlist: `make run` serves the app, `make test` runs every check. Nothing else is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
TRANSLATIONS := app/translations
CATALOGS := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)

.PHONY: run test lint format screenshots translations compile-translations bytecode clean

run: $(RUNTIME_STAMP) compile-translations bytecode
	$(BIN)/flask db upgrade
	$(BIN)/python run.py

test: $(DEV_STAMP) compile-translations bytecode lint
	$(BIN)/pytest

# Setlist's modules compiled once: every server, worker and command (and each one the tests
# start) reads them instead of compiling them again, also where PYTHONDONTWRITEBYTECODE is
# set or the project folder is read-only to it (about 0.27 s a process).
bytecode: $(RUNTIME_STAMP)
	$(BIN)/python -m compileall -q app config.py migrations

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Every main page at 1366x900 and 390x844 in Debian's Chromium, into screenshots/.
screenshots: $(DEV_STAMP) compile-translations
	$(BIN)/python -m tests.e2e.screenshots screenshots

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(RUNTIME_STAMP)

# Re-extract every message into babel/messages.pot, merge into each catalog, compile.
translations: $(RUNTIME_STAMP)
	$(BIN)/pybabel extract --no-location -F babel/babel.cfg -k lazy_gettext -o babel/messages.pot app
	$(BIN)/pybabel update --no-fuzzy-matching -i babel/messages.pot -d $(TRANSLATIONS)
	$(MAKE) compile-translations

compile-translations: $(RUNTIME_STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d $(TRANSLATIONS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
