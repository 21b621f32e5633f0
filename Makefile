# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck checks pytest pytest-postgres smoke smoke-postgres bench clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ThiĐua cần Python 3.11 trở lên")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/thidua migrate --noinput
	$(BIN)/thidua demo --once
	$(BIN)/thidua serve 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy thidua conftest.py $(wildcard bench/*.py)

checks: install
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: install
	@echo "== pytest on SQLite"
	env -u THIDUA_DATABASE_URL -u THIDUA_DATABASE_URL_FILE $(BIN)/pytest

pytest-postgres: install
	@if [ -n "$$THIDUA_TEST_POSTGRES" ]; then \
		echo "== pytest on PostgreSQL"; \
		THIDUA_DATABASE_URL="$$THIDUA_TEST_POSTGRES" $(BIN)/pytest; \
	else echo "THIDUA_TEST_POSTGRES is not set: PostgreSQL run skipped"; fi

# Every page of the demo through the production settings (THIDUA_DEBUG=false), as each persona.
smoke: install
	env -u THIDUA_DATABASE_URL -u THIDUA_DATABASE_URL_FILE $(BIN)/python -m thidua.core.smoke

smoke-postgres: install
	@if [ -n "$$THIDUA_TEST_POSTGRES" ]; then \
		echo "== smoke test on PostgreSQL, THIDUA_DEBUG=false"; \
		$(BIN)/python -m thidua.core.smoke --database "$$THIDUA_TEST_POSTGRES"; \
	else echo "THIDUA_TEST_POSTGRES is not set: PostgreSQL smoke test skipped"; fi

test: lint typecheck checks pytest pytest-postgres smoke-postgres

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache build *.egg-info
