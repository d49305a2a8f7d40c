"""The national review's export: the filtered board as an .xlsx workbook."""

import datetime
import io
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from submissions.deadlines import TIME_ZONE_NAMES
from submissions.review.board import Board
from submissions.review.rows import Cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment: datetime.datetime, time_zone: str) -> str:
    """As the unit's own clock shows it, e.g. "31-01-2027 23:30 WITA"."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{local:%d-%m-%Y %H:%M} {TIME_ZONE_NAMES.get(time_zone, time_zone)}"


def export_rows(board: Board) -> bytes:
    """The filtered table as .xlsx (write-only; every cell text or a number, never a formula)."""

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Reviu PK %(year)s") % {"year": board.year})
    per_pk = [
        _("Jenis PK"),
        _("Status PK"),
        _("Reviu"),
        _("Revisi"),
        _("Pertama disampaikan"),
        _("Terlambat"),
        _("Galat"),
        _("Peringatan"),
    ]
    header = [_("Provinsi"), _("Kode unit"), _("Unit")]
    header += [f"{_('PK Satker')}: {name}" for name in per_pk]
    header += [f"{_('PK Sekretariat')}: {name}" for name in per_pk]
    bold = Font(bold=True)

    def text(value):
        cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
        cell.data_type = "s"  # never a formula, whatever the text begins with
        return cell

    def number(value):
        return WriteOnlyCell(sheet, value=value) if value is not None else None

    heading = []
    for name in header:
        cell = text(name)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)

    def pk_cells(cell: Cell | None) -> list:
        if cell is None:
            return [None] * len(per_pk)  # an empty cell (the office has no such PK)
        submitted = cell.first_submitted_at
        return [
            text(cell.pk_kind_label),
            text(cell.status_label),
            text(cell.state_label),
            number(cell.agreement["revision"] if cell.agreement else None),
            text(_local(submitted, cell.time_zone) if submitted else ""),
            text(_("ya") if cell.late else _("tidak")),
            number(cell.check_errors),
            number(cell.check_warnings),
        ]

    for row in board.rows:
        province = row.province["short_name"] if row.province else ""
        sheet.append(
            [
                text(province),
                text(row.unit["code"]),
                text(row.unit["short_name"]),
                *pk_cells(row.cells[0]),
                *pk_cells(row.cells[1]),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
