"""Importing what an office already has, through the pages: its own spreadsheet (any PK table
layout), last year's PK as a Word file, and a re-import that shows only what changes."""

import io
import re

import docx
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from agreements.importing.columns import IGNORE, INDIKATOR
from agreements.lampiran import flatten
from agreements.models import ImportMapping
from agreements.seeds import manifest
from agreements.spreadsheet import parse_lampiran
from tests.corpus import word
from tests.import_files import SHAPES, save_docx, seed_by_file, seed_csv, seed_docx
from tests.test_agreement_views import KEUANGAN, ROWS, login, make_pk, offices, url  # noqa: F401

pytestmark = pytest.mark.django_db

SEEDS = [seed.file for seed in manifest()]


def seed_lampiran(file):
    return parse_lampiran(seed_csv(file), file).rows


def upload(client, agreement, content, name):
    return client.post(url("import", agreement), {"file": SimpleUploadedFile(name, content)})


def guessed_mapping(html) -> dict:
    """The mapping page's selects as the browser would post them, unchanged."""
    data = {"key": re.search(r'name="key" value="([^"]+)"', html).group(1)}
    for name, role in re.findall(
        r'name="(role_\d+)" id="[^"]+">.*?<option value="(\w+)" selected>', html, re.S
    ):
        data[name] = role
    return data


def hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1).replace("&quot;", '"') if match else ""


def confirm(client, agreement, preview_html, statement=True):
    data = {
        name: hidden(preview_html, name) for name in ("key", "lock_version", "mapping", "fixes")
    }
    if statement:
        data["statement"] = "on"
    return client.post(url("import_confirm", agreement), data)


def import_through_pages(client, agreement, content, name, change=None):
    page = upload(client, agreement, content, name)
    assert page.status_code == 200, page.content.decode()[:3000]
    html = page.content.decode()
    assert "Kolom berkas" in html
    mapping = guessed_mapping(html)
    mapping.update(change or {})
    preview = client.post(url("import_mapping", agreement), mapping)
    assert preview.status_code == 200, re.findall(r"<td>.*?</td>", preview.content.decode())[:40]
    assert flatten(agreement) == ROWS  # nothing saved before the confirmation
    response = confirm(client, agreement, preview.content.decode())
    assert response.status_code == 302
    return preview


@pytest.mark.parametrize("shape", list(SHAPES))
def test_an_offices_own_spreadsheet_yields_the_rows_of_the_seed_pk(client, shape):
    make_file, seed_file, name = SHAPES[shape]
    agreement = make_pk()
    login(client)
    import_through_pages(client, agreement, make_file(), name)
    assert flatten(agreement) == seed_lampiran(seed_file)


@pytest.mark.parametrize("seed_file", SEEDS)
def test_last_years_word_pk_yields_the_rows_of_the_seed_pk(client, seed_file):
    agreement = make_pk()
    login(client)
    import_through_pages(client, agreement, seed_docx(seed_file), "PK 2025.docx")
    imported = flatten(agreement)
    expected = seed_lampiran(seed_file)
    assert len(imported) == len(expected)
    for position, (row, want) in enumerate(zip(imported, expected, strict=True)):
        assert row == want, f"row {position + 1}"


@pytest.mark.parametrize(
    "odd",
    [{"split_after": 7}, {"repeat_header_every": 5}, {"nested": True}, {"text_box": True}],
    ids=["table split across pages", "header repeated", "nested numbering", "text box"],
)
def test_odd_word_layouts_yield_the_same_rows(client, odd):
    file = "bontang-2026-sekretariat.csv"
    agreement = make_pk()
    login(client)
    import_through_pages(client, agreement, seed_docx(file, **odd), "PK.docx")
    assert flatten(agreement) == seed_lampiran(file)


def test_the_statement_page_gives_the_parties_place_and_date(client):
    agreement = make_pk(unit_code="64.74.sekretariat")
    login(client, unit_code="64.74.sekretariat")
    for field in ("pihak_pertama_name", "pihak_pertama_position", "pihak_pertama_nip",
                  "pihak_kedua_name", "pihak_kedua_position", "place"):  # fmt: skip
        setattr(agreement, field, "")
    agreement.save()
    seed = seed_by_file("sorong-2024-sekretariat.csv")
    preview = import_through_pages(client, agreement, seed_docx(seed.file), "PK.docx")
    html = preview.content.decode()
    assert "MARTHEN KAMBU, SEKRETARIS KPU KOTA SORONG, NIP 197802282009021004" in html
    assert "Sorong, 6 Maret 2024" in html
    agreement.refresh_from_db()
    first, second = seed.entry["pihak_pertama"], seed.entry["pihak_kedua"]
    assert (agreement.pihak_pertama_name, agreement.pihak_pertama_position,
            agreement.pihak_pertama_nip) == (first["name"], first["position"], first["nip"])  # fmt: skip
    assert (agreement.pihak_kedua_name, agreement.pihak_kedua_position) == (
        second["name"], second["position"])  # fmt: skip
    assert agreement.place == "Sorong"
    assert agreement.sign_date is None  # last year's date is not this year's


def test_the_statement_does_not_overwrite_signatories_the_draft_has(client):
    agreement = make_pk()
    agreement.pihak_pertama_name = "Nama Tahun Ini"
    agreement.save()
    login(client)
    import_through_pages(client, agreement, seed_docx("bontang-2026-subbag-teknis-hukum.csv"),
                         "PK.docx")  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.pihak_pertama_name == "Nama Tahun Ini"


def test_a_changed_column_role_is_used_and_remembered_for_the_unit(client):
    agreement = make_pk()
    login(client)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NO", "SASARAN", "URAIAN KINERJA", "TARGET", "CATATAN"])
    sheet.append([1, "Terkelolanya keuangan", "Persentase laporan tepat waktu", "100%", "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = upload(client, agreement, buffer.getvalue(), "sheet.xlsx").content.decode()
    mapping = guessed_mapping(page)
    assert mapping["role_2"] == IGNORE  # "URAIAN KINERJA" is not a word we guess
    import_through_pages(client, agreement, buffer.getvalue(), "sheet.xlsx",
                         change={"role_2": INDIKATOR})  # fmt: skip
    assert [r.indikator for r in flatten(agreement)] == ["Persentase laporan tepat waktu"]
    assert ImportMapping.remembered_for(agreement.unit)["uraian kinerja"] == INDIKATOR
    again = guessed_mapping(upload(client, agreement, buffer.getvalue(), "s.xlsx").content.decode())
    assert again["role_2"] == INDIKATOR


def test_a_flagged_row_is_fixed_in_the_preview_and_then_saved(client):
    agreement = make_pk()
    login(client)
    document = docx.Document(io.BytesIO(seed_docx("bontang-2026-subbag-teknis-hukum.csv")))
    table = document.tables[0]
    bad = next(row for row in table.rows if row.cells[3].text == "77")
    bad.cells[3].text = "tujuh puluh tujuh"
    page = upload(client, agreement, save_docx(document), "PK.docx").content.decode()
    flagged = client.post(url("import_mapping", agreement), guessed_mapping(page))
    assert flagged.status_code == 400
    html = flagged.content.decode()
    assert "tujuh puluh tujuh" in html and "tidak dapat dibaca" in html
    assert flatten(agreement) == ROWS
    (field_name,) = re.findall(r'name="(fix:[^"]+:target)"', html)
    data = {"key": hidden(html, "key"), "fixes": hidden(html, "fixes"), field_name: "77"}
    data.update(dict(re.findall(r'name="(role_\d+)" value="(\w+)"', html)))
    fixed = client.post(url("import_mapping", agreement), data)
    assert fixed.status_code == 200
    assert confirm(client, agreement, fixed.content.decode()).status_code == 302
    assert flatten(agreement) == seed_lampiran("bontang-2026-subbag-teknis-hukum.csv")


def test_a_reimported_export_with_one_target_changed_shows_exactly_that_change(client):
    agreement = make_pk()
    login(client)
    exported = client.get(url("export", agreement, "xlsx")).content
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook["Lampiran"]
    for row in sheet.iter_rows(min_row=2):
        if row[6].value == "Jumlah laporan BMN":
            row[7].value = "3 laporan"
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(client, agreement, buffer.getvalue(), "PK.xlsx")
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "0 baris ditambah, 0 dihapus, 1 diubah, 3 tetap." in html
    assert html.count('class="table-warning pk-changed"') == 1
    assert "pk-added" not in html and "pk-removed" not in html
    assert "Target: <del>2 laporan</del> → <mark>3 laporan</mark>" in html


def test_the_mapping_step_refuses_get(client):
    agreement = make_pk()
    login(client)
    assert client.get(url("import_mapping", agreement)).status_code == 405


def test_a_mapping_without_its_upload_is_refused(client):
    agreement = make_pk()
    login(client)
    response = client.post(
        url("import_mapping", agreement), {"key": "imports/" + "a" * 32 + ".xlsx"}
    )
    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()


# --- bad input: a clear message, nothing saved, nothing kept --------------------------------
@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("PK 2025.docx", word.word97_doc, "Word/Excel 97-2003"),  # a .doc renamed
        ("PK 2025.doc", word.word97_doc, "simpan sebagai .docx"),
        ("PK terkunci.docx", word.encrypted_docx, "dilindungi kata sandi"),
        ("PK makro.docx", word.macro_docx, "memuat makro"),
        ("PK makro.docm", word.macro_docx, "tanpa makro"),
        ("PK pindaian.docx", word.images_only_docx, "hanya berisi gambar"),
        ("daftar.docx", word.unrecognisable_table_docx, "Tidak ditemukan judul tabel lampiran PK"),
        ("rusak.docx", lambda: b"PK\x03\x04 not a zip", "bukan dokumen Word .docx yang sah"),
    ],
)
def test_a_file_that_cannot_be_imported_gets_a_clear_message_and_nothing_changes(
    client, name, make, message
):
    agreement = make_pk()
    login(client)
    response = upload(client, agreement, make(), name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert flatten(agreement) == ROWS
    assert not default_storage.exists("imports") or not default_storage.listdir("imports")[1]


def test_the_export_looks_finished(client):
    agreement = make_pk()
    login(client)
    sheet = load_workbook(io.BytesIO(client.get(url("export", agreement, "xlsx")).content))[
        "Lampiran"
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet.column_dimensions["G"].width == 50
    assert sheet["G2"].alignment.wrap_text
    budget = sheet.cell(sheet.max_row, 9)
    assert budget.value == 404205000 and budget.number_format == '"Rp "#,##0'


def test_the_blank_template_is_protected_but_leaves_its_rows_to_fill(client):
    login(client)
    response = client.get(reverse("agreements:template", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["Lampiran"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["G"].width == 50
    assert sheet.protection.sheet and not sheet.protection.insertRows
    assert sheet["A1"].protection.locked and sheet["I1"].protection.locked
    assert not sheet["A2"].protection.locked and not sheet["I250"].protection.locked
    assert sheet["I250"].number_format == '"Rp "#,##0'
    budgets = [c for c in sheet["I"][1:] if isinstance(c.value, int)]
    assert budgets and all(c.number_format == '"Rp "#,##0' for c in budgets)
    assert parse_lampiran(response.content, "templat.xlsx").problems == []


def test_a_sheet_longer_than_any_pk_is_refused_whole_not_cut(client):
    agreement = make_pk()
    login(client)
    lines = ["NO;SASARAN;INDIKATOR;TARGET"] + [f"{n};S;Indikator {n};100%" for n in range(2100)]
    response = upload(client, agreement, "\n".join(lines).encode(), "panjang.csv")
    assert response.status_code == 400
    assert "Tabel berisi lebih dari 1000 baris" in response.content.decode()
    assert flatten(agreement) == ROWS
