"""The quarter form as a spreadsheet: downloaded with one row per indicator (target shown,
realisation and explanation to fill), filled in Excel, uploaded back, previewed and saved all
or nothing through the quarter form's own validation (monitoring.forms.QuarterFormSet).

The sheet is protected: only the realisation, explanation, obstacles and follow-up cells are
unlocked. Each row carries the indicator row's id in column A, so a sheet of another PK, or of
a PK whose indicators have changed since, is refused rather than read into the wrong lines.
Evidence files stay a per-indicator upload on the form.
"""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from agreements.sheet_style import finish, protect
from agreements.spreadsheet import Problem
from agreements.tables import Formula, UnreadableFile, cell_text, read_xlsx
from monitoring import capaian
from monitoring.models import Quarter

MAX_BYTES = 5 * 1024 * 1024
HEADER_ROW = 4
COLUMNS = [
    ("id", 8), ("no", 5), ("sasaran", 34), ("indikator", 44), ("target", 12),
    ("realisasi", 14), ("penjelasan", 36), ("kendala", 28), ("tindak_lanjut", 28),
]  # fmt: skip
INPUT_COLUMNS = ("realisasi", "penjelasan", "kendala", "tindak_lanjut")
FORM_FIELDS = {
    "realisasi": "value",
    "penjelasan": "explanation",
    "kendala": "obstacles",
    "tindak_lanjut": "follow_up",
}


def _labels():
    return {
        "id": _("ID"),
        "no": pgettext("nomor urut", "No"),
        "sasaran": _("Sasaran"),
        "indikator": _("Indikator Kinerja"),
        "target": _("Target"),
        "realisasi": _("Realisasi"),
        "penjelasan": _("Penjelasan"),
        "kendala": _("Kendala"),
        "tindak_lanjut": _("Tindak lanjut"),
    }


def quarter_workbook(agreement, quarter: int, lines, initial: list[dict]) -> bytes:
    """`lines` are the quarter form's lines (monitoring.views.FormLine) and `initial` their
    form values, so the sheet starts from what the form shows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(Quarter(quarter).label)
    sheet.append([_("Realisasi %(quarter)s %(year)s") % {"quarter": Quarter(quarter).label,
                                                         "year": agreement.year}])  # fmt: skip
    sheet.append([str(agreement)])
    sheet.append([_("Isi hanya sel berwarna. Predikat (mis. WTP) ditulis di kolom Realisasi. "
                    "Bukti dukung diunggah per indikator di formulir triwulan.")])  # fmt: skip
    labels = _labels()
    sheet.append([labels[name] for name, _width in COLUMNS])
    inputs = []
    grades = []
    for number, (line, values) in enumerate(zip(lines, initial, strict=True), start=1):
        row = line.row
        realised = values.get("grade") or values.get("value") or ""
        sheet.append([row.pk, number, row.sasaran.text, row.text, row.target.printed, realised,
                      values.get("explanation", ""), values.get("obstacles", ""),
                      values.get("follow_up", "")])  # fmt: skip
        current = sheet.max_row
        for name in INPUT_COLUMNS:
            cell = sheet.cell(current, _column(name))
            cell.data_type = "s"  # text as typed: "95,5" is not to become a date or a formula
            inputs.append(cell)
        if line.measure.kind == capaian.GRADE:
            grades.append((sheet.cell(current, _column("realisasi")), line.measure.target_grade))
    for cell, target in grades:
        order = capaian.grade_order(target) or []
        if order:
            check = DataValidation(type="list", formula1='"' + ",".join(order) + '"')
            check.add(cell)
            sheet.add_data_validation(check)
    finish(sheet, [width for _name, width in COLUMNS], header_row=HEADER_ROW,
           text_columns=[_column(n) for n in INPUT_COLUMNS])  # fmt: skip
    sheet.column_dimensions["A"].hidden = True
    protect(sheet, inputs)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column(name: str) -> int:
    return [n for n, _w in COLUMNS].index(name) + 1


@dataclass
class SheetEntries:
    """What an uploaded quarter sheet says for each line: {row id: {form field: text}}."""

    values: dict = field(default_factory=dict)
    numbers: dict = field(default_factory=dict)  # row id → the sheet's row number
    problems: list[Problem] = field(default_factory=list)
    sheet: str = "xlsx"


def read_quarter_sheet(content: bytes, filename: str, lines) -> SheetEntries:
    """Never raises for bad input: what cannot be read is a problem (sheet, row, column)."""
    entries = SheetEntries()
    try:
        if len(content) > MAX_BYTES:
            raise UnreadableFile(_("Berkas lebih dari 5 MB: lembar realisasi tidak sebesar itu."))
        if not (filename or "").lower().endswith(".xlsx"):
            raise UnreadableFile(_("Unggah lembar realisasi .xlsx yang diunduh dari halaman ini."))
        table = read_xlsx(content, max_rows=len(lines) + HEADER_ROW + 5)
    except UnreadableFile as exc:
        entries.problems.append(Problem("xlsx", None, "", str(exc)))
        return entries
    entries.sheet = table.sheet
    labels = _labels()
    by_id = {line.row.pk: line for line in lines}
    for number, cells in table.rows:
        if number <= HEADER_ROW:
            continue
        raw_id = cell_text(cells[0]) if cells else ""
        if not raw_id.isdigit() or int(raw_id) not in by_id:
            entries.problems.append(Problem(table.sheet, number, labels["id"], _(
                "Baris ini bukan indikator PK ini (kolom ID diubah, atau susunan indikator "
                "berubah sejak lembar diunduh). Unduh ulang lembarnya.")))  # fmt: skip
            continue
        values = {}
        for name in INPUT_COLUMNS:
            index = _column(name) - 1
            value = cells[index] if index < len(cells) else None
            if isinstance(value, Formula):
                entries.problems.append(Problem(table.sheet, number, labels[name], _(
                    "Sel berisi rumus; isi dengan nilainya saja.")))  # fmt: skip
                continue
            values[FORM_FIELDS[name]] = cell_text(value)
        entries.values[int(raw_id)] = values
        entries.numbers[int(raw_id)] = number
    missing = [line for line in lines if line.row.pk not in entries.values]
    if missing and not entries.problems:
        entries.problems.append(Problem(table.sheet, None, labels["id"], _(
            "Lembar ini tidak memuat %(count)d indikator PK ini. Unduh ulang lembarnya.")
            % {"count": len(missing)}))  # fmt: skip
    return entries


def formset_data(lines, initial: list[dict], entries: SheetEntries, prefix="form") -> dict:
    """The POST the quarter form would send with the sheet's values typed in (no files), so
    the form's own validation decides what is right."""
    data = {f"{prefix}-TOTAL_FORMS": len(lines), f"{prefix}-INITIAL_FORMS": len(lines)}
    for index, (line, values) in enumerate(zip(lines, initial, strict=True)):
        typed = entries.values.get(line.row.pk, {})
        base = {"row": line.row.pk, "lock_version": values.get("lock_version") or ""}
        base["explanation"] = typed.get("explanation", "")
        base["obstacles"] = typed.get("obstacles", "")
        base["follow_up"] = typed.get("follow_up", "")
        if line.measure.kind == capaian.GRADE:
            base["grade"] = typed.get("value", "").upper()
        else:
            base["value"] = typed.get("value", "")
        data.update({f"{prefix}-{index}-{k}": v for k, v in base.items()})
    return data


def form_problems(formset, lines, entries: SheetEntries) -> list[Problem]:
    """The quarter form's errors, placed at the sheet's row and column."""
    labels = _labels()
    column_of = {"value": "realisasi", "grade": "realisasi", "explanation": "penjelasan",
                 "obstacles": "kendala", "follow_up": "tindak_lanjut"}  # fmt: skip
    problems = []
    for form, line in zip(formset.forms, lines, strict=True):
        for name, errors in form.errors.items():
            column = labels.get(column_of.get(name, ""), name)
            number = entries.numbers.get(line.row.pk)
            for message in errors:
                problems.append(Problem(entries.sheet, number, column, message))
    for message in formset.non_form_errors():
        problems.append(Problem(entries.sheet, None, "", message))
    return problems
