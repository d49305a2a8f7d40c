"""The quarter form as a spreadsheet: downloaded, filled, uploaded, previewed, saved all or
nothing through the quarter form's own validation (monitoring.quarter_sheet)."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from monitoring.models import Realisation
from tests.test_monitoring_views import cast, in_q1_window, url  # noqa: F401

pytestmark = pytest.mark.django_db


def download(client, agreement):
    response = client.get(url(agreement, name="quarter_sheet"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-tw1.xlsx"')
    return load_workbook(io.BytesIO(response.content))


def fill(workbook, values: dict) -> bytes:
    """values: {indicator text: (realisasi, penjelasan)}"""
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=5):
        if row[3].value in values:
            row[5].value, row[6].value = values[row[3].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, agreement, content, name="realisasi.xlsx"):
    return client.post(url(agreement, name="quarter_sheet_upload"),
                       {"file": SimpleUploadedFile(name, content)})  # fmt: skip


FILLED = {
    "Persentase laporan keuangan tepat waktu": ("95,5", "Dua laporan terlambat sehari"),
    "Jumlah laporan kinerja": ("1", "Laporan triwulan I"),
    "Opini BPK atas laporan keuangan": ("wtp", ""),
    "Persentase temuan yang belum ditindaklanjuti": ("12", "Menunggu BPK"),
}


def test_the_sheet_has_one_row_per_indicator_with_only_the_input_cells_unlocked(client, cast):  # noqa: F811
    client.force_login(cast["operator"])
    sheet = download(client, cast["agreement"]).active
    assert sheet.title == "Triwulan I"
    assert [c.value for c in sheet[4]][:6] == ["ID", "No", "Sasaran", "Indikator Kinerja",
                                                "Target", "Realisasi"]  # fmt: skip
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [(r[3], r[4]) for r in rows] == [
        ("Persentase laporan keuangan tepat waktu", "100%"), ("Jumlah laporan kinerja", "4 laporan"),
        ("Opini BPK atas laporan keuangan", "WTP"),
        ("Persentase temuan yang belum ditindaklanjuti", "10%"),
    ]  # fmt: skip
    assert sheet.protection.sheet
    assert sheet.freeze_panes == "A5"
    assert sheet["D5"].protection.locked and sheet["E5"].protection.locked
    assert not sheet["F5"].protection.locked and not sheet["G5"].protection.locked
    assert sheet.column_dimensions["D"].width == 44 and sheet["D5"].alignment.wrap_text


def test_a_filled_sheet_is_previewed_then_saved(client, cast):  # noqa: F811
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    content = fill(download(client, agreement), FILLED)
    preview = upload(client, agreement, content)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert html.count('class="table-warning pk-changed"') == 4
    assert "<mark>95,5</mark>" in html and "<mark>WTP</mark>" in html
    assert not Realisation.objects.exists()  # nothing saved before the confirmation
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    response = client.post(url(agreement, name="quarter_sheet_confirm"), {"key": key})
    assert response.status_code == 302
    saved = {r.row.text: r for r in Realisation.objects.select_related("row")}
    assert saved["Persentase laporan keuangan tepat waktu"].value == Decimal("95.5")
    assert saved["Persentase laporan keuangan tepat waktu"].explanation == (
        "Dua laporan terlambat sehari")  # fmt: skip
    assert saved["Opini BPK atas laporan keuangan"].grade == "WTP"
    assert len(saved) == 4


def test_a_sheet_with_one_bad_cell_saves_nothing_and_says_where(client, cast):  # noqa: F811
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    content = fill(download(client, agreement),
                   {**FILLED, "Jumlah laporan kinerja": ("satu", "")})  # fmt: skip
    response = upload(client, agreement, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>Triwulan I</td><td>6</td><td>Realisasi</td>" in html
    assert "“satu” bukan angka" in html
    assert not Realisation.objects.exists()


def test_a_sheet_of_another_pk_or_file_is_refused(client, cast):  # noqa: F811
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    workbook = download(client, agreement)
    workbook.active["A5"].value = 999999
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, agreement, buffer.getvalue())
    assert response.status_code == 400
    assert "bukan indikator PK ini" in response.content.decode()
    response = upload(client, agreement, b"not a workbook", "realisasi.csv")
    assert (
        response.status_code == 400 and "Unggah lembar realisasi .xlsx" in response.content.decode()
    )
    assert not Realisation.objects.exists()


def test_the_upload_and_the_save_refuse_get(client, cast):  # noqa: F811
    client.force_login(cast["operator"])
    for name in ("quarter_sheet_upload", "quarter_sheet_confirm"):
        assert client.get(url(cast["agreement"], name=name)).status_code == 405


def test_a_confirmation_without_the_previewed_upload_saves_nothing(client, cast):  # noqa: F811
    client.force_login(cast["operator"])
    response = client.post(url(cast["agreement"], name="quarter_sheet_confirm"),
                           {"key": "imports/" + "a" * 32 + ".xlsx"})  # fmt: skip
    assert response.status_code == 400 and not Realisation.objects.exists()
