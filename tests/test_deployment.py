"""docker-compose.yml cannot run here (no Docker engine): check the recipe by reading it."""

import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_every_service_the_app_needs_is_there_with_a_health_check():
    services = compose()["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_app_services_share_the_database_redis_and_media_volume():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert any(v.startswith("media:") for v in services[name]["volumes"])
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "media" in compose()["volumes"]


def test_the_commands_exist_in_the_project():
    services = compose()["services"]
    web = services["web"]["command"]
    assert "gunicorn pk_portal.wsgi:application" in web
    assert (ROOT / "pk_portal" / "wsgi.py").exists()
    assert (ROOT / "pk_portal" / "gunicorn.conf.py").exists()
    assert "manage.py migrate" in web and "manage.py collectstatic" in web
    for name in ("worker", "beat"):
        argv = shlex.split(services[name]["command"])
        assert argv[:3] == ["celery", "-A", "pk_portal"]
    assert (ROOT / "pk_portal" / "celery.py").exists()
    beat = services["beat"]["command"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_env_example_names_the_required_secrets():
    text = (ROOT / ".env.example").read_text()
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS", "EMAIL_HOST"):
        assert f"{name}=" in text
