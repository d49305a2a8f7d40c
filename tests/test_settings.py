import os
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from pk_portal.cache import RedisCache
from pk_portal.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent
# Set by the suite (services, browser tests); a production process would not have them.
TEST_ONLY_ENV = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_django(code: str, **env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "pk_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_bool_refuses_a_typo(monkeypatch):
    monkeypatch.setenv("PK_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="PK_FLAG"):
        env_bool("PK_FLAG", False)


def test_env_readers_parse_good_values(monkeypatch):
    monkeypatch.setenv("PK_FLAG", "Yes")
    monkeypatch.setenv("PK_NUMBER", "42")
    monkeypatch.setenv("PK_HOSTS", "a.example, b.example")
    assert env_bool("PK_FLAG", False) is True
    assert env_int("PK_NUMBER", 0) == 42
    assert env_list("PK_HOSTS", []) == ["a.example", "b.example"]


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("PK_NUMBER", "sepuluh")
    with pytest.raises(ImproperlyConfigured, match="PK_NUMBER"):
        env_int("PK_NUMBER", 0)


def test_the_embedded_default_is_sqlite_without_redis():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, "
        "s.CACHES['default']['BACKEND'])"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.cache.backends.locmem.LocMemCache",
    ]


def test_redis_url_makes_redis_the_broker_and_cache():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND'])",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "redis://127.0.0.1:6379/3",
        "False",
        "pk_portal.cache.RedisCache",
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/pk"),
        ("REDIS_URL", "localhost:6379"),
        ("DEBUG", "maybe"),
        ("FILE_STORAGE", "ftp"),
    ],
)
def test_a_bad_setting_stops_start_up_and_names_the_variable(name, value):
    result = run_django("print('started')", **{name: value})
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert name in result.stderr


def test_check_deploy_is_clean_with_production_values():
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    env.update(
        DEBUG="false",
        SECRET_KEY="x9$Kq2!vL7#pR4@tW8^zN1&bM6*cH3(fJ5)gD0_sA-yE+uQ=oI~",
        # Without it (or with the development default) the deployment check fails (issue 16).
        SIGNING_KEY_PASSPHRASE="Tq8#vZ2!mK5@pL9^wR3&xN7*cB1(hJ4)",
        ALLOWED_HOSTS="pk.kpu.go.id",
        SECURE_SSL_REDIRECT="true",  # HSTS is on by default without DEBUG
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
        BEHIND_TLS_PROXY="true",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_development_key():
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV | {"SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**env, "DEBUG": "false"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "W009" in result.stdout + result.stderr


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_database_url_says_so():
    assert os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://"))
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_every_pinned_dependency_is_in_the_lock_file():

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = project["dependencies"] + project["optional-dependencies"]["dev"]
    lock = {
        line.split("==")[0].lower().replace("_", "-"): line.split("==")[1]
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for pin in pins:
        name, version = pin.split("==")
        name = name.split("[")[0].lower().replace("_", "-")
        assert lock.get(name) == version, f"{pin} is not what requirements.lock pins"


@pytest.mark.redis
def test_the_redis_cache_reuses_one_client_and_still_reads_and_writes():
    """pk_portal.cache: one redis-py client per pool, not one per call (a tenth of a cached PK
    page's CPU), and the cache still round-trips through the real Redis."""
    backend = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    client = backend._cache.get_client(write=True)
    assert backend._cache.get_client(write=True) is client
    assert backend._cache.get_client() is client  # one server: reads use the same pool
    backend.set("page", "isi halaman", 30)
    assert backend.get_many(["page", "absent"]) == {"page": "isi halaman"}
    backend.delete("page")
    assert backend.get("page") is None
