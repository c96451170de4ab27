# Two commands matter: `make run` (set up and start the assistant) and `make test`.
# Set PYTHON=/path/to/python3.10 to choose the interpreter.
SHELL := /bin/bash
export PYTHON
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PO_FILES := $(wildcard locales/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test setup system-packages browser-tools catalogs catalogs-update model bench lint chat

run: setup catalogs model  ## start Rasa, the action server and the bot (console without a token)
	$(PY) -m app run

chat: setup catalogs model  ## scriptable console: one JSON message per line
	$(PY) -m app chat --json

test: setup system-packages browser-tools catalogs model  ## every test, lint and type checks included
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest

setup: $(INSTALLED)

system-packages:  ## Debian's chromium (browser tests) and haproxy (replica test), with apt-get, only when missing
	scripts/system-packages.sh

browser-tools: tests/browser/node_modules/axe-core/axe.min.js  ## axe-core for the accessibility checks

tests/browser/node_modules/axe-core/axe.min.js: tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

$(INSTALLED): pyproject.toml requirements/lock.txt
	@if [ ! -x $(PY) ]; then py=$$(scripts/find-python.sh) && "$$py" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade "pip<25"
	$(PY) -m pip install --quiet -c requirements/lock.txt -e ".[dev]"
	@touch $@

catalogs: $(MO_FILES)

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(INSTALLED)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

catalogs-update: setup  ## re-extract ids from the code and merge them into every catalog
	$(VENV)/bin/pybabel extract -F babel.cfg -k tr:2 -k N_ --no-default-keywords --omit-header -o locales/messages.pot .
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --omit-header

model: setup  ## train only when the training data changed
	$(PY) -m app train

bench: setup system-packages catalogs model  ## latency, throughput, transactions and memory figures
	$(PY) scripts/benchmark.py
	$(PY) scripts/webchat_bench.py
	$(PY) scripts/replica_bench.py
	$(PY) scripts/long_conversation.py
	$(PY) scripts/nlu_eval.py
	$(PY) scripts/language_eval.py
	$(PY) scripts/places_eval.py --no-ner
	$(PY) scripts/phone_eval.py
	$(PY) scripts/phone_eval.py --without-vectors
	$(PY) scripts/phone_pipeline_eval.py
	$(PY) scripts/content_stats.py

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
