"""Spreadsheet import and export of the lampiran, and the rules behind drafting."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from agreements.drafting import DraftingError, copy_forward, start_agreement
from agreements.lampiran import LampiranRow, flatten, replace_lampiran
from agreements.models import Agreement, StaleAgreement
from agreements.spreadsheet import (
    COLUMNS,
    MAX_ROWS,
    TEMPLATE_EXAMPLE,
    export_csv,
    export_xlsx,
    parse_lampiran,
)
from indicators.targets import parse_target
from tests.factories import appoint, load_units, make_official, unit

CSV_HEADER = ",".join(COLUMNS) + "\n"


def csv_file(*lines: str) -> bytes:
    return (CSV_HEADER + "\n".join(lines) + "\n").encode()


def xlsx_file(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lampiran"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD = [
    "INDIKATOR,076.01.CQ,Program Penyelenggaraan Pemilihan Umum,,Penguatan Regulasi,"
    "Terlaksananya penguatan regulasi,Persentase Keputusan KPU tepat waktu,100%,",
    "INDIKATOR,076.01.CQ,Program Penyelenggaraan Pemilihan Umum,,Penguatan Regulasi,"
    "Terlaksananya penguatan regulasi,Persentase informasi hukum akurat,100%,",
    "INDIKATOR,076.01.WA,Program Dukungan Manajemen,,Pengelolaan Keuangan,"
    "Terlaksananya akuntansi yang baik,Jumlah Laporan Keuangan,2 laporan,",
    'ANGGARAN,076.01.CQ,Program Penyelenggaraan Pemilihan Umum,,,,,,"Rp 21.057.000,-"',
    "ANGGARAN,076.01.WA,Program Dukungan Manajemen,,,,,,4105373000",
]


def test_a_good_csv_parses_into_rows():
    parsed = parse_lampiran(csv_file(*GOOD), "lampiran.csv")
    assert parsed.problems == []
    assert parsed.indicator_count == 3
    assert parsed.budget_total == 21_057_000 + 4_105_373_000


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "x.xlsx", "bukan spreadsheet .xlsx yang sah"),
        (b"%PDF-1.7 hello", "x.xlsx", "bukan spreadsheet .xlsx yang sah"),
        (b"", "x.csv", "Lembar kerja kosong"),
        (b"jenis,program\nINDIKATOR,x\n", "x.csv", "Kolom wajib tidak ada"),
        (CSV_HEADER.encode(), "x.csv", "Tidak ada baris data"),
        (b"\x00\x01\x02binary", "x.csv", "bukan berkas CSV"),
        (b"whatever", "lampiran.docx", "Unggah berkas .xlsx atau .csv"),
    ],
)
def test_a_broken_file_gets_a_clear_message(content, name, message):
    parsed = parse_lampiran(content, name)
    assert not parsed.ok
    assert any(message in p.message for p in parsed.problems), parsed.problems


def test_every_bad_cell_is_reported_with_sheet_row_and_column():
    parsed = parse_lampiran(
        csv_file(
            GOOD[0],
            "INDIKATOR,,,,,Sasaran,Indikator tanpa target,seratus persen,",
            "INDIKATOR,,,,,,Indikator tanpa sasaran,100%,",
            "ANGGARAN,076.01.CQ,Program,,,,,,dua juta",
            "LAINNYA,,,,,,,,",
        ),
        "lampiran.csv",
    )
    found = {(p.row, p.column) for p in parsed.problems}
    assert {(3, "target"), (4, "sasaran"), (5, "anggaran"), (6, "jenis")} <= found
    message = next(p for p in parsed.problems if p.column == "target")
    assert "seratus persen" in message.message
    assert str(message).startswith("CSV, baris 3, kolom target")


def test_a_formula_cell_is_refused():
    content = xlsx_file(
        [
            COLUMNS,
            ["INDIKATOR", "", "", "", "", "Sasaran", "Indikator", "=1+1", None],
        ]
    )
    parsed = parse_lampiran(content, "lampiran.xlsx")
    assert [(p.row, p.column) for p in parsed.problems] == [(2, "target")]
    assert "rumus" in parsed.problems[0].message


def test_too_many_rows_are_refused():
    lines = [GOOD[0]] * (MAX_ROWS + 5)
    parsed = parse_lampiran(csv_file(*lines), "besar.csv")
    assert not parsed.ok
    assert "lebih dari 1000 baris" in parsed.problems[0].message


def test_a_zip_bomb_is_refused_before_it_is_opened():
    buffer = io.BytesIO()

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    parsed = parse_lampiran(buffer.getvalue(), "bom.xlsx")
    assert "terlalu besar setelah dibuka" in parsed.problems[0].message


def test_exported_text_that_looks_like_a_formula_stays_text():

    row = LampiranRow(
        jenis="INDIKATOR",
        sasaran='=HYPERLINK("http://evil")',
        indikator="+cmd|' /C calc'!A0",
        target=parse_target("100%"),
    )
    workbook = load_workbook(io.BytesIO(export_xlsx([row])))
    cells = [c for c in next(workbook["Lampiran"].iter_rows(min_row=2, values_only=False))]
    assert all(c.data_type != "f" for c in cells)
    assert cells[COLUMNS.index("sasaran")].value == '=HYPERLINK("http://evil")'
    csv_text = export_csv([row]).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+cmd" in csv_text


@pytest.mark.django_db
class TestDrafting:
    @pytest.fixture
    def bontang(self):
        load_units("64.74")
        appoint("64.74", make_official("Muzarroby Renfly"))
        appoint("64.74.sekretariat", make_official("Bambang Rahmadhany"))
        appoint("64.74.sekretariat.keuangan", make_official("Indra Lesmana"))

    def test_a_new_pk_snapshots_its_signatories(self, bontang):
        agreement = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
        assert agreement.pihak_pertama_name == "Indra Lesmana"
        assert agreement.pihak_pertama_position == "Kasubbag Keuangan, Umum dan Logistik"
        assert agreement.pihak_kedua_name == "Bambang Rahmadhany"
        assert agreement.place == "Bontang"
        with pytest.raises(DraftingError, match="sudah memiliki PK tahun 2027"):
            start_agreement(unit("64.74.sekretariat.keuangan"), 2027)

    def test_a_vacant_post_does_not_block_drafting(self, bontang):
        agreement = start_agreement(unit("64.74.sekretariat.teknis"), 2027)
        assert agreement.pihak_pertama_name == ""

    def test_export_then_import_gives_the_same_pk(self, bontang):
        source = start_agreement(unit("64.74.sekretariat"), 2026)
        replace_lampiran(source, parse_lampiran(csv_file(*GOOD), "a.csv").rows)
        for exporter, name in ((export_xlsx, "a.xlsx"), (export_csv, "a.csv")):
            parsed = parse_lampiran(exporter(flatten(source)), name)
            assert parsed.problems == []
            copy = Agreement.objects.create(
                unit=source.unit, year=2026, version=9 if name.endswith("x") else 8, pk_kind="g"
            )
            replace_lampiran(copy, parsed.rows)
            assert flatten(copy) == flatten(source)

    def test_the_template_parses_cleanly(self):
        for exporter, name in ((export_xlsx, "t.xlsx"), (export_csv, "t.csv")):
            assert parse_lampiran(exporter(TEMPLATE_EXAMPLE), name).problems == []

    def test_the_lampiran_groups_rows_into_the_tree(self, bontang):
        agreement = start_agreement(unit("64.74.sekretariat"), 2026)
        summary = replace_lampiran(agreement, parse_lampiran(csv_file(*GOOD), "a.csv").rows)
        assert (summary.programmes, summary.kegiatan, summary.sasaran, summary.indicators) == (
            2,
            2,
            2,
            3,
        )
        assert agreement.budget_by_programme() == [
            ("076.01.CQ", "Program Penyelenggaraan Pemilihan Umum", 21_057_000),
            ("076.01.WA", "Program Dukungan Manajemen", 4_105_373_000),
        ]

    def test_a_stale_save_is_refused_and_changes_nothing(self, bontang):
        agreement = start_agreement(unit("64.74.sekretariat"), 2026)
        opened_at = agreement.lock_version
        rows = parse_lampiran(csv_file(*GOOD), "a.csv").rows
        replace_lampiran(agreement, rows, expected_lock_version=opened_at)  # first user
        with pytest.raises(StaleAgreement):
            replace_lampiran(agreement, rows[:1], expected_lock_version=opened_at)  # second
        assert len(flatten(agreement)) == len(rows)

    def test_copy_forward_copies_all_or_picked_rows(self, bontang):
        parent = start_agreement(unit("64.74.sekretariat"), 2027)
        replace_lampiran(parent, parse_lampiran(csv_file(*GOOD), "a.csv").rows)
        last_year = start_agreement(unit("64.74.sekretariat.keuangan"), 2026)
        replace_lampiran(last_year, parse_lampiran(csv_file(*GOOD), "a.csv").rows)

        this_year = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
        copy_forward(last_year, this_year)
        assert flatten(this_year) == flatten(last_year)
        copy_forward(parent, this_year, indicator_positions={2})
        rows = flatten(this_year)
        assert [r.indikator for r in rows] == ["Jumlah Laporan Keuangan"]
