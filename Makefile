# LegalName: `make run` installs and starts everything on embedded defaults; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: install build-engine run test lint migrate bootstrap clean

$(STAMP): requirements.txt requirements.lock
	@command -v pkg-config >/dev/null && pkg-config --exists icu-uc || { \
	  echo "PyICU needs ICU headers and a C++ compiler: installing libicu-dev g++ pkg-config"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libicu-dev g++ pkg-config; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq libicu-dev g++ pkg-config; fi; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt -c requirements.lock
	touch $(STAMP)

# The comparison engine's hot modules compiled with mypyc (.so files beside the .py sources, git-ignored);
# rebuilt whenever they change. A failed compile prints a warning and leaves the engine in pure Python.
ENGINE_SRC := $(addprefix comparisons/engine/,normalize.py tokens.py legal_forms.py analysis.py features.py build.py)
ENGINE_STAMP := $(VENV)/.engine-built

$(ENGINE_STAMP): $(STAMP) $(ENGINE_SRC)
	$(PY) comparisons/engine/build.py
	touch $(ENGINE_STAMP)

build-engine: $(ENGINE_STAMP)

install: $(STAMP) $(ENGINE_STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# Everything `run` needs before the processes start: schema, static files, demo users, schedules, a model.
bootstrap: migrate
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py create_demo_users
	$(PY) manage.py setup_periodic_tasks
	$(PY) manage.py train_model --if-none

run: bootstrap
	@echo "LegalName on http://127.0.0.1:8000 (admin: /admin/, API docs: /api/docs/). Ctrl-C stops web, worker and beat."
	$(VENV)/bin/honcho start -f Procfile

# Every core (pytest-xdist); each worker has its own data folder and test database (legalname/settings/test.py).
test: install
	$(PY) -m pytest -q -n auto --dist loadfile

# Style, types and the import contracts: what .ci/run checks (configured in pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) var
