"""The uploads of the corpus, each with what the application must answer.

A case is a file name, a builder of its bytes and the message the page must show (Indonesian,
as the user reads it). `shows` lists texts from the file the page must repeat, escaped.
README.md lists the same cases in words.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.spreadsheet import MAX_FILE_BYTES
from tests.corpus import files, word
from tests.corpus import spreadsheets as sheets
from tests.corpus.payloads import UNUSUAL_TEXT, hostile

LONG_CELL = "x" * 200_000  # past the csv module's 128 kB field limit


@dataclass(frozen=True)
class Case:
    id: str
    filename: str
    build: Callable[[], bytes]
    expect: str
    shows: tuple[str, ...] = ()

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(
            self.filename, self.build(), content_type="application/octet-stream"
        )


def _ids(cases):
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases


def _table_with(*rows):
    return sheets.lampiran_table(*rows)


# --- the lampiran import (agreements:import) --------------------------------------------------
NOT_XLSX = "bukan spreadsheet .xlsx yang sah"
FORMULA = "Sel berisi rumus; isi dengan nilainya saja"
TOO_MANY_ROWS = "Berkas berisi lebih dari 1000 baris"

LAMPIRAN_IMPORT_REFUSED = _ids([
    # size and structure
    Case("zip bomb .xlsx (inflates past 50 MB)", "bom.xlsx", sheets.xlsx_bomb,
         "terlalu besar setelah dibuka (lebih dari 50 MB)"),
    Case("10,000 rows .xlsx", "besar.xlsx",
         lambda: sheets.rows_xlsx(10_000, sheets.indicator_row()), TOO_MANY_ROWS),
    Case("10,000 rows .csv", "besar.csv",
         lambda: sheets.csv_bytes([sheets.lampiran_table()[0]] + [sheets.indicator_row()] * 10_000),
         TOO_MANY_ROWS),
    Case("1,001 rows behind blank lines .csv (once cut silently)", "kosong-di-atas.csv",
         sheets.blank_lines_hiding_the_last_row, TOO_MANY_ROWS),
    Case("over 5 MB", "besar-sekali.csv", lambda: b"a" * (MAX_FILE_BYTES + 1),
         "Berkas lebih dari 5 MB"),
    Case("empty file (0 bytes)", "kosong.xlsx", lambda: b"", "Berkas yang dikirimkan kosong."),
    Case("header only", "judul.csv", lambda: sheets.csv_bytes([sheets.lampiran_table()[0]]),
         "Tidak ada baris data di bawah judul."),
    Case("blank lines only", "kosong.csv", lambda: b"\r\n,,,\r\n\r\n", "Lembar kerja kosong."),
    Case("unknown column named <script>", "kolom.csv",
         lambda: sheets.csv_bytes([[*sheets.lampiran_table()[0], "<script>alert(1)</script>"],
                                   sheets.indicator_row()]),
         "Kolom tidak dikenal; gunakan templat.", shows=("<script>alert(1)</script>",)),
    Case("a required column missing", "kurang.csv",
         lambda: sheets.csv_bytes([["jenis", "sasaran", "indikator"], ["INDIKATOR", "S", "I"]]),
         "Kolom wajib tidak ada."),
    # not what the name says
    Case("PDF named .xlsx", "lampiran.xlsx", files.pdf, NOT_XLSX),
    Case("PNG named .xlsx", "lampiran.xlsx", files.image, NOT_XLSX),
    Case("zip that is not a workbook, named .xlsx", "lampiran.xlsx", files.zip_archive,
         "bukan spreadsheet .xlsx yang sah atau rusak"),
    Case("truncated .xlsx", "lampiran.xlsx",
         lambda: sheets.xlsx(sheets.lampiran_table())[:3000], NOT_XLSX),
    Case("old Excel .xls", "lampiran.xls", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 500,
         "Berkas .doc, .docm atau .xls tidak dapat dibaca."),
    Case("HTML named .csv", "lampiran.csv", files.html_page, "Kolom wajib tidak ada."),
    # Word files and tables that are not a PK's (the import of last year's PK, issue 18)
    Case("Word 97 .doc", "PK 2025.doc", word.word97_doc, "simpan sebagai .docx atau .xlsx"),
    Case("Word 97 .doc renamed .docx", "PK 2025.docx", word.word97_doc, "Word/Excel 97-2003"),
    Case("encrypted .docx (OLE container)", "PK.docx", word.encrypted_docx,
         "dilindungi kata sandi"),
    Case(".docm content named .docx", "PK.docx", word.macro_docx, "memuat makro (.docm)"),
    Case(".docm", "PK.docm", word.macro_docx, "tanpa makro"),
    Case(".docx with images only", "pindaian.docx", word.images_only_docx, "hanya berisi gambar"),
    Case(".docx whose table has no known column", "daftar.docx", word.unrecognisable_table_docx,
         "Tidak ditemukan judul tabel lampiran PK"),
    Case(".xlsx whose table has no known column", "daftar.xlsx", word.unrecognisable_table_xlsx,
         "Tidak ditemukan judul tabel lampiran PK"),
    Case("zip named .docx", "PK.docx", files.zip_archive, "bukan dokumen Word .docx yang sah"),
    Case("CSV with NUL bytes", "nul.csv",
         lambda: sheets.csv_bytes(_table_with()).replace(b"Terkelolanya", b"Ter\0kelola"),
         "bukan berkas CSV (berisi data biner)"),
    Case("a cell of 200 kB .csv", "panjang.csv",
         lambda: sheets.lampiran_csv_with(sasaran=LONG_CELL), "sel yang sangat panjang"),
    # formulas, in both formats
    Case("=HYPERLINK formula .xlsx", "rumus.xlsx",
         lambda: sheets.xlsx(_table_with(sheets.indicator_row(
             sasaran='=HYPERLINK("http://evil.example/","Klik")'))), FORMULA),
    Case("DDE =cmd|' /C calc'!A0 formula .xlsx", "dde.xlsx",
         lambda: sheets.xlsx(_table_with(sheets.indicator_row(indikator="=cmd|' /C calc'!A0"))),
         FORMULA),
    Case("=HYPERLINK in a CSV cell", "rumus.csv",
         lambda: sheets.lampiran_csv_with(sasaran='=HYPERLINK("http://evil.example/","Klik")'),
         FORMULA),
    Case("+cmd|' /C calc'!A0 in a CSV cell", "plus.csv",
         lambda: sheets.lampiran_csv_with(indikator="+cmd|' /C calc'!A0"), FORMULA),
    Case("-2+3+cmd|' /C calc'!A0 in a CSV cell", "minus.csv",
         lambda: sheets.lampiran_csv_with(indikator="-2+3+cmd|' /C calc'!A0"), FORMULA),
    Case("@SUM(1+1)*cmd|' /C calc'!A0 in a CSV cell", "at.csv",
         lambda: sheets.lampiran_csv_with(sasaran="@SUM(1+1)*cmd|' /C calc'!A0"), FORMULA),
    Case("tab then =1+1 in a CSV cell", "tab.csv",
         lambda: sheets.lampiran_csv_with(target="\t=1+1"), FORMULA),
    # wrong types
    Case("target is a date cell (Excel turned 1/2 into a date)", "tanggal.xlsx",
         lambda: sheets.typed_cells_xlsx("target", __import__("datetime").datetime(2027, 1, 2)),
         "Sel berisi tanggal (2027-01-02 00:00:00), padahal kolom ini bukan tanggal"),
    Case("target is a boolean cell", "boolean.xlsx",
         lambda: sheets.typed_cells_xlsx("target", True), "Target “True” tidak dapat dibaca"),
    Case("budget with cents (number 1.5)", "sen.xlsx",
         lambda: sheets.typed_cells_xlsx("anggaran", 1.5), "Anggaran ditulis dalam rupiah tanpa sen."),
    Case("budget in words", "kata.csv", lambda: sheets.lampiran_csv_budget("dua juta rupiah"),
         "“dua juta rupiah” bukan jumlah rupiah yang sah"),
    Case("budget of 10^23 rupiah (past the database)", "triliun.csv",
         lambda: sheets.lampiran_csv_budget("1" + "0" * 23), "Jumlah anggaran terlalu besar"),
    Case("budget in superscript digits ²³⁴", "pangkat.csv",
         lambda: sheets.lampiran_csv_budget("²³⁴"), "“²³⁴” bukan jumlah rupiah yang sah"),
    Case("negative budget", "negatif.csv", lambda: sheets.lampiran_csv_budget("-5000000"),
         "“-5000000” bukan jumlah rupiah yang sah"),
    Case("row kind neither INDIKATOR nor ANGGARAN", "jenis.csv",
         lambda: sheets.lampiran_csv_with(jenis="1234"), "Isi dengan INDIKATOR atau ANGGARAN."),
    Case("sasaran of 2,001 characters", "panjang-2001.csv",
         lambda: sheets.lampiran_csv_with(sasaran="s" * 2001),
         "paling banyak 2000 karakter (sekarang 2001 karakter)"),
    Case("sasaran cells merged over three rows", "gabung.xlsx", sheets.merged_sasaran_xlsx,
         "Lembar kerja ini memuat sel gabungan (merge)"),
    Case("target with markup that is no target", "target.csv",
         lambda: sheets.lampiran_csv_with(target="<b>seratus</b> persen"),
         "Target “<b>seratus</b> persen” tidak dapat dibaca", shows=("<b>seratus</b> persen",)),
])  # fmt: skip

LAMPIRAN_IMPORT_ACCEPTED = _ids([
    Case("Windows-1252 CSV (Excel's default in Indonesia)", "ansi.csv",
         lambda: sheets.lampiran_csv_with(indikator="Laporan keuangan – triwulan °").decode()
         .encode("cp1252"), "Laporan keuangan – triwulan °"),
    Case("UTF-16 CSV with BOM, tab-separated (Excel's Unicode Text)", "unicode.csv",
         lambda: sheets.csv_bytes(_table_with(sheets.indicator_row(indikator="Indeks ≥ 80 ✓")),
                                  encoding="utf-16", delimiter="\t"), "Indeks ≥ 80 ✓"),
    Case("semicolon-separated CSV", "titik-koma.csv",
         lambda: sheets.csv_bytes(_table_with(), delimiter=";"), "Opini BPK atas laporan keuangan"),
    Case("targets typed as 95% in Excel (number cells formatted 0%)", "persen.xlsx",
         sheets.percent_target_xlsx, "95%"),
    Case("apostrophe-protected '=HYPERLINK text in CSV (as the export writes it)", "petik.csv",
         lambda: sheets.lampiran_csv_with(sasaran="'=HYPERLINK(\"http://evil.example/\")"),
         '=HYPERLINK("http://evil.example/")'),
    Case("text cells beginning with = and @ in .xlsx", "teks.xlsx",
         lambda: sheets.xlsx_with_text_cells(_table_with(sheets.indicator_row(
             sasaran="=SUM(A1) sebagai teks", indikator="@kpu_ri jumlah unggahan"))),
         "@kpu_ri jumlah unggahan"),
    Case("markup and template syntax in every text cell", "markup.csv",
         lambda: sheets.csv_bytes([sheets.lampiran_table()[0],
                                   ["INDIKATOR", "<i>076</i>", hostile("program"), "<b>1</b>",
                                    hostile("kegiatan"), hostile("sasaran"), hostile("indikator"),
                                    "100 <script>alert(1)</script>", ""],
                                   ["ANGGARAN", "<i>076</i>", hostile("program"), "", "", "", "",
                                    "", "1000000"]]),
         hostile("indikator"),
         shows=(hostile("sasaran"), hostile("program"),
                "100 <script>alert(1)</script>")),
    Case("right-to-left override, zero-width, emoji and Arabic text", "unicode-teks.csv",
         lambda: sheets.lampiran_csv_with(indikator=UNUSUAL_TEXT), UNUSUAL_TEXT),
])  # fmt: skip


# --- the DIPA import (dipa_import, by KPU's reviewers, for 2027) -------------------------------
DIPA_IMPORT_REFUSED = _ids([
    Case("zip bomb .xlsx", "bom.xlsx", sheets.xlsx_bomb, "terlalu besar setelah dibuka"),
    Case("10,000 rows .csv", "besar.csv",
         lambda: sheets.dipa_csv(*[sheets.dipa_row()] * 10_000), "Terlalu banyak baris"),
    Case("over 5 MB", "besar.csv", lambda: b"a" * (5 * 1024 * 1024 + 1), "Berkas lebih dari 5 MB."),
    Case("empty file (0 bytes)", "kosong.csv", lambda: b"", "Berkas yang dikirimkan kosong."),
    Case("PDF named .xlsx", "dipa.xlsx", files.pdf, NOT_XLSX),
    Case("PNG named .xlsx", "dipa.xlsx", files.image, NOT_XLSX),
    Case("a text file .txt", "dipa.txt", lambda: b"kode_unit,tahun\n", "Unggah berkas .csv atau .xlsx."),
    Case("CSV with NUL bytes", "nul.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(number="SP\0DIPA")), "berisi data biner"),
    Case("a cell of 200 kB", "panjang.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(number=LONG_CELL)), "sel yang sangat panjang"),
    Case("wrong header", "judul.csv", lambda: b"unit;tahun;nomor;tanggal\r\n64.74;2027;A;2026-12-05\r\n",
         "Baris judul harus: kode_unit, tahun, nomor_dipa, tanggal_dipa."),
    Case("unknown unit named <script>", "unit.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(code="<script>alert(1)</script>")),
         "tidak dikenal", shows=("<script>alert(1)</script>",)),
    Case("year in words", "tahun.csv", lambda: sheets.dipa_csv(sheets.dipa_row(year="dua ribu")),
         "Tahun “dua ribu” tidak sah."),
    Case("year in superscript digits ²⁰²⁷", "pangkat.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(year="²⁰²⁷")), "Tahun “²⁰²⁷” tidak sah."),
    Case("year 1999", "1999.csv", lambda: sheets.dipa_csv(sheets.dipa_row(year="1999")),
         "Tahun “1999” tidak sah."),
    Case("year 2200", "2200.csv", lambda: sheets.dipa_csv(sheets.dipa_row(year="2200")),
         "Tahun “2200” tidak sah."),
    Case("a 2026 DIPA imported as 2027", "2026.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(year="2026", day="2026-01-05")),
         "Baris ini untuk tahun 2026, padahal yang diimpor adalah DIPA tahun 2027."),
    Case("date 31 February", "31-02.csv", lambda: sheets.dipa_csv(sheets.dipa_row(day="31/02/2027")),
         "Tanggal “31/02/2027” tidak sah"),
    Case("date as an Excel serial number", "serial.xlsx",
         lambda: sheets.dipa_xlsx(["64.74.sekretariat", 2027, "SP DIPA-1", 46361]),
         "Tanggal “46361” tidak sah"),
    Case("date in the wrong year", "2020.csv", lambda: sheets.dipa_csv(sheets.dipa_row(day="2020-01-01")),
         "Tanggal DIPA tahun 2027 harus pada tahun 2026 atau 2027."),
    Case("date far in the future", "2999.csv", lambda: sheets.dipa_csv(sheets.dipa_row(day="2999-12-31")),
         "Tanggal DIPA tahun 2027 harus pada tahun 2026 atau 2027."),
    Case("DIPA number of 101 characters", "nomor.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(number="N" * 101)), "paling panjang 100 karakter"),
    Case("DIPA number as a =HYPERLINK formula", "rumus.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(number='=HYPERLINK("http://evil.example/")')),
         "Sel berisi rumus"),
    Case("the same unit twice", "ganda.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(), sheets.dipa_row(number="B")),
         "sudah ada di baris 2"),
    Case("a good row and a bad one (all or nothing)", "campur.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(), sheets.dipa_row(code="96.71.sekretariat", day="2027-02-30")),
         "Tanggal “2027-02-30” tidak sah"),
])  # fmt: skip

DIPA_IMPORT_ACCEPTED = _ids([
    Case("Windows-1252 CSV", "ansi.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(number="SP DIPA-076 – revisi °"), encoding="cp1252"),
         "SP DIPA-076 – revisi °"),
    Case("UTF-16 CSV with BOM", "unicode.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(number="SP DIPA ≥ 1"), encoding="utf-16"),
         "SP DIPA ≥ 1"),
    Case("date and year as Excel cells", "sel.xlsx", sheets.dipa_date_cell_xlsx, "SP DIPA-1"),
    Case("markup and template syntax in the DIPA number", "markup.csv",
         lambda: sheets.dipa_csv(sheets.dipa_row(number=hostile("dipa"))), hostile("dipa"),
         shows=(hostile("dipa"),)),
])  # fmt: skip


# --- the wet-signature scan (agreements:scan_upload) -------------------------------------------
NOT_A_PDF = "Berkas ini bukan PDF yang utuh sehingga tidak dapat dibaca."

SCAN_REFUSED = _ids([
    Case("text named .pdf", "pindaian.pdf", files.plain_text, NOT_A_PDF),
    Case("HTML named .pdf", "pindaian.pdf", files.html_page, NOT_A_PDF),
    Case("HTML behind a %PDF header", "pindaian.pdf", files.html_with_pdf_header, NOT_A_PDF),
    Case("ZIP named .pdf", "pindaian.pdf", files.zip_archive, NOT_A_PDF),
    Case("PNG photo named .pdf", "pindaian.pdf", files.image, NOT_A_PDF),
    Case("truncated PDF", "pindaian.pdf", files.truncated_pdf, NOT_A_PDF),
    Case("encrypted PDF", "pindaian.pdf", lambda: files.pdf(9, password=""),
         "PDF ini terenkripsi"),
    Case("empty file (0 bytes)", "pindaian.pdf", lambda: b"", "Berkas pindaian kosong."),
    Case("a PDF with fewer pages than the PK", "pindaian.pdf", lambda: files.pdf(1),
         "Pindai semua halaman, termasuk lampiran."),
])  # fmt: skip


# --- a ministry delivery's proof (delivery_add) -------------------------------------------------
NOT_A_PROOF = "Bukti pengiriman harus berupa PDF atau gambar JPG/PNG yang utuh."

PROOF_REFUSED = _ids([
    Case("HTML named .pdf", "bukti.pdf", files.html_page, NOT_A_PROOF),
    Case("HTML behind a %PDF header", "bukti.pdf", files.html_with_pdf_header, NOT_A_PROOF),
    Case("ZIP named .jpg", "bukti.jpg", files.zip_archive, NOT_A_PROOF),
    Case("truncated PDF", "bukti.pdf", files.truncated_pdf, NOT_A_PROOF),
    Case("encrypted PDF", "bukti.pdf", lambda: files.pdf(1, password="rahasia"), NOT_A_PROOF),
    Case("truncated PNG", "bukti.png", files.truncated_image, NOT_A_PROOF),
    Case("GIF image", "bukti.gif", files.gif_image, NOT_A_PROOF),
    Case("empty file (0 bytes)", "bukti.pdf", lambda: b"", "Berkas yang dikirimkan kosong."),
])  # fmt: skip
