"""A drafter's day in a real browser (Playwright driving the Debian Chromium): log in, start
next year's PK from this year's, edit a target, add and move a row, import a spreadsheet that
has an error, fix it, import it again and see the result on the PK page."""

import os
import re

import pytest
from playwright.sync_api import expect

from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from indicators.targets import parse_target
from organisations.models import Unit
from tests.factories import load_units, make_user

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
]

KEUANGAN = "64.74.sekretariat.keuangan"
PASSWORD = "sandi-uji-yang-panjang"  # the one make_user gives
HEADER = "jenis,program_kode,program,kegiatan_kode,kegiatan,sasaran,indikator,target,anggaran\n"
PROGRAMME = ("076.01.WA", "Program Dukungan Manajemen")


@pytest.fixture
def drafter():
    """A Bontang Subbagian Keuangan operator whose 2026 PK exists."""
    load_units("64.74")
    user = make_user("op.keuangan", unit_code=KEUANGAN)
    pk_2026 = start_agreement(Unit.objects.get(code=KEUANGAN), 2026, user)
    replace_lampiran(
        pk_2026,
        [
            LampiranRow(INDIKATOR, *PROGRAMME, "", "", "Terkelolanya keuangan",
                        "Persentase laporan keuangan tepat waktu", parse_target("100%")),
            LampiranRow(INDIKATOR, *PROGRAMME, "", "", "Terkelolanya keuangan",
                        "Opini BPK atas laporan keuangan", parse_target("WTP")),
            LampiranRow(ANGGARAN, *PROGRAMME, anggaran=404205000),
        ],
    )  # fmt: skip
    return user


def test_a_subbagian_operator_drafts_next_years_pk(live_server, page, drafter, tmp_path):

    page.set_default_timeout(10_000)
    main = page.locator("main")

    # Log in through the login form.
    page.goto(f"{live_server.url}/akun/login/")
    page.fill("#id_username", "op.keuangan")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(main).to_contain_text("Selamat datang, op.keuangan")

    # Start the 2027 PK from the 2026 one: the copy sources follow the year typed (htmx).
    page.goto(f"{live_server.url}/pk/")
    page.fill("#id_year", "2027")
    page.press("#id_year", "Tab")
    expect(page.locator("#id_source")).to_contain_text("PK 2026 unit ini")
    page.select_option("#id_source", label="PK 2026 unit ini")
    page.get_by_role("button", name="Buat PK").click()
    expect(main).to_contain_text("dibuat sebagai draf")
    expect(main).to_contain_text("Perjanjian Kinerja Tahun 2027")
    expect(main).to_contain_text("Opini BPK atas laporan keuangan")
    expect(main).to_contain_text("Rp 404.205.000,-")

    # Edit one target.
    page.get_by_role("link", name="Ubah lampiran").click()
    page.fill("#id_indikator-0-target", "95%")
    page.get_by_role("button", name="Simpan lampiran").click()
    expect(main).to_contain_text("Lampiran disimpan: 2 indikator dan 1 baris anggaran.")
    expect(page.locator(".pk-lampiran")).to_contain_text("95%")

    # Add an indicator row (htmx), move it above the second row (editor.js), save.
    page.get_by_role("link", name="Ubah lampiran").click()
    page.get_by_role("button", name="Tambah indikator").click()
    expect(page.locator("#id_indikator-2-indikator")).to_be_visible()
    expect(page.locator("#id_indikator-TOTAL_FORMS")).to_have_value("3")
    page.fill("#id_indikator-2-program_kode", PROGRAMME[0])
    page.fill("#id_indikator-2-program", PROGRAMME[1])
    page.fill("#id_indikator-2-sasaran", "Tertibnya pengelolaan BMN")
    page.fill("#id_indikator-2-indikator", "Jumlah laporan BMN")
    page.fill("#id_indikator-2-target", "2 laporan")
    page.locator("#indikator-rows tr").nth(2).get_by_role("button", name="Naikkan baris").click()
    expect(page.locator("#id_indikator-2-ORDER")).to_have_value("2")
    expect(page.locator("#id_indikator-1-ORDER")).to_have_value("3")
    page.get_by_role("button", name="Simpan lampiran").click()
    expect(main).to_contain_text("Lampiran disimpan: 3 indikator dan 1 baris anggaran.")
    table = page.locator(".pk-lampiran").inner_text()
    assert table.index("Jumlah laporan BMN") < table.index("Opini BPK atas laporan keuangan")

    # Import a file with an error: the problem is listed, nothing is saved.
    bad = tmp_path / "lampiran.csv"
    row = (
        "INDIKATOR,076.01.WA,Program Dukungan Manajemen,,,Sasaran impor,Indikator hasil impor,{}\n"
    )
    bad.write_text(HEADER + row.format("seratus persen,"), encoding="utf-8")
    page.get_by_role("link", name="Impor lampiran").click()
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Pratinjau").click()
    problems = page.locator("table.pk-problems")
    expect(problems).to_contain_text("target")
    expect(problems).to_contain_text("Target “seratus persen” tidak dapat dibaca")
    expect(main).to_contain_text("Tidak ada yang disimpan")

    # Fix the file, import again, confirm, and see the imported indicator on the PK page.
    good = tmp_path / "lampiran-perbaikan.csv"
    good.write_text(HEADER + row.format("100%,"), encoding="utf-8")
    page.get_by_role("link", name="Unggah berkas lain").click()
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="Pratinjau").click()
    expect(main).to_contain_text("Berkas ini berisi 1 indikator dan 0 baris anggaran")
    page.get_by_role("button", name="Konfirmasi: ganti lampiran").click()
    expect(main).to_contain_text("Lampiran diimpor: 1 indikator")
    expect(page.locator(".pk-lampiran")).to_contain_text("Indikator hasil impor")
    expect(page.locator(".pk-lampiran")).not_to_contain_text("Opini BPK")
    assert re.search(r"/pk/\d+/$", page.url)
