# Loam: `make run` to try it, `make test` to test it. Only Python 3.11+ is needed: without
# DATABASE_URL, Loam starts its own PostgreSQL (config/embedded_postgres) in LOAM_DATA_DIR.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The legacy argilla-v1 SDK pins old httpx/numpy: tests/compat drives it from its own virtualenv.
V1_VENV ?= .venv-argilla-v1
ARGILLA_V1_REQS := 'argilla-v1==1.29.1' 'datasets>1.17.0' 'pyarrow<21' 'pandas<3'

.PHONY: run test fuzz lint install install-dev install-compat install-oidc migrate seed clean

# Translations: locale/<lang>/LC_MESSAGES/django.po is the source; its .mo is built on install
# by babel (pure Python, so no gettext tools are needed) and never committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-compat: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,compat]'
	touch $(VENV)/.installed $(VENV)/.installed-dev $@

$(V1_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(V1_VENV)
	$(V1_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(V1_VENV)/bin/pip install --quiet $(ARGILLA_V1_REQS)
	touch $@

$(MO_FILES): %.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@ -l $(word 2,$(subst /, ,$<))

install: $(VENV)/.installed $(MO_FILES)
install-dev: $(VENV)/.installed-dev $(MO_FILES)
# The real Argilla SDKs for tests/compat (without them those tests skip).
install-compat: $(VENV)/.installed-compat $(V1_VENV)/.installed $(MO_FILES)

# The real OpenID Connect provider the SSO tests start (tests/oidc: node's oidc-provider,
# pinned by its package-lock.json). Without it those tests skip (LOAM_REQUIRE_OIDC: fail).
OIDC_DIR := tests/oidc
$(OIDC_DIR)/node_modules/.package-lock.json: $(OIDC_DIR)/package-lock.json
	cd $(OIDC_DIR) && npm ci --no-audit --no-fund --loglevel=error
install-oidc: $(OIDC_DIR)/node_modules/.package-lock.json

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

# The web server and the background worker, stopped together by Ctrl+C; once they are up,
# serve prints where to go and the demo logins as the last lines on the screen.
run: seed
	$(BIN)/python manage.py serve --demo $(HOST):$(PORT)

# The one test command: README and CI use it (DATABASE_URL: another PostgreSQL server).
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The API fuzzer (tests/api/test_fuzz.py) for longer than CI runs it: rounds with a new random
# seed each and a larger example budget, until FUZZ_MINUTES have passed. Stops at the first
# failure; the seed it prints reproduces it (LOAM_FUZZ_SEED=<seed>).
FUZZ_MINUTES ?= 10
FUZZ_EXAMPLES ?= 25
fuzz: install-dev
	@end=$$(( $$(date +%s) + $(FUZZ_MINUTES) * 60 )); round=0; \
	while [ $$(date +%s) -lt $$end ]; do \
		round=$$((round + 1)); left=$$(( end - $$(date +%s) )); \
		echo "=== fuzz round $$round ($$left s left)"; \
		LOAM_FUZZ_SEED=random LOAM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LOAM_FUZZ_ALL_PHASES=1 \
		LOAM_FUZZ_MAX_TIME=$$(( left / 3 > 30 ? left / 3 : 30 )) \
		$(BIN)/python -m pytest -m fuzz -q -s -p no:cacheprovider -p no:logging \
			tests/api/test_fuzz.py || exit 1; \
	done

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# The apps' layers: no module imports an app above its own ([tool.importlinter]).
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	@# Ids become objects only through the tenant-scoped accessors (apps/<app>/access.py).
	$(BIN)/python .ci/check_accessors.py

# Keeps .loam/ (the embedded database's data): remove it by hand to start afresh.
clean:
	rm -rf $(VENV) $(V1_VENV) staticfiles
