"""DIPA records: an office enters its own; KPU imports many; wrong years are refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisations.models import Role
from submissions.models import Dipa
from tests.factories import load_units, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    load_units("64.74", "96.71")


def test_an_office_records_its_dipa_and_a_wrong_year_is_refused(client, offices):
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    page = client.get(reverse("dipa_list_year", args=[2027])).content.decode()
    assert "Sekretariat KPU Kota Bontang" in page and "KPU Kota Sorong" not in page
    url = reverse("dipa_edit", args=[2027, "64.74.sekretariat"])
    bad = client.post(url, {"number": "SP DIPA-076.01.2.690000/2027", "ratified_on": "2025-12-01"})
    assert bad.status_code == 400
    assert "harus pada tahun 2026 atau 2027" in bad.content.decode()
    assert 'value="SP DIPA-076.01.2.690000/2027"' in bad.content.decode()
    assert not Dipa.objects.exists()
    assert (
        client.post(
            url, {"number": "SP DIPA-076.01.2.690000/2027", "ratified_on": "2026-12-05"}
        ).status_code
        == 302
    )
    assert Dipa.objects.get().ratified_on.isoformat() == "2026-12-05"
    assert client.get(reverse("dipa_edit", args=[2027, "96.71.sekretariat"])).status_code == 404


def test_kpu_imports_many_dipas_all_or_nothing(client, offices):
    client.force_login(
        make_user(unit_code="setjen.biro-perencanaan", role=Role.REVIEWER_PERENCANAAN)
    )
    url = reverse("dipa_import", args=[2027])
    bad = SimpleUploadedFile(
        "dipa.csv",
        b"kode_unit,tahun,nomor_dipa,tanggal_dipa\n64.74,2027,A,2026-12-05\n99.99,2027,B,2026-12-05\n64.74.sekretariat,2027,C,31/02/2027\n",
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Unit “99.99” tidak dikenal." in html and "Tanggal “31/02/2027” tidak sah" in html
    assert not Dipa.objects.exists()
    good = SimpleUploadedFile(
        "dipa.csv",
        b"kode_unit,tahun,nomor_dipa,tanggal_dipa\n64.74,2027,A,2026-12-05\n96.71.sekretariat,2027,B,05/01/2027\n",
    )
    assert client.post(url, {"file": good}).status_code == 302
    assert Dipa.objects.count() == 2


def test_only_kpu_imports(client, offices):
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    upload = SimpleUploadedFile("dipa.csv", b"kode_unit,tahun,nomor_dipa,tanggal_dipa\n")
    assert client.post(reverse("dipa_import", args=[2027]), {"file": upload}).status_code == 403
    assert client.get(reverse("dipa_import", args=[2027])).status_code == 405
