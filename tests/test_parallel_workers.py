"""The suite runs in several pytest-xdist workers (`make test`): each has its own test database
and its own Redis database, so that no worker empties another's cache or takes its tasks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from pk_portal.celery import app
from tests.services import redis_url_of_worker

ROOT = Path(__file__).resolve().parent.parent


def test_each_worker_counts_down_from_the_redis_database_named():
    assert redis_url_of_worker("redis://127.0.0.1:6379/12", 0) == "redis://127.0.0.1:6379/12"
    assert redis_url_of_worker("redis://127.0.0.1:6379/12", 1) == "redis://127.0.0.1:6379/11"
    assert (
        redis_url_of_worker("rediss://:secret@cache:6380/14", 3) == "rediss://:secret@cache:6380/11"
    )
    assert redis_url_of_worker("unix:///run/redis.sock?db=5", 2) == "unix:///run/redis.sock?db=3"


def test_a_url_without_a_number_is_database_0_and_leaves_none_for_a_second_worker():
    assert redis_url_of_worker("redis://127.0.0.1:6379", 0) == "redis://127.0.0.1:6379/0"
    with pytest.raises(ValueError, match="no Redis database for worker gw1"):
        redis_url_of_worker("redis://127.0.0.1:6379", 1)
    with pytest.raises(ValueError, match="names no database number"):
        redis_url_of_worker("redis://127.0.0.1:6379/cache", 0)


ENV_RECORDER = """
import os
from pathlib import Path

def test_records_the_workers_redis_url():
    Path(os.environ["RECORD_DIR"], os.environ["PYTEST_XDIST_WORKER"]).write_text(
        os.environ["REDIS_URL"])
"""


def run_two_workers(tmp_path, redis_url):
    """A tiny suite with the hook of tests/conftest.py, on two workers that each run its test."""
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_xdist_setupnodes\n")
    (tmp_path / "test_env.py").write_text(ENV_RECORDER)
    env = {**os.environ, "REDIS_URL": redis_url, "RECORD_DIR": str(tmp_path),
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "each", "-p", "no:django",
         "-p", "no:cacheprovider", "-p", "no:playwright", "-q", "test_env.py"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_two_workers_start_with_their_own_redis_databases(tmp_path):
    result = run_two_workers(tmp_path, "redis://127.0.0.1:6379/9")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "gw0").read_text() == "redis://127.0.0.1:6379/9"
    assert (tmp_path / "gw1").read_text() == "redis://127.0.0.1:6379/8"


def test_two_workers_refuse_a_redis_url_that_leaves_one_without_a_database(tmp_path):
    result = run_two_workers(tmp_path, "redis://127.0.0.1:6379/0")
    assert result.returncode != 0
    assert "leaves no Redis database for worker gw1" in result.stdout + result.stderr
    assert not (tmp_path / "gw0").exists()


@pytest.mark.redis
def test_the_cache_broker_and_results_all_use_this_workers_redis_database():
    own = os.environ["REDIS_URL"]
    used = {settings.REDIS_URL, settings.CACHES["default"]["LOCATION"], app.conf.broker_url,
            app.conf.result_backend}  # fmt: skip
    assert used == {own}
    database = int(own.rsplit("/", 1)[1])
    assert cache._cache.get_client().connection_pool.connection_kwargs["db"] == database


@pytest.mark.postgres
@pytest.mark.django_db
def test_this_worker_has_a_test_database_of_its_own():
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    own = os.environ["DATABASE_TEST_NAME"] + (f"_{worker}" if worker else "")
    assert connection.settings_dict["NAME"] == own
