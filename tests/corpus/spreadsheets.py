"""Spreadsheets for the lampiran and DIPA imports: good tables to start from, and writers for
.xlsx (through openpyxl, so that formulas, merged cells and number formats are real) and CSV
(in any encoding). The zip bomb is written in chunks: it never sits inflated in memory."""

import datetime
import functools
import io
import zipfile

from openpyxl import Workbook

from agreements.spreadsheet import COLUMNS
from agreements.tables import MAX_UNCOMPRESSED_BYTES

PROGRAMME = ("076.01.WA", "Program Dukungan Manajemen")
KEGIATAN = ("", "Pengelolaan Keuangan")


def indicator_row(sasaran="Terkelolanya keuangan", indikator="Jumlah laporan keuangan",
                  target="2 laporan") -> list:  # fmt: skip
    return ["INDIKATOR", *PROGRAMME, *KEGIATAN, sasaran, indikator, target, ""]


def budget_row(amount="Rp 1.000.000,-") -> list:
    return ["ANGGARAN", *PROGRAMME, "", "", "", "", "", amount]


def lampiran_table(*extra_rows) -> list[list]:
    """The header, two indicators, a budget line, then `extra_rows`."""
    return [
        list(COLUMNS),
        indicator_row(),
        indicator_row(indikator="Opini BPK atas laporan keuangan", target="WTP"),
        budget_row(),
        *extra_rows,
    ]


def xlsx(rows, *, sheet="Lampiran", setup=None) -> bytes:
    """A workbook whose sheet holds `rows`; `setup(worksheet)` may then format or merge cells.
    A string beginning with "=" is written as a formula, as openpyxl does."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    if setup:
        setup(worksheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_text_cells(rows) -> bytes:
    """Like xlsx(), but every string is a text cell, even one beginning with "=" (as Excel
    stores a value typed with a leading apostrophe)."""

    def as_text(worksheet):
        for line in worksheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.data_type == "f":
                    cell.data_type = "s"

    return xlsx(rows, setup=as_text)


def csv_bytes(rows, *, encoding="utf-8", delimiter=",") -> bytes:
    def cell(value):
        text = "" if value is None else str(value)
        if any(c in text for c in (delimiter, '"', "\n", "\r")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    lines = [delimiter.join(cell(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@functools.cache
def xlsx_bomb() -> bytes:
    """A real workbook whose sheet inflates past the 50 MB the importer opens (about 60 kB
    on disk). Built once per test run: writing 60 MB of blanks through zlib takes a moment."""
    good = zipfile.ZipFile(io.BytesIO(xlsx(lampiran_table())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<sheetData>", 1)
            with bomb.open(info.filename, "w", force_zip64=True) as member:
                member.write(head + b"<sheetData>")
                blank = b" " * (1024 * 1024)
                for _ in range(MAX_UNCOMPRESSED_BYTES // len(blank) + 10):
                    member.write(blank)  # whitespace between elements is valid XML
                member.write(tail)
    return buffer.getvalue()


def rows_xlsx(count: int, row: list, header=COLUMNS) -> bytes:
    """`count` copies of `row` under the header, written in write-only mode (fast)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet("Lampiran")
    worksheet.append(list(header))
    for _ in range(count):
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def merged_sasaran_xlsx() -> bytes:
    """A sasaran written once in a cell merged down over its three indicators, as people lay
    out the printed table: the rows below the first read as empty."""
    rows = lampiran_table(indicator_row(indikator="Jumlah laporan BMN"))
    rows[2][5] = rows[4][5] = None
    return xlsx(rows, setup=lambda ws: ws.merge_cells("F2:F5"))


def percent_target_xlsx() -> bytes:
    """Targets typed as 95% and 100% in Excel: number cells 0.95 and 1 formatted "0%"."""
    rows = lampiran_table()
    rows[1][7], rows[2][7] = 0.95, 1

    def percent(worksheet):
        worksheet["H2"].number_format = "0%"
        worksheet["H3"].number_format = "0%"

    return xlsx(rows, setup=percent)


def typed_cells_xlsx(column: str, value) -> bytes:
    """The good table with the first indicator's (or the budget line's) `column` replaced by
    a cell of another type: a date, a boolean, a float."""
    rows = lampiran_table()
    line = rows[3] if column == "anggaran" else rows[1]
    line[COLUMNS.index(column)] = value
    return xlsx(rows)


def lampiran_csv_with(**cells) -> bytes:
    """The good table as CSV with the first indicator's cells replaced."""
    rows = lampiran_table()
    for column, value in cells.items():
        rows[1][COLUMNS.index(column)] = value
    return csv_bytes(rows)


def lampiran_csv_budget(amount: str) -> bytes:
    rows = lampiran_table()
    rows[3][COLUMNS.index("anggaran")] = amount
    return csv_bytes(rows)


def blank_lines_hiding_the_last_row() -> bytes:
    """1,001 indicator rows with blank lines between the header and the data: the reader once
    stopped counting at 1,002 lines, blanks included, and dropped the end of the file."""
    rows = [list(COLUMNS)] + [[""] * len(COLUMNS)] * 5 + [indicator_row()] * 1001
    return csv_bytes(rows)


# --- DIPA -----------------------------------------------------------------------------------
DIPA_HEADER = ["kode_unit", "tahun", "nomor_dipa", "tanggal_dipa"]


def dipa_row(code="64.74.sekretariat", year="2027", number="SP DIPA-076.01.2.690000/2027",
             day="2026-12-05") -> list:  # fmt: skip
    return [code, year, number, day]


def dipa_csv(*rows, encoding="utf-8") -> bytes:
    return csv_bytes([DIPA_HEADER, *rows], encoding=encoding)


def dipa_xlsx(*rows) -> bytes:
    return xlsx([DIPA_HEADER, *rows], sheet="DIPA")


def dipa_date_cell_xlsx() -> bytes:
    """Dates and years as Excel keeps them: a date cell, a year as a number."""
    return dipa_xlsx(["64.74.sekretariat", 2027, "SP DIPA-1", datetime.datetime(2026, 12, 5)])
