"""One-time codes: any user sets one up; a signatory who has one must give it to sign."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements.signing.forms import SignForm
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttling(settings):
    # After a wrong code django-otp refuses for a growing delay: right in production, in the
    # way of a test that types a wrong code and then the right one.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_a_user_sets_up_a_one_time_code(client):
    user = make_user("ketua")
    client.force_login(user)
    assert "Pasang kode sekali pakai" in client.get(reverse("otp_settings")).content.decode()
    assert client.get(reverse("otp_start")).status_code == 405
    client.post(reverse("otp_start"))
    page = client.get(reverse("otp_settings")).content.decode()
    assert "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post(reverse("otp_confirm"), {"token": "000000"}, follow=True).content.decode()
    assert "Kode tidak cocok" in wrong
    client.post(reverse("otp_confirm"), {"token": f"{totp(device.bin_key):06d}"})
    assert TOTPDevice.objects.get(user=user).confirmed
    page = client.get(reverse("otp_settings")).content.decode()
    assert "Kode sekali pakai aktif untuk akun Anda." in page
    client.post(reverse("otp_remove"), {"password": "salah"})
    assert TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("otp_remove"), {"password": "sandi-uji-yang-panjang"})
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_signing_asks_for_the_code_of_a_user_who_has_one():
    user = make_user("sekretaris")
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    data = {"party": "pihak_kedua", "password": "sandi-uji-yang-panjang"}
    assert "otp_token" not in SignForm(data).fields
    without = SignForm(data, otp_user=user)
    assert not without.is_valid() and "otp_token" in without.errors
    wrong = SignForm({**data, "otp_token": "123456"}, otp_user=user)
    assert not wrong.is_valid()
    assert "salah atau sudah kedaluwarsa" in wrong.errors["otp_token"][0]
    right = SignForm({**data, "otp_token": f"{totp(device.bin_key):06d}"}, otp_user=user)
    assert right.is_valid(), right.errors


def test_with_only_the_password_nobody_swaps_in_another_authenticator(client):
    """Someone who learnt the password cannot replace or remove the active device."""
    user = make_user("sekretaris")
    device = TOTPDevice.objects.create(user=user, name="x", confirmed=True)
    client.force_login(user)  # a fresh session: no code given yet
    refused = client.post(reverse("otp_start"), follow=True).content.decode()
    assert "Kode sekali pakai sudah aktif" in refused
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    # A pending device made before is of no use either.
    pending = TOTPDevice.objects.create(user=user, name="y", confirmed=False)
    client.post(reverse("otp_confirm"), {"token": f"{totp(pending.bin_key):06d}"})
    pending.refresh_from_db()
    assert not pending.confirmed
    page = client.get(reverse("otp_settings")).content.decode()
    assert 'name="token"' in page  # the removal form asks for a code
    client.post(reverse("otp_remove"), {"password": "sandi-uji-yang-panjang"})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    client.post(reverse("otp_remove"), {"password": "sandi-uji-yang-panjang", "token": "000000"})
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    client.post(
        reverse("otp_remove"),
        {"password": "sandi-uji-yang-panjang", "token": f"{totp(device.bin_key):06d}"},
    )
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_owner_is_told_by_email_when_the_code_changes(
    client, mailoutbox, eager_celery, django_capture_on_commit_callbacks
):
    user = make_user("ketua", email="ketua@kpu-bontang.example")
    client.force_login(user)
    client.post(reverse("otp_start"))
    device = TOTPDevice.objects.get(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("otp_confirm"), {"token": f"{totp(device.bin_key):06d}"})
    assert [m.to for m in mailoutbox] == [["ketua@kpu-bontang.example"]]
    assert "diaktifkan" in mailoutbox[0].body and "ganti sandi" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("otp_remove"), {"password": "sandi-uji-yang-panjang"})
    assert len(mailoutbox) == 2 and "dinonaktifkan" in mailoutbox[1].body
