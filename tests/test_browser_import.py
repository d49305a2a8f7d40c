"""Importing what an office already has, in a real browser (Playwright driving the Debian
Chromium): a first-time operator starts next year's PK from last year's Word file, and an
operator fills a quarter's realisations in Excel.

Each test prints the clicks (and file choices) it took and the wall time: figures for the
issue's closing note, not assertions (speed belongs to bench/)."""

import io
import os
import time

import docx
import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from agreements.lampiran import flatten
from agreements.models import Agreement
from agreements.spreadsheet import parse_lampiran
from monitoring.models import Realisation
from tests.factories import load_units, make_user
from tests.import_files import save_docx, seed_csv, seed_docx
from tests.test_browser_monitoring import REPORT_DAY, bontang  # noqa: F401

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

PASSWORD = "sandi-uji-yang-panjang"  # the one make_user gives
KEUANGAN = "64.74.sekretariat.keuangan"
SEED = "bontang-2026-subbag-keuangan-umum-logistik.csv"


class Clicks:
    """Counts what the user does: clicks, file choices, typed fields."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def choose(self, selector, path):
        self.count += 1
        self.page.set_input_files(selector, str(path))

    def fill(self, selector, text):
        self.count += 1
        self.page.fill(selector, text)


def last_years_pk_with_a_slip() -> bytes:
    """The Subbagian Keuangan PK of 2026 as Word holds it, one target mistyped ("%90")."""
    document = docx.Document(io.BytesIO(seed_docx(SEED)))
    for row in document.tables[0].rows:
        if row.cells[3].text == "90%":
            row.cells[3].text = "%90"
            break
    return save_docx(document)


def test_a_first_time_operator_starts_the_new_year_from_last_years_word_pk(
    live_server, page, tmp_path
):

    load_units("64.74")
    make_user("op.keuangan", unit_code=KEUANGAN)
    word = tmp_path / "PK Subbag Keuangan 2026.docx"
    word.write_bytes(last_years_pk_with_a_slip())
    page.set_default_timeout(20_000)
    main = page.locator("main")
    user = Clicks(page)
    started = time.perf_counter()

    page.goto(f"{live_server.url}/akun/login/")
    user.fill("#id_username", "op.keuangan")
    user.fill("#id_password", PASSWORD)
    user.click(page.get_by_role("button", name="Masuk", exact=True))
    expect(main).to_contain_text("Selamat datang, op.keuangan")

    # A new draft for 2027.
    page.goto(f"{live_server.url}/pk/")
    user.fill("#id_year", "2027")
    user.click(page.get_by_role("button", name="Buat PK"))
    expect(main).to_contain_text("dibuat sebagai draf")

    # Last year's Word PK: the mapping step guessed every column; accept it.
    user.click(page.get_by_role("link", name="Impor lampiran"))
    user.choose("#id_file", word)
    user.click(page.get_by_role("button", name="Pratinjau"))
    expect(main).to_contain_text("Kolom berkas")
    mapping = page.locator("table.pk-mapping")
    expect(mapping).to_contain_text("INDIKATOR KINERJA")
    expect(page.locator("#id_role_2")).to_have_value("indikator")
    user.click(page.get_by_role("button", name="Pratinjau"))

    # One flagged row: fix it in the preview.
    problems = page.locator("table.pk-problems")
    expect(problems).to_contain_text("Target “%90” tidak dapat dibaca")
    expect(main).to_contain_text("Tidak ada yang disimpan")
    user.fill("table.pk-problems input[name^='fix:']", "90%")
    user.click(page.get_by_role("button", name="Terapkan perbaikan"))
    expect(main).to_contain_text("Berkas ini berisi 20 indikator dan 2 baris anggaran")
    expect(main).to_contain_text("Indra Lesmana")
    user.click(page.get_by_role("button", name="Konfirmasi: ganti lampiran"))
    expect(main).to_contain_text("Lampiran diimpor: 20 indikator dan 2 baris anggaran.")

    elapsed = time.perf_counter() - started
    agreement = Agreement.objects.get(unit__code=KEUANGAN, year=2027)
    assert agreement.status == "draf"
    assert flatten(agreement) == parse_lampiran(seed_csv(SEED), SEED).rows
    print(f"\n[first-time operator, Word PK → draft 2027] {user.count} actions "
          f"(clicks, fields typed, files chosen), {elapsed:.1f} s in the browser")  # fmt: skip


def test_a_quarter_is_filled_in_excel_and_saved(live_server, page, bontang, tmp_path):  # noqa: F811

    page.set_default_timeout(20_000)
    main = page.locator("main")
    user = Clicks(page)
    with time_machine.travel(REPORT_DAY, tick=True):
        started = time.perf_counter()
        page.goto(f"{live_server.url}/akun/login/")
        user.fill("#id_username", "op.sekretariat")
        user.fill("#id_password", PASSWORD)
        user.click(page.get_by_role("button", name="Masuk", exact=True))
        page.goto(f"{live_server.url}{bontang.get_absolute_url()}")
        user.click(page.locator("#pemantauan").get_by_role("link", name="Isi realisasi").first)
        expect(main).to_contain_text("Realisasi Triwulan I 2026")

        user.click(page.get_by_text("Isi lewat Excel"))
        with page.expect_download() as download_info:
            user.click(page.get_by_role("link", name="Unduh lembar .xlsx"))
        downloaded = tmp_path / "realisasi.xlsx"
        download_info.value.save_as(downloaded)

        # Filled in Excel: every realisation equals its target, one explanation.
        workbook = load_workbook(downloaded)
        sheet = workbook.active
        for row in sheet.iter_rows(min_row=5):
            row[5].value = str(row[4].value).split(" ")[0]
        sheet["G5"].value = "Sesuai rencana"
        filled = tmp_path / "realisasi-terisi.xlsx"
        workbook.save(filled)

        user.choose("#pk-sheet-upload", filled)
        user.click(page.get_by_role("button", name="Pratinjau lembar"))
        expect(main).to_contain_text("Pratinjau lembar realisasi Triwulan I")
        expect(page.locator("table.pk-sheet-preview tr.pk-changed")).to_have_count(51)
        assert not Realisation.objects.filter(agreement=bontang).exists()
        user.click(page.get_by_role("button", name="Simpan realisasi"))
        expect(main).to_contain_text("Realisasi dari lembar Excel disimpan: 51 indikator berubah.")
        elapsed = time.perf_counter() - started
    saved = Realisation.objects.filter(agreement=bontang, quarter=1)
    assert saved.count() == 51
    assert saved.filter(explanation="Sesuai rencana").count() == 1
    print(f"\n[quarter from Excel] {user.count} actions, {elapsed:.1f} s in the browser")
