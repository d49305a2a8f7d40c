"""The national review's export: the filtered board as an .xlsx workbook."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook

from agreements.sheet_style import DATETIME_FORMAT, append, finish, read_only
from submissions.deadlines import TIME_ZONE_NAMES
from submissions.review.board import Board
from submissions.review.rows import Cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment: datetime.datetime, time_zone: str) -> tuple[datetime.datetime, str]:
    """As the unit's own clock shows it: the moment (a real date, without its zone, as Excel
    holds dates) and a format naming the zone, "31 Januari 2027 23:30 WITA"."""
    local = moment.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)
    name = TIME_ZONE_NAMES.get(time_zone, time_zone).replace('"', "")
    return local, f'{DATETIME_FORMAT} "{name}"'


def export_rows(board: Board) -> bytes:
    """The filtered table as .xlsx, read-only (agreements.sheet_style): every cell text, a
    number or a date, never a formula."""

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Reviu PK %(year)s") % {"year": board.year}
    per_pk = [
        _("Jenis PK"),
        _("Status PK"),
        _("Reviu"),
        _("Revisi"),
        _("Pertama disampaikan"),
        _("Terlambat"),
        _("Kesalahan"),
        _("Peringatan"),
    ]
    header = [_("Provinsi"), _("Kode unit"), _("Unit")]
    header += [f"{_('PK Satker')}: {name}" for name in per_pk]
    header += [f"{_('PK Sekretariat')}: {name}" for name in per_pk]
    append(sheet, header)
    dates = {}  # (row, column) -> number format

    def pk_cells(cell: Cell | None, first_column: int) -> list:
        if cell is None:
            return [None] * len(per_pk)  # an empty cell (the office has no such PK)
        submitted = None
        if cell.first_submitted_at:
            submitted, number_format = _local(cell.first_submitted_at, cell.time_zone)
            dates[sheet.max_row + 1, first_column + 4] = number_format
        return [
            str(cell.pk_kind_label),
            str(cell.status_label),
            str(cell.state_label),
            cell.agreement["revision"] if cell.agreement else None,
            submitted,
            str(_("ya") if cell.late else _("tidak")),
            cell.check_errors,
            cell.check_warnings,
        ]

    for row in board.rows():
        province = row.province["short_name"] if row.province else ""
        append(
            sheet,
            [
                str(province),
                str(row.unit["code"]),
                str(row.unit["short_name"]),
                *pk_cells(row.cells[0], 4),
                *pk_cells(row.cells[1], 4 + len(per_pk)),
            ],
        )
    widths = [12, 18, 30] + [14, 16, 16, 8, 22, 10, 8, 10] * 2
    finish(sheet, widths)
    for (row, column), number_format in dates.items():
        sheet.cell(row, column).number_format = number_format
    read_only(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
