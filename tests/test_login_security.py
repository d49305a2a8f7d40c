"""Login safety: lockout after repeated failures, and the Content-Security-Policy header."""

import pytest
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
