"""Request bodies: an oversized one is refused before it is read; a real-size lampiran form
(250 indicators) is not refused for its number of fields."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from indicators.targets import parse_target
from tests.factories import make_subbagian_cast

pytestmark = pytest.mark.django_db


def test_a_body_over_the_limit_is_refused_unread_with_a_message(settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024
    client = Client(enforce_csrf_checks=True)  # the refusal comes before the CSRF check
    response = client.post(reverse("login"), {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert "Kiriman terlalu besar; paling besar 0 MB." in response.content.decode()
    small = client.get(reverse("login"))
    assert small.status_code == 200


def test_the_default_limit_leaves_room_for_a_20_mb_scan(settings):
    assert settings.MAX_REQUEST_BODY_BYTES > 21 * 1024 * 1024


def form_fields(html: str) -> dict:
    """Every input, select and textarea of the page with its value, as a browser would post."""

    fields = {}

    class Reader(HTMLParser):
        textarea = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if not name:
                return
            if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
                if attrs.get("type") == "checkbox" and "checked" not in attrs:
                    return
                fields[name] = attrs.get("value", "")
            elif tag == "textarea":
                self.textarea = name
                fields[name] = ""
            elif tag == "select":
                fields[name] = ""

        def handle_data(self, data):
            if self.textarea:
                fields[self.textarea] += data

        def handle_endtag(self, tag):
            if tag == "textarea":
                self.textarea = None

    Reader().feed(html)
    return fields


def test_a_250_indicator_lampiran_is_saved_back_from_the_editor(client):

    agreement, users = make_subbagian_cast()
    programme = ("076.01.WA", "Program Dukungan Manajemen")
    rows = [LampiranRow(INDIKATOR, *programme, "", "Kegiatan", f"Sasaran {i // 5}",
                        f"Indikator nomor {i}", parse_target("100%")) for i in range(250)]  # fmt: skip
    replace_lampiran(agreement, [*rows, LampiranRow(ANGGARAN, *programme, anggaran=1_000_000)])
    client.force_login(users["drafter"])
    url = reverse("agreements:lampiran", args=[agreement.pk])
    data = form_fields(client.get(url).content.decode())
    assert len(data) > 2000  # more than Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement.refresh_from_db()
    assert agreement.indicator_count() == 250
