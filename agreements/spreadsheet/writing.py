"""Writing the lampiran in the template's columns, as .xlsx (laid out to be read, or as the
blank template to fill in) or as .csv. Cells are always values, never formulas: a text that
begins like a formula is stored as text in .xlsx and behind a "'" in .csv."""

import csv
import io

from openpyxl import Workbook

from agreements.lampiran import LampiranRow
from agreements.sheet_style import MONEY_FORMAT, finish, protect
from agreements.spreadsheet.template import COLUMNS, SHEET_NAME, TEMPLATE_NOTES
from agreements.tables import FORMULA_PREFIXES

COLUMN_WIDTHS = {
    "jenis": 12, "program_kode": 13, "program": 30, "kegiatan_kode": 13, "kegiatan": 30,
    "sasaran": 40, "indikator": 50, "target": 12, "anggaran": 20,
}  # fmt: skip


TEMPLATE_BLANK_ROWS = 300  # room to type below the template's examples


def export_xlsx(rows: list[LampiranRow], title: str = "", *, fillable: bool = False) -> bytes:
    """The lampiran in the template's columns, ready to read: widths, a frozen bold header,
    wrapped text, budgets as "Rp 21.057.000" number cells (agreements.sheet_style).
    `fillable` (the blank template): the header is protected, the rows below are input cells
    (rows may still be inserted, deleted and sorted)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append(COLUMNS)
    for row in rows:
        cells = row.as_cells()
        sheet.append([cells[column] for column in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text begins with
    finish(
        sheet,
        [COLUMN_WIDTHS[column] for column in COLUMNS],
        money_columns=[COLUMNS.index("anggaran") + 1],
    )
    if fillable:
        _leave_rows_to_fill(sheet, len(rows) + 1 + TEMPLATE_BLANK_ROWS)
    notes = workbook.create_sheet("Petunjuk")
    for line in TEMPLATE_NOTES + ([" ", title] if title else []):
        notes.append([line])
        notes.cell(notes.max_row, 1).data_type = "s"
    notes.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _leave_rows_to_fill(sheet, last_row: int) -> None:
    money = COLUMNS.index("anggaran") + 1
    inputs = []
    for row in sheet.iter_rows(min_row=2, max_row=last_row, max_col=len(COLUMNS)):
        for cell in row:
            if cell.column == money:
                cell.number_format = MONEY_FORMAT
            inputs.append(cell)
    protect(sheet, inputs)
    sheet.protection.insertRows = False
    sheet.protection.deleteRows = False
    sheet.protection.sort = False


def export_csv(rows: list[LampiranRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        cells = row.as_cells()
        writer.writerow(
            [
                f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
                for v in (cells[c] for c in COLUMNS)
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
