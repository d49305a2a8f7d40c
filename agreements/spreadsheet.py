"""Reading and writing the lampiran spreadsheet (docs/import-format.md), .xlsx or .csv.

Every problem is reported as (sheet, row, column, message) before anything is saved; nothing
in a file can make the caller save half a lampiran. Exported cells are always values, never
formulas, so a cell beginning with "=" cannot run in the reader's spreadsheet program.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow
from indicators.targets import parse_target
from organisations.formatting import parse_rupiah

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
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # a zip bomb stops here, before openpyxl reads it
MAX_ROWS = 1000  # the largest real PK has about 250 indicators
FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

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
                    cleaned["anggaran"] = parse_rupiah(cleaned["anggaran"])
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


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(content: bytes) -> tuple[str, list[tuple]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise _FileProblem(
                _("Berkas .xlsx ini terlalu besar setelah dibuka (lebih dari 50 MB).")
            )
    except zipfile.BadZipFile:
        raise _FileProblem(_("Berkas ini bukan spreadsheet .xlsx yang sah.")) from None
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise _FileProblem(_("Berkas ini bukan spreadsheet .xlsx yang sah atau rusak.")) from None
    try:
        sheet = (
            workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
        )
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return sheet.title, rows
    finally:
        workbook.close()


def _read_csv(content: bytes) -> tuple[str, list[tuple]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise _FileProblem(_("Berkas CSV harus berupa teks UTF-8.")) from None
    if "\x00" in text:
        raise _FileProblem(_("Berkas ini bukan berkas CSV (berisi data biner)."))
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for row in csv.reader(io.StringIO(text), dialect):
        # A leading apostrophe protects a value from spreadsheet formulas on export: drop it.
        rows.append(tuple(c[1:] if c[:1] == "'" and c[1:2] in FORMULA_PREFIXES else c for c in row))
        if len(rows) > MAX_ROWS + 1:
            break
    return "CSV", rows


class _FileProblem(Exception):
    pass


def parse_lampiran(content: bytes, filename: str) -> ParsedLampiran:
    """Read an uploaded lampiran file. Never raises for bad input: problems are returned."""
    result = ParsedLampiran()
    name = (filename or "").lower()
    sheet = "xlsx" if name.endswith(".xlsx") else "CSV"
    try:
        if len(content) > MAX_FILE_BYTES:
            raise _FileProblem(_("Berkas lebih dari 5 MB: lampiran PK tidak sebesar itu."))
        if name.endswith(".xlsx"):
            sheet, table = _read_xlsx(content)
        elif name.endswith(".csv"):
            sheet, table = _read_csv(content)
        else:
            raise _FileProblem(_("Unggah berkas .xlsx atau .csv sesuai templat."))
    except _FileProblem as exc:
        result.problems.append(Problem(sheet, None, "", str(exc)))
        return result

    table = [row for row in table if any(_cell_text(c) for c in row)]
    if not table:
        result.problems.append(Problem(sheet, None, "", _("Lembar kerja kosong.")))
        return result
    header = [_cell_text(c).lower().replace(" ", "_") for c in table[0]]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        if missing:
            result.problems.append(
                Problem(sheet, 1, ", ".join(missing), _("Kolom wajib tidak ada."))
            )
        if unknown:
            result.problems.append(
                Problem(
                    sheet,
                    1,
                    ", ".join(c or "(kosong)" for c in unknown),
                    _("Kolom tidak dikenal; gunakan templat."),
                )  # fmt: skip
            )
        return result
    data = table[1:]
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

    for offset, raw in enumerate(data, start=2):
        cells = {col: _cell_text(raw[i]) if i < len(raw) else "" for i, col in enumerate(header)}
        formula_columns = [c for c, v in cells.items() if v.startswith("=")]
        for column in formula_columns:
            result.problems.append(
                Problem(sheet, offset, column, _("Sel berisi rumus; isi dengan nilainya saja."))
            )
        if formula_columns:
            continue
        form = LampiranRowForm(cells)
        if form.is_valid():
            result.rows.append(form.to_row())
        else:
            for column, errors in form.errors.items():
                for message in errors:
                    result.problems.append(Problem(sheet, offset, column, message))
    if not result.problems and not any(r.jenis == INDIKATOR for r in result.rows):
        result.problems.append(Problem(sheet, None, "", _("Tidak ada baris INDIKATOR.")))
    return result


def export_xlsx(rows: list[LampiranRow], title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_NAME)
    bold = Font(bold=True)
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = row.as_cells()
        out = []
        for column in COLUMNS:
            value = cells[column]
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Never a formula, whatever the text begins with.
                cell.data_type = "s"
            out.append(cell)
        sheet.append(out)
    notes = workbook.create_sheet("Petunjuk")
    for line in TEMPLATE_NOTES:
        cell = WriteOnlyCell(notes, value=line)
        cell.data_type = "s"
        notes.append([cell])
    if title:
        notes.append([])
        notes.append([WriteOnlyCell(notes, value=title)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
