"""How our .xlsx exports look finished: column widths, a frozen bold header that wraps, text
that wraps, money as "Rp #.##0", and, where only some cells are to be typed in, a protected
sheet with just those cells unlocked. Used by the lampiran export and the quarter sheet."""

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

# Excel shows the thousands separator of the reader's locale: "Rp 21.057.000" in Indonesian.
MONEY_FORMAT = '"Rp "#,##0'
PERCENT_FORMAT = "0.00"  # a capaian in percent points: 95.5 shows "95,50" in Indonesian Excel
INTEGER_FORMAT = "0"
# [$-421] is Indonesian: "15 Januari 2026 23:30".
DATE_FORMAT = "[$-421]d mmmm yyyy"
DATETIME_FORMAT = "[$-421]d mmmm yyyy hh:mm"
TEXT_FORMAT = "@"
_THIN = Side(style="thin", color="999999")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")


def append(sheet, values) -> None:
    """Append a row of plain values; text stays text, never a formula, whatever it begins with."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def finish(
    sheet,
    widths: list[int],
    *,
    header_row: int = 1,
    money_columns=(),
    text_columns=(),
    percent_columns=(),
):
    """Style the header row and the data below it; freeze everything above the first data row.
    `money_columns`/`text_columns`/`percent_columns` are 1-based column numbers."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in sheet.iter_rows(min_row=header_row + 1, max_col=len(widths)):
        for cell in row:
            cell.border = BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column in money_columns and isinstance(cell.value, int | float):
                cell.number_format = MONEY_FORMAT
            elif cell.column in percent_columns and isinstance(cell.value, int | float):
                cell.number_format = PERCENT_FORMAT
            elif cell.column in text_columns:
                cell.number_format = TEXT_FORMAT
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)


def protect(sheet, input_cells, password: str = "") -> None:
    """Lock the whole sheet except `input_cells` (shaded), so a reader types only there.
    Not a security measure (any spreadsheet program removes it): it keeps hands off the
    columns the upload does not read."""
    for cell in input_cells:
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widths may still be changed
    sheet.protection.formatRows = False
    if password:
        sheet.protection.password = password


def read_only(sheet, header_row: int = 1) -> None:
    """Protect a report sheet whole (no password: it only guards against a slip of the hand);
    sorting, filtering (a filter on the header row) and changing widths stay allowed."""
    protect(sheet, [])
    sheet.protection.sort = False
    sheet.protection.autoFilter = False
    if sheet.max_row > header_row:
        last = sheet.cell(sheet.max_row, sheet.max_column).coordinate
        sheet.auto_filter.ref = f"A{header_row}:{last}"
