"""Reading a lampiran file in the template's columns (.xlsx or .csv): the header is checked
against the template, then each row is validated on its own and every problem is collected;
a formula or a date in a cell is refused before the row is looked at. The file itself is read
by agreements.tables (zip-bomb guard, row limit, encodings)."""

import datetime

from django.utils.translation import gettext as _

from agreements.lampiran import INDIKATOR
from agreements.spreadsheet.problems import (
    ParsedLampiran,
    Problem,
    date_message,
    formula_message,
)
from agreements.spreadsheet.template import COLUMNS, MAX_FILE_BYTES, MAX_ROWS, SHEET_NAME
from agreements.spreadsheet.validation import LampiranRowForm
from agreements.tables import Formula, UnreadableFile, cell_text, read_csv, read_xlsx


def parse_lampiran(content: bytes, filename: str) -> ParsedLampiran:
    """Read an uploaded lampiran file. Never raises for bad input: problems are returned."""
    result = ParsedLampiran()
    name = (filename or "").lower()
    sheet = "xlsx" if name.endswith(".xlsx") else "CSV"
    try:
        if len(content) > MAX_FILE_BYTES:
            raise UnreadableFile(_("Berkas lebih dari 5 MB: lampiran PK tidak sebesar itu."))
        if name.endswith(".xlsx"):
            table = read_xlsx(content, max_rows=MAX_ROWS, sheet_name=SHEET_NAME)
        elif name.endswith(".csv"):
            table = read_csv(content, max_rows=MAX_ROWS)
        else:
            raise UnreadableFile(_("Unggah berkas .xlsx atau .csv sesuai templat."))
    except UnreadableFile as exc:
        result.problems.append(Problem(sheet, None, "", str(exc)))
        return result

    sheet = table.sheet
    if not table.rows:
        result.problems.append(Problem(sheet, None, "", _("Lembar kerja kosong.")))
        return result
    header_number, header_cells = table.rows[0]
    header = [cell_text(c).lower().replace(" ", "_") for c in header_cells]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        if missing:
            result.problems.append(
                Problem(sheet, header_number, ", ".join(missing), _("Kolom wajib tidak ada."))
            )
        if unknown:
            result.problems.append(
                Problem(
                    sheet,
                    header_number,
                    ", ".join(c or "(kosong)" for c in unknown),
                    _("Kolom tidak dikenal; gunakan templat."),
                )  # fmt: skip
            )
        return result
    data = table.rows[1:]
    if len(data) > MAX_ROWS:
        result.problems.append(
            Problem(
                sheet,
                None,
                "",
                _(
                    "Berkas berisi lebih dari %(max)d baris; satu PK tidak "
                    "sebanyak itu. Periksa apakah lembar kerjanya benar."
                )
                % {"max": MAX_ROWS},
            )  # fmt: skip
        )
        return result
    if not data:
        result.problems.append(Problem(sheet, None, "", _("Tidak ada baris data di bawah judul.")))
        return result

    anggaran = header.index("anggaran")
    for number, raw in data:
        formula_columns = [
            col for i, col in enumerate(header) if i < len(raw) and isinstance(raw[i], Formula)
        ]
        for column in formula_columns:
            result.problems.append(
                Problem(
                    sheet,
                    number,
                    column,
                    formula_message(),
                )
            )
        if formula_columns:
            continue
        dates = [
            (col, raw[i])
            for i, col in enumerate(header)
            if i < len(raw) and isinstance(raw[i], datetime.date | datetime.time)
        ]
        for column, value in dates:
            result.problems.append(
                Problem(
                    sheet,
                    number,
                    column,
                    date_message(value),
                )
            )
        if dates:
            continue
        amount = raw[anggaran] if anggaran < len(raw) else None
        if isinstance(amount, float) and not amount.is_integer():
            result.problems.append(
                Problem(sheet, number, "anggaran", _("Anggaran ditulis dalam rupiah tanpa sen."))
            )
            continue
        cells = {col: cell_text(raw[i]) if i < len(raw) else "" for i, col in enumerate(header)}
        form = LampiranRowForm(cells)
        if form.is_valid():
            result.rows.append(form.to_row())
        else:
            for column, errors in form.errors.items():
                for message in errors:
                    result.problems.append(Problem(sheet, number, column, message))
    if result.problems and table.merged_cells:
        result.problems.append(
            Problem(
                sheet,
                None,
                "",
                _(
                    "Lembar kerja ini memuat sel gabungan (merge). Sel gabungan hanya berisi "
                    "nilai pada baris pertamanya: pisahkan selnya dan isi setiap baris."
                ),
            )
        )
    if not result.problems and not any(r.jenis == INDIKATOR for r in result.rows):
        result.problems.append(Problem(sheet, None, "", _("Tidak ada baris INDIKATOR.")))
    return result
