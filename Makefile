# The two commands: `make run` (the site on http://127.0.0.1:8000) and `make test`.
# Everything else is set up on demand: the virtualenv, the install (redone only when
# pyproject.toml changes), the database and the reference data.

PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist processes for `make test`: one per CPU (each has its own test database).
TEST_WORKERS ?= auto

# Python 3.11 when there is one (the version CI uses), otherwise whatever python3 is.
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install migrate data run test admin lint format worker beat

help:
	@echo "make run      the site on http://127.0.0.1:$(PORT)/ (PORT=8123 for another port)"
	@echo "make test     the whole test suite (PYTEST_ARGS='-k map -x' to narrow it)"
	@echo "make admin    a local superuser for /admin/ (admin / admin unless ADMIN_PASSWORD)"
	@echo "make lint     ruff check, ruff format --check and the import contracts"
	@echo "make format   ruff format and ruff check --fix"
	@echo "make worker   a Celery worker (needs REDIS_URL)"
	@echo "make beat     Celery beat, the scheduler (needs REDIS_URL)"

$(BIN)/python:
	@echo "==> Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

# The stamp is newer than pyproject.toml once the install has succeeded.
$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "==> Installing the project and its development tools into $(VENV) (a minute or two)"
	$(BIN)/python -m pip install -qq --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(INSTALLED)

migrate: $(INSTALLED)
	@echo "==> Applying migrations"
	$(MANAGE) migrate --noinput

# Idempotent: skipped in a second when the same files were loaded before.
data: migrate
	@echo "==> Loading the reference data from data/"
	$(MANAGE) load_reference_data
	@echo "==> Writing the map's layer files (LAYER_FILES_ROOT, var/layers by default)"
	$(MANAGE) layers_build

run: data
	@echo "==> Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(INSTALLED)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

admin: migrate
	$(MANAGE) ensure_admin
	@echo "==> The admin: http://127.0.0.1:$(PORT)/admin/ (after make run)"

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Celery needs a real broker; without REDIS_URL tasks already run in the web process.
define require_redis
	@test -n "$$REDIS_URL" || { \
		echo "REDIS_URL is not set, e.g. REDIS_URL=redis://127.0.0.1:6379/0 make $@"; \
		echo "(without it, tasks run eagerly inside the web process and need no worker)"; \
		exit 1; }
endef

worker: $(INSTALLED)
	$(require_redis)
	$(BIN)/celery -A sharedmap worker --loglevel=INFO

# The schedule state file is kept inside the ignored virtualenv folder.
beat: $(INSTALLED)
	$(require_redis)
	$(BIN)/celery -A sharedmap beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule
