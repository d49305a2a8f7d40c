import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_the_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["redis"] == ("ok" if settings.REDIS_URL else "not configured")
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_says_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")


@pytest.mark.django_db
def test_home_sends_anonymous_users_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_page_speaks_indonesian_and_serves_local_assets(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Masuk ke PK Portal" in html
    assert '<html lang="id">' in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_a_user_logs_in_and_sees_the_home_page(client, django_user_model):
    django_user_model.objects.create_user("operator", password="rahasia-sekali-123")
    response = client.post(
        reverse("login"), {"username": "operator", "password": "rahasia-sekali-123"}, follow=True
    )
    assert response.status_code == 200
    assert "Selamat datang, operator" in response.content.decode()


@pytest.mark.django_db
def test_a_wrong_password_gets_an_indonesian_message(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "salah"})
    assert response.status_code == 200
    assert "nama pengguna dan kata sandi yang benar" in response.content.decode().lower()


@pytest.mark.django_db
def test_logout_refuses_get(client, django_user_model):
    user = django_user_model.objects.create_user("operator", password="rahasia-sekali-123")
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405


def test_static_files_are_vendored():

    for path in ("vendor/bootstrap/bootstrap.min.css", "vendor/htmx/htmx.min.js"):
        assert finders.find(path), path


@pytest.mark.django_db
def test_the_login_page_is_available_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("login"))
    assert "Log in to PK Portal" in response.content.decode()
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_a_logged_in_user_can_read_the_site_in_english(client, django_user_model):
    user = django_user_model.objects.create_user("reader", password="rahasia-sekali-123")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("agreements:list")).content.decode()
    assert "Awaiting your action" in html and "Menunggu tindakan Anda" not in html
