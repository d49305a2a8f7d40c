# The two commands of the README: `make demo` and `make test`. Both set up what is missing.
.PHONY: demo test lint setup lock tour

PY := .venv/bin/python

setup:
	@scripts/bootstrap.sh

demo: setup
	@DEBUG=1 $(PY) manage.py migrate --no-input -v0
	@DEBUG=1 $(PY) manage.py load_demo
	@scripts/run_demo.sh    # runserver and a Celery worker (no Redis); Ctrl+C stops both

# The suite runs in parallel, one pytest-xdist worker per core (at most 4; pyproject.toml sets
# the cap and the distribution). `make test PYTEST_WORKERS=0` runs it in one process, in order,
# to debug (--pdb does the same).
PYTEST_WORKERS ?= auto

test:
	@scripts/bootstrap.sh --browser
	@.venv/bin/lint-imports --no-cache    # the import contracts of .importlinter
	@$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The README tour's screenshots (docs/tour/*.png), taken again by the browser journeys.
tour:
	@scripts/bootstrap.sh --browser
	@PK_TOUR_DIR=docs/tour $(PY) -m pytest -q -m browser tests/test_browser_journeys.py \
		tests/test_browser_cycle.py tests/test_browser_monitoring.py

lint: setup
	@.venv/bin/lint-imports --no-cache
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

# Re-pin the whole tree after editing the dependencies in pyproject.toml.
lock:
	rm -rf var/lock-venv && python3 -m venv var/lock-venv
	var/lock-venv/bin/pip install -q --upgrade pip
	python3 scripts/direct_deps.py | xargs var/lock-venv/bin/pip install -q
	(echo "# The whole dependency tree, pinned. Regenerate after changing pyproject.toml: make lock"; \
	 var/lock-venv/bin/pip freeze) > requirements.lock
