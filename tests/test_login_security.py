"""Login safety: lockout after repeated failures, and the Content-Security-Policy header."""

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_five_wrong_passwords_lock_the_username_with_a_clear_message(client, django_user_model):
    django_user_model.objects.create_user("ketua.bontang", password="sandi-yang-benar-2027")
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "ketua.bontang", "password": "salah"})
        assert response.status_code == 200
    fifth = client.post(reverse("login"), {"username": "ketua.bontang", "password": "salah"})
    assert fifth.status_code == 429  # the fifth failure locks
    locked = client.post(
        reverse("login"), {"username": "ketua.bontang", "password": "sandi-yang-benar-2027"}
    )
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.content.decode()
    # Another user of the same office (same address) is not locked out.
    django_user_model.objects.create_user("operator.bontang", password="sandi-operator-2027")
    other = client.post(
        reverse("login"), {"username": "operator.bontang", "password": "sandi-operator-2027"}
    )
    assert other.status_code == 302


def test_pages_carry_a_policy_that_allows_no_inline_script(client):
    header = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in header
    assert directives["object-src"] == "'none'"


@pytest.mark.parametrize(
    "password, message",
    [
        ("pendek-1", "terlalu pendek"),
        ("1234567890123", "seluruhnya terdiri dari angka"),
        ("password123", "terlalu umum"),
        ("ketua.bontang.kpu", "terlalu mirip"),
    ],
)
def test_password_rules_refuse_weak_passwords_in_indonesian(
    client, django_user_model, password, message
):
    user = django_user_model.objects.create_user("ketua.bontang.kpu", password="sandi-lama-2027")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "sandi-lama-2027", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode().lower()
    assert "Admin situs Django" not in response.content.decode()  # the portal's own page
    user.refresh_from_db()
    assert user.check_password("sandi-lama-2027")


def test_a_session_ends_after_a_working_day_and_with_the_browser(client, django_user_model):

    django_user_model.objects.create_user("operator.sorong", password="sandi-operator-2027")
    with time_machine.travel("2027-01-20 08:00 +09:00", tick=False) as traveller:
        login = client.post(
            reverse("login"), {"username": "operator.sorong", "password": "sandi-operator-2027"}
        )
        assert login.status_code == 302
        assert login.cookies["sessionid"]["expires"] == ""  # a browser-session cookie
        assert client.get(reverse("agreements:list")).status_code == 200
        traveller.shift(8 * 60 * 60 + 60)
        expired = client.get(reverse("agreements:list"))
        assert expired.status_code == 302 and "/akun/login/" in expired["Location"]


def test_uploaded_files_have_no_public_url(client, django_user_model, settings):

    name = default_storage.save("pindaian/pk-1.pdf", ContentFile(b"%PDF-1.7 rahasia"))
    client.force_login(django_user_model.objects.create_user("siapa.saja", password="x" * 12))
    for url in (settings.MEDIA_URL + name, "/media/" + name, "/" + name):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"rahasia" not in b"".join(
            getattr(response, "streaming_content", [response.content])
        )


def test_the_password_pages_are_the_portals_own(client):
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        page = client.get(reverse(name)).content.decode()
        assert "PK Portal" in page and "Admin situs Django" not in page, name
    invalid = client.get(reverse("password_reset_confirm", args=["MQ", "salah-token"]), follow=True)
    assert "Tautan tidak berlaku" in invalid.content.decode()


def test_a_wrong_password_is_told_in_plain_words_and_the_reset_page_says_surel(client):
    response = client.post(reverse("login"), {"username": "tidak.ada", "password": "salah"})
    html = response.content.decode()
    assert "Masukkan nama pengguna dan kata sandi yang benar." in html
    assert "nama pengguna nama pengguna" not in html
    page = client.get(reverse("password_reset")).content.decode()
    assert "Alamat surel" in page and "Email<" not in page
