"""Reading and writing the lampiran spreadsheet (docs/import-format.md), .xlsx or .csv.

Every problem is reported as (sheet, row, column, message) before anything is saved; nothing
in a file can make the caller save half a lampiran. Exported cells are always values, never
formulas, so a cell beginning with "=" cannot run in the reader's spreadsheet program; on
import, a formula (an .xlsx formula cell, or a CSV cell a spreadsheet would calculate) is
refused. The file itself is read by agreements.tables (zip-bomb guard, row limit, encodings).
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow
from agreements.sheet_style import MONEY_FORMAT, finish, protect
from agreements.tables import (
    FORMULA_PREFIXES,
    Formula,
    UnreadableFile,
    cell_text,
    read_csv,
    read_xlsx,
)
from indicators.targets import parse_target
from organisations.formatting import format_rupiah, parse_rupiah

COLUMNS = [
    "jenis",
    "program_kode",
    "program",
    "kegiatan_kode",
    "kegiatan",
    "sasaran",
    "indikator",
    "target",
    "anggaran",
]
SHEET_NAME = "Lampiran"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000  # the largest real PK has about 250 indicators
MAX_AMOUNT = 10**15 - 1  # Rp 999 triliun: the whole KPU budget is a small fraction of it


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str
    field: str = ""  # the lampiran field, where the user may correct the cell in the preview

    def __str__(self):
        where = self.sheet
        if self.row:
            where += _(", baris %(row)d") % {"row": self.row}
        if self.column:
            where += _(", kolom %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ParsedLampiran:
    rows: list[LampiranRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def indicator_count(self) -> int:
        return sum(1 for r in self.rows if r.jenis == INDIKATOR)

    @property
    def budget_total(self) -> int:
        return sum(r.anggaran or 0 for r in self.rows if r.jenis == ANGGARAN)


def formula_message() -> str:
    return _(
        "Sel berisi rumus; isi dengan nilainya saja (teks yang memang diawali "
        "=, +, - atau @ diawali tanda petik ')."
    )


def date_message(value) -> str:
    return _(
        "Sel berisi tanggal (%(value)s), padahal kolom ini bukan tanggal: Excel "
        "mengubah isian seperti 1/2 menjadi tanggal. Format selnya sebagai teks, "
        "lalu ketik ulang isinya."
    ) % {"value": cell_text(value)}


def parse_amount(text: str | int) -> int:
    """A budget amount in whole rupiah (organisations.formatting.parse_rupiah), refusing what
    would not fit the database or any real budget."""
    try:
        amount = parse_rupiah(text)
    except ValueError:  # digits int() cannot read, such as "²"
        raise ValidationError(
            _("“%(value)s” bukan jumlah rupiah yang sah (contoh: Rp 21.057.000,-)."),
            code="invalid",
            params={"value": text},
        ) from None
    if amount > MAX_AMOUNT:
        raise ValidationError(
            _("Jumlah anggaran terlalu besar: paling banyak %(max)s.")
            % {"max": format_rupiah(MAX_AMOUNT)},
            code="too_large",
        )
    return amount


class LampiranRowForm(forms.Form):
    """One spreadsheet row, turned into domain values (a Target, whole rupiah)."""

    jenis = forms.CharField(max_length=20)
    program_kode = forms.CharField(max_length=40, required=False)
    program = forms.CharField(max_length=300, required=False)
    kegiatan_kode = forms.CharField(max_length=40, required=False)
    kegiatan = forms.CharField(max_length=300, required=False)
    sasaran = forms.CharField(max_length=2000, required=False)
    indikator = forms.CharField(max_length=2000, required=False)
    target = forms.CharField(max_length=60, required=False)
    anggaran = forms.CharField(max_length=40, required=False)

    def clean_jenis(self):
        value = self.cleaned_data["jenis"].strip().upper()
        if value not in {INDIKATOR, ANGGARAN}:
            raise ValidationError(_("Isi dengan INDIKATOR atau ANGGARAN."))
        return value

    def clean(self):
        cleaned = super().clean()
        jenis = cleaned.get("jenis")
        if jenis == INDIKATOR:
            for name in ("sasaran", "indikator"):
                if not cleaned.get(name):
                    self.add_error(name, _("Wajib diisi untuk baris INDIKATOR."))
            try:
                cleaned["target"] = parse_target(cleaned.get("target", ""))
            except ValidationError as exc:
                self.add_error("target", exc)
            if cleaned.get("anggaran"):
                self.add_error("anggaran", _("Baris INDIKATOR tidak berisi anggaran."))
        elif jenis == ANGGARAN:
            if not (cleaned.get("program") or cleaned.get("kegiatan")):
                self.add_error("program", _("Sebutkan program atau kegiatan yang dianggarkan."))
            if not cleaned.get("anggaran"):
                self.add_error("anggaran", _("Wajib diisi untuk baris ANGGARAN."))
            else:
                try:
                    cleaned["anggaran"] = parse_amount(cleaned["anggaran"])
                except ValidationError as exc:
                    self.add_error("anggaran", exc)
        return cleaned

    def to_row(self) -> LampiranRow:
        data = self.cleaned_data
        return LampiranRow(
            jenis=data["jenis"],
            program_kode=data["program_kode"].strip(),
            program=data["program"].strip(),
            kegiatan_kode=data["kegiatan_kode"].strip(),
            kegiatan=data["kegiatan"].strip(),
            sasaran=data["sasaran"].strip(),
            indikator=data["indikator"].strip(),
            target=data["target"] if data["jenis"] == INDIKATOR else None,
            anggaran=data["anggaran"] if data["jenis"] == ANGGARAN else None,
        )


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


TEMPLATE_NOTES = [
    "Templat lampiran Perjanjian Kinerja (PK Portal)",
    "Satu baris per indikator kinerja, urut seperti tabel lampiran; lalu satu baris per anggaran.",
    "jenis: INDIKATOR atau ANGGARAN",
    "program_kode, program: misalnya 076.01.CQ, Program Penyelenggaraan Pemilihan Umum "
    "(boleh kosong bila PK tidak memuat program)",
    "kegiatan_kode, kegiatan: misalnya 3355, Perencanaan Program dan Anggaran (boleh kosong)",
    "sasaran: sasaran strategis; baris berurutan dengan sasaran yang sama menjadi satu sasaran",
    "indikator: teks indikator kinerja",
    "target: seperti dicetak, misalnya 100%, 1 Lembaga, 2 laporan, 85, WTP",
    "anggaran: hanya untuk baris ANGGARAN, rupiah tanpa sen, misalnya 21057000 atau "
    "Rp 21.057.000,-",
    "Jangan memakai rumus: isi setiap sel dengan nilainya.",
]

TEMPLATE_EXAMPLE = [
    LampiranRow(
        jenis=INDIKATOR,
        program_kode="076.01.CQ",
        program="Program Penyelenggaraan Pemilihan Umum",
        kegiatan="Penguatan Kualitas Peraturan Perundang-Undangan",
        sasaran="Terlaksananya penguatan Peraturan KPU sesuai dengan kaidah yang berlaku",
        indikator="Persentase Keputusan KPU yang disusun dengan tepat waktu",
        target=parse_target("100%"),
    ),
    LampiranRow(
        jenis=ANGGARAN,
        program_kode="076.01.CQ",
        program="Program Penyelenggaraan Pemilihan Umum",
        anggaran=21057000,
    ),
]
