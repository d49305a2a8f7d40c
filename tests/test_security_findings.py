"""The findings 3–7 of the independent test (issue 16), each replayed: the signing page's and
the one-time-code page's password count towards django-axes' lockout, a development secret
fails `check --deploy`, password-reset requests are limited, and the API answers a
locked-out account with its documented JSON 429. (Finding 3 is in the bad-input corpus.)"""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements.models import SignedDocument
from organisations.checks import development_secrets
from tests.factories import give_otp_device, make_user, verify_otp
from tests.test_monitoring_api import api_url, basic, kaltim  # noqa: F401 - fixture
from tests.test_signing import PASSWORD, SECRET, approve, cast  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _lock_signature(client, url, data):
    """Post five wrong passwords, as a guesser would."""
    for _ in range(5):
        client.post(url, {**data, "password": "tebakan-salah"})


# --- finding 4: the passwords of the signing and one-time-code pages --------------------------
def test_wrong_passwords_on_the_signing_page_lock_the_account(client, cast):  # noqa: F811

    agreement, users = approve(*cast), cast[1]
    url = reverse("agreements:sign", args=[agreement.pk])
    client.force_login(users["pihak_pertama"])
    verify_otp(users["pihak_pertama"], client)
    _lock_signature(client, url, {"party": "pihak_pertama", "signing_secret": SECRET})
    assert AccessAttempt.objects.get(username="kasubbag").failures_since_start == 5
    locked = client.post(
        url, {"party": "pihak_pertama", "password": PASSWORD, "signing_secret": SECRET}
    )
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
    assert not SignedDocument.objects.exists()


def test_wrong_passwords_on_the_page_that_switches_codes_off_lock_the_account(client):

    user = make_user("ketua")
    give_otp_device(user)
    client.force_login(user)
    for _ in range(5):
        client.post(reverse("otp_remove"), {"password": "tebakan-salah"})
    assert AccessAttempt.objects.get(username="ketua").failures_since_start == 5
    locked = client.post(reverse("otp_remove"), {"password": "sandi-uji-yang-panjang"})
    assert locked.status_code == 429
    assert TOTPDevice.objects.filter(user=user).exists()


# --- finding 5: development secrets and check --deploy -----------------------------------------
def test_the_default_signing_passphrase_fails_the_deployment_check(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 60
    settings.SIGNING_KEY_PASSPHRASE = "dev-only-passphrase"
    assert [e.id for e in development_secrets()] == ["pk_portal.E002"]
    settings.SIGNING_KEY_PASSPHRASE = ""
    assert [e.id for e in development_secrets()] == ["pk_portal.E002"]
    settings.SIGNING_KEY_PASSPHRASE = "change-me-to-a-long-random-passphrase"  # .env.example
    assert [e.id for e in development_secrets()] == ["pk_portal.E002"]
    with pytest.raises(SystemCheckError, match="SIGNING_KEY_PASSPHRASE"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_the_development_secret_key_fails_the_deployment_check(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "django-insecure-pk-portal-development-key-do-not-deploy"
    settings.SIGNING_KEY_PASSPHRASE = "a-long-random-value-of-the-server"
    assert [e.id for e in development_secrets()] == ["pk_portal.E001"]


def test_real_secrets_or_debug_pass_the_deployment_check(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 60
    settings.SIGNING_KEY_PASSPHRASE = "a-long-random-value-of-the-server"
    assert development_secrets() == []
    settings.DEBUG = True
    settings.SIGNING_KEY_PASSPHRASE = "dev-only-passphrase"
    assert development_secrets() == []


def test_env_example_names_the_signing_passphrase(settings):
    text = (settings.BASE_DIR / ".env.example").read_text()
    assert "SIGNING_KEY_PASSPHRASE=" in text


# --- finding 6: password-reset requests ----------------------------------------------------
def test_password_reset_requests_are_limited_per_address(client, settings, eager_celery):
    make_user("ketua", email="ketua@kpu.go.id")
    url = reverse("password_reset")
    answers = [client.post(url, {"email": "ketua@kpu.go.id"}) for _ in range(6)]
    assert [a.status_code for a in answers] == [302, 302, 302, 200, 200, 200]
    assert len(mail.outbox) == 3
    assert "Terlalu banyak permintaan atur ulang kata sandi" in answers[-1].content.decode()


def test_password_reset_requests_are_limited_per_client(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 4
    url = reverse("password_reset")
    answers = [client.post(url, {"email": f"orang{i}@kpu.go.id"}) for i in range(6)]
    assert [a.status_code for a in answers] == [302] * 4 + [200] * 2
    other_client = client.post(url, {"email": "lain@kpu.go.id"}, REMOTE_ADDR="10.0.0.9")
    assert other_client.status_code == 302


# --- finding 7: the API's lockout -------------------------------------------------------------
def test_a_locked_out_api_account_gets_the_documented_json_429(client, kaltim):  # noqa: F811
    for _ in range(5):
        client.get(api_url(), **basic("perencanaan", "salah"))
    locked = client.get(api_url(), **basic("perencanaan"))
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["error"]["code"] == "akun_terkunci"
    assert int(locked["Retry-After"]) > 0
    spec = client.get(reverse("monitoring_reports:openapi"), **basic("perencanaan"))
    assert spec.status_code == 429 and spec.json()["error"]["code"] == "akun_terkunci"


def test_a_locked_out_login_form_still_gets_the_page(client):
    make_user("ketua")
    for _ in range(5):
        client.post(reverse("login"), {"username": "ketua", "password": "salah"})
    locked = client.post(reverse("login"), {"username": "ketua", "password": "salah"})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
