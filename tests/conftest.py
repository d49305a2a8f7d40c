"""Fixtures shared by the whole suite.

Tests that need the real PostgreSQL or Redis carry the `postgres` / `redis` marker. On a laptop
without those services they are skipped with the reason; where CI=true or
PK_REQUIRE_SERVICES=1 (as `.ci/run` sets) a missing service fails them instead, so CI never
passes by skipping.

`make test` runs the suite in several processes (pytest-xdist, `-n`). Each worker has its own
test database (pytest-django adds `_gw0`, `_gw1`, … to its name) and its own Redis database
(`pytest_xdist_setupnodes` below); everything else a test writes goes to its own `tmp_path`.
"""

import importlib
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils import translation
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import expect

from pk_portal.celery import app
from tests.a11y import PageChecks
from tests.services import redis_url_of_worker, services_required

# Property-based tests (Hypothesis): no deadline (a PDF layout takes a second on a busy
# machine), no example database in the checkout; in CI (wherever services are required) the
# examples are derandomized, so that a run is repeatable and a failure shows again.
hypothesis_settings.register_profile("default", deadline=None, database=None)
hypothesis_settings.register_profile("ci", deadline=None, database=None, derandomize=True)
hypothesis_settings.load_profile("ci" if services_required() else "default")

# A browser test waits for what a person would wait for: an e-signature or a compilation takes
# seconds on a busy 2-core CI machine, longer than Playwright's 5-second default for `expect`.
expect.set_options(timeout=20_000)

ROOT = Path(__file__).resolve().parent.parent


CHROMIUM = "/usr/bin/chromium"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """Gives each xdist worker its own Redis database for the cache, the Celery broker and the
    result backend (tests/services.py `redis_url_of_worker`: gw0 the one REDIS_URL names, gw1
    the one below, …).

    It goes into the environment each worker process starts with, as it would for any other
    process: pytest-django reads the settings before any conftest is imported, so the settings
    see the worker's own REDIS_URL without knowing about tests, and the Celery worker, beat and
    gunicorn processes a test starts inherit it. Runs in the controller, before the workers
    start; a worker that crashed is restarted with the same environment."""
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        return
    for worker_index, spec in enumerate(specs):
        try:
            spec.env["REDIS_URL"] = redis_url_of_worker(redis_url, worker_index)
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from exc


def pytest_runtest_setup(item):

    missing = []
    if item.get_closest_marker("browser") and not Path(CHROMIUM).exists():
        missing.append(f"Debian Chromium at {CHROMIUM} (make test installs it)")
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing.append("PostgreSQL (set DATABASE_URL=postgres://…)")
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        missing.append("Redis (set REDIS_URL=redis://…)")
    if missing:
        reason = "needs " + " and ".join(missing)
        if services_required():
            pytest.fail(f"CI requires every service: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _one_set_of_database_connections_per_thread():
    """Every greenlet of the test's thread uses the same database connections: those the test
    database is made and dropped with.

    Django keeps its connections per thread, and per asyncio context in a thread whose event
    loop runs (asgiref's thread-critical Local). Playwright's sync API marks its loop as running
    in the test's thread between its calls, and calls route and event handlers in greenlets with
    contexts of their own. So once Playwright had started, the tests of the session opened a
    second connection, not the one the test database was made with; the teardown, after
    Playwright stopped, closed only the first and could not drop the database ("is being
    accessed by other users"). A handler got a third, outside the test's transaction. Plain
    thread-local storage gives every greenlet the thread's connections, as in a thread without
    a loop; other threads (the live server's) keep their own."""
    shared = threading.local()
    for opened in connections.all(initialized_only=True):
        setattr(shared, opened.alias, opened)
    connections._connections = shared


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Password hashing is slow on purpose; tests make many users and need not pay for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SIGNING_KEY_KDF_ROUNDS = 1000  # the officials' PKCS#12, likewise


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    """Uploads, PDFs and bundles of a test go to its own folder, never to var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


# What the migrations seed (statement wordings, beat schedules): a test with a live server or
# `transactional_db` ends with a flush that empties these tables, and with the suite on several
# workers a later database test of the same worker may need them (Django: data migrations
# and TransactionTestCase). Each such test puts them back, idempotently, inside its own
# transaction when they are gone.
MIGRATION_SEEDS = [
    ("agreements.migrations.0009_statement_wordings_2024_2026", "add_wordings"),
    ("submissions.migrations.0003_reminder_schedule", "create_schedule"),
    ("submissions.migrations.0004_housekeeping_schedule", "create_schedule"),
    ("monitoring.migrations.0004_quarter_reminder_schedule", "create_schedule"),
    ("monitoring.migrations.0005_dashboard_warm_schedule", "create_schedule"),
]


@pytest.fixture(autouse=True)
def _migration_seeds(request):
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    uses_db = "db" in request.fixturenames or request.node.get_closest_marker("django_db")
    if uses_db and not transactional:
        request.getfixturevalue("db")
        # By name, not imported: this conftest also loads where Django is not set up yet.
        seeded = [("agreements", "StatementTemplate"), ("django_celery_beat", "PeriodicTask")]
        if not all(django_apps.get_model(*name).objects.exists() for name in seeded):
            for module, function in MIGRATION_SEEDS:
                getattr(importlib.import_module(module), function)(django_apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Ids repeat from one test to the next; a cached value must not."""

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Indonesian: a request with another language must not leak on."""

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_report_header(config):

    return [
        f"pk-portal: database={connection.vendor} redis={'yes' if settings.REDIS_URL else 'no'} "
        f"services_required={services_required()}"
    ]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Playwright drives the Debian Chromium; no tool may download a browser of its own."""
    return {
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }  # fmt: skip


@pytest.fixture
def browser_context_args(browser_context_args):
    # The site follows the browser's language: our users' browsers speak Indonesian.
    return {**browser_context_args, "locale": "id-ID", "accept_downloads": True}


@pytest.fixture
def page(page):
    """Playwright's page, checked: every page it loads and every htmx swap is run through
    axe-core (WCAG 2.1 A and AA, at 1280 px and 375 px), the Nu HTML checker and the word
    rules of tests/page_words.py after the test; any finding fails the test at teardown
    (tests/a11y.py)."""
    checks = PageChecks()
    checks.attach(page)
    yield page
    findings = checks.word_findings() + checks.axe_findings(page.context) + checks.html_findings()
    if findings:
        pytest.fail(
            f"{len(findings)} accessibility/HTML/word finding(s) on the pages this test visited:\n"
            + "\n".join(findings),
            pytrace=False,
        )


@pytest.fixture
def eager_celery():
    """Tasks run in the calling process (the embedded default), also where Redis is set."""

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real `celery worker` process on its own queue, against the configured Redis.

    Yields the queue name. The worker gets the test database's name so that tasks reading the
    database see what the test committed (hence `transactional_db`).
    """

    if not settings.REDIS_URL:
        pytest.skip("a worker process needs Redis")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    env["EMAIL_FILE_PATH"] = str(tmp_path / "mail")
    # Tasks the worker itself sends (e.g. an e-mail) must come back to this worker's queue.
    env["CELERY_TASK_DEFAULT_QUEUE"] = queue
    env["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    log = tmp_path / "worker.log"
    with open(log, "wb") as log_file:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "pk_portal", "worker",
                "--pool=solo", "--concurrency=1", "--without-gossip", "--without-mingle",
                "--without-heartbeat", f"--queues={queue}", f"--hostname={queue}@%h",
                "--loglevel=INFO",
            ],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1)
            if replies:
                break
            if worker.poll() is not None:
                pytest.fail("the Celery worker died on start:\n" + log.read_text())
        else:
            pytest.fail("the Celery worker did not answer within 60 s:\n" + log.read_text())
        yield {
            "queue": queue,
            "pid": worker.pid,
            "mail_dir": tmp_path / "mail",
            "log": log,
            "env": env,
        }
    finally:
        app.conf.task_default_queue = previous_queue
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
