# verify: `make run` serves the demo on 127.0.0.1:8000; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -c1-12)

# Test settings: production defaults, except plain HTTP on the test server.
TEST_ENV := SECRET_KEY=$${SECRET_KEY:-test-only-insecure-secret-key-0123456789abcdefghijklmnop} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-localhost,127.0.0.1,testserver} \
	SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 DEBUG=0

.PHONY: install run test lint format bench clean messages

$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	@mkdir -p var
	DEBUG=$${DEBUG:-1} VERIFY_DEMO=$${VERIFY_DEMO:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} VERIFY_DEMO=$${VERIFY_DEMO:-1} $(BIN)/python manage.py load_gazetteer
	DEBUG=$${DEBUG:-1} VERIFY_DEMO=$${VERIFY_DEMO:-1} $(BIN)/python manage.py load_demo
	DEBUG=$${DEBUG:-1} VERIFY_DEMO=$${VERIFY_DEMO:-1} $(BIN)/python manage.py casefile_keygen
	@echo "Serving on http://127.0.0.1:$(PORT)/ (sign in with one of the demo accounts above)"
	DEBUG=$${DEBUG:-1} VERIFY_DEMO=$${VERIFY_DEMO:-1} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	@mkdir -p var
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# Type-checked modules: the Django-free helpers, every service and access helper, and the workflow.
TYPED := verify/lib $(wildcard verify/*/services.py) $(wildcard verify/*/access.py) verify/incidents/workflow.py \
	verify/imports/run.py verify/imports/run_write.py verify/imports/storage.py verify/imports/progress.py \
	verify/imports/report.py verify/imports/row_helpers.py verify/core/listing.py verify/core/display.py \
	verify/claims/reasons.py verify/suggestions/extract.py verify/suggestions/dates.py verify/suggestions/evaluation.py \
	verify/core/keyset.py verify/core/cached.py verify/core/routers.py verify/maps/summary.py \
	verify/casefiles/builder.py verify/casefiles/signing.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/mypy $(TYPED)

# Refresh the Arabic catalogs from the marked strings, then compile them (needs GNU gettext: apt install gettext).
# The compiled .mo files are committed, so `make run` and `make test` need no gettext; tests/core/test_translations.py
# fails when a catalog is stale, untranslated, fuzzy, or its .mo does not match its .po.
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=docs --ignore=static/vendor
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l ar --no-obsolete --add-location=file $(MESSAGES_IGNORE) -e html,txt,py
	DEBUG=1 $(BIN)/python manage.py makemessages -d djangojs -l ar --no-obsolete --add-location=file $(MESSAGES_IGNORE) \
		--ignore=var/staticfiles
	DEBUG=1 $(BIN)/python manage.py compilemessages -l ar --ignore=.venv

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(TEST_ENV) $(BIN)/python bench/run.py

clean:
	rm -rf var/evidence/tmp
