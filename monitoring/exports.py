"""The monitoring's exports: one PK's measurement table of a quarter (Pengukuran Kinerja) as
.xlsx and as a PDF in the style of the PK lampiran, and the dashboard rows as .xlsx.

    measurement_table(agreement, quarter, report=None) -> dict   plain data, both formats read it
    measurement_xlsx(agreement, quarter) -> bytes
    measurement_pdf(agreement, quarter) -> bytes     stored by content (like agreements.documents)
    dashboard_xlsx(board) -> bytes

The table's columns: NO | SASARAN | INDIKATOR | TARGET | REALISASI | CAPAIAN (%), the rows
grouped as the lampiran groups them (programme, kegiatan, sasaran), with the average capaian
of each sasaran and of the whole PK (monitoring.capaian rule 7) and its category. The
realisation is the figure compared with the target (a count: summed since Triwulan I,
monitoring.capaian rule 6). Every .xlsx cell is a number or text, never a formula.
"""

import functools
import hashlib
import io
import json
import logging
import re
import unicodedata
from decimal import Decimal
from importlib.metadata import version

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from agreements.documents import stored_render
from agreements.documents.content import letter, unit_lines
from agreements.documents.rendering import write_pdf
from agreements.models import AgreementStatus
from agreements.sheet_style import append, finish, read_only
from indicators.targets import Target
from monitoring import capaian
from monitoring.models import Quarter, RealisationStatus, quarter_end, quarter_start
from monitoring.series import build_report
from organisations.models import PaperSize

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TEMPLATE = "monitoring/pdf/pengukuran.html"
STORAGE_DIR = "monitoring/pengukuran"
TEMPLATE_VERSION = 1
_STORED_NAME = re.compile(r"^tw(?P<quarter>[1-4])-[0-9a-f]{64}\.pdf$")

logger = logging.getLogger(__name__)


# --- the table as plain data ------------------------------------------------------------------
def _percent(value: Decimal | None) -> str:
    """A capaian as printed: two decimals, comma (95,50)."""
    return "" if value is None else format(value, ".2f").replace(".", ",")


def realised_text(cell) -> str:
    """What a cell realised, printed like its target: "3 laporan", "95,5%", "WDP"."""
    if cell.measure is None or cell.realisation is None and cell.measured is None:
        return ""
    if cell.measure.kind == capaian.GRADE:
        return cell.realisation.grade if cell.realisation else ""
    if cell.measured is None:
        return ""
    unit = cell.source_row.target_unit if cell.source_row else ""
    return Target(value=cell.measured, unit=unit, grade="").printed


def _capaian(result: capaian.Capaian | None) -> dict:
    if result is None:
        return {"value": None, "text": "", "category": "", "label": "", "explanation": ""}
    return {
        "value": None if result.value is None else str(result.value),
        "text": _percent(result.value),
        "category": result.category,
        "label": result.label,
        "explanation": result.explanation,
    }


def measurement_table(agreement, quarter: int) -> dict:
    """Everything the measurement table prints (strings, numbers, lists and dicts only: it
    also names the stored PDF). Like the PK's own documents it is Indonesian whatever the
    reader's language (labels and explanations included)."""
    with translation.override("id"):
        return _measurement_table(agreement, quarter, build_report(agreement))


def _measurement_table(agreement, quarter: int, report) -> dict:
    unit = agreement.unit
    owner = report.owners.get(quarter, agreement)
    status = report.statuses[quarter]
    sasaran_averages = {
        group.obj.pk: group.averages[quarter]
        for programme in report.programmes
        for group in programme.children
    }
    start = date_format(quarter_start(agreement.year, quarter))
    period = f"{start} – {date_format(quarter_end(agreement.year, quarter))}"
    quarter_label = str(Quarter(quarter).label)
    blocks = []
    current_programme = current_kegiatan = current_sasaran = None
    programmes = kegiatan_count = sasaran_count = 0
    for line in report.lines:
        sasaran = line.row.sasaran
        kegiatan = sasaran.kegiatan
        programme = kegiatan.programme
        if programme.pk != current_programme:
            current_programme, current_kegiatan = programme.pk, None
            kegiatan_count = 0
            if programme.name:
                programmes += 1
                blocks.append({"kind": "programme", "number": f"{letter(programmes)}.",
                               "code": programme.code, "name": programme.name})  # fmt: skip
        if kegiatan.pk != current_kegiatan:
            current_kegiatan, current_sasaran = kegiatan.pk, None
            sasaran_count = 0
            if kegiatan.name:
                kegiatan_count += 1
                blocks.append({"kind": "kegiatan", "number": f"{kegiatan_count}.",
                               "code": kegiatan.code, "name": kegiatan.name})  # fmt: skip
        if sasaran.pk != current_sasaran:
            current_sasaran = sasaran.pk
            sasaran_count += 1
            number = letter(sasaran_count).lower() if kegiatan.name else str(sasaran_count)
            blocks.append({
                "kind": "sasaran", "number": f"{number}.", "sasaran": sasaran.text,
                "rows": [], "average": _capaian(sasaran_averages.get(sasaran.pk)),
            })  # fmt: skip
        cell = line.cells[quarter]
        blocks[-1]["rows"].append(
            {
                "indikator": line.row.text,
                "target": cell.target_text,
                "realisasi": realised_text(cell),
                "measured": None if cell.measured is None else str(cell.measured),
                "unit": cell.source_row.target_unit if cell.source_row else "",
                "capaian": _capaian(cell.capaian),
                "carried": cell.carried,
            }
        )
    status_label = str(dict(RealisationStatus.choices).get(status, _("Belum dilaporkan")))
    return {
        "year": agreement.year,
        "quarter": quarter,
        "quarter_label": quarter_label,
        "title": f"PENGUKURAN KINERJA {quarter_label.upper()} TAHUN {agreement.year}",
        "document_title": f"Pengukuran Kinerja {quarter_label} {agreement.year} {unit}",
        "author": unit.name,
        "paper": PaperSize.F4.value if unit.paper_size == PaperSize.F4 else PaperSize.A4.value,
        "unit_lines": [
            *unit_lines(unit, agreement.year),
            {"label": "Periode", "value": f"{quarter_label} ({period})"},
            {"label": "Status pelaporan", "value": status_label},
            *(
                [{"label": "Diukur dengan", "value": f"PK versi {owner.version}"}]
                if owner.version > 1 or owner.pk != agreement.pk
                else []
            ),
        ],
        "pk": str(agreement),
        "version": owner.version,
        "status": status,
        "watermark": status != RealisationStatus.VERIFIED
        or agreement.status == AgreementStatus.DRAFT,
        "blocks": blocks,
        "indicators": len(report.lines),
        "average": _capaian(report.averages[quarter]),
    }


def measurement_filename(agreement, quarter: int, extension: str) -> str:
    """ "Pengukuran-Kinerja-2027-TW1-Sekretariat-KPU-Kota-Bontang.xlsx" (ASCII)."""
    unit = unicodedata.normalize("NFKD", str(agreement.unit)).encode("ascii", "ignore").decode()
    unit = re.sub(r"[^A-Za-z0-9]+", "-", unit).strip("-")
    suffix = f"-v{agreement.version}" if agreement.version > 1 else ""
    return f"Pengukuran-Kinerja-{agreement.year}-TW{quarter}-{unit}{suffix}.{extension}"


# --- .xlsx ---------------------------------------------------------------------------------------
def _number(value):
    """A figure kept as a number (a capaian, a count), or an empty cell."""
    return None if value is None or value == "" else float(Decimal(value))


def _text(value) -> str:
    return "" if value is None else str(value)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def measurement_xlsx(agreement, quarter: int, table: dict | None = None) -> bytes:
    """The measurement table as a one-sheet workbook (Indonesian, like the PDF): a heading,
    the unit lines, then one row per indicator, an average row per sasaran and the PK's."""
    table = table or measurement_table(agreement, quarter)
    with translation.override("id"):
        return _measurement_workbook(table)


MEASUREMENT_WIDTHS = [6, 40, 50, 14, 14, 12, 12, 18, 40]


def _measurement_workbook(table: dict) -> bytes:
    """Read-only (agreements.sheet_style): a report, not a form."""
    quarter = table["quarter"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"TW{quarter} {table['year']}"
    strong = []  # rows whose cells are bold (programme, kegiatan, averages)
    append(sheet, [_text(table["title"])])
    sheet.cell(1, 1).font = Font(bold=True, size=12)
    for line in table["unit_lines"]:
        append(sheet, [_text(line["label"]), _text(line["value"])])
    sheet.append([])
    append(sheet, [_text(name) for name in (
        "No", _("Sasaran"), _("Indikator"), _("Target"), _("Realisasi"), _("Satuan"),
        _("Capaian (%)"), _("Kategori"), _("Keterangan"),
    )])  # fmt: skip
    header_row = sheet.max_row
    for block in table["blocks"]:
        if block["kind"] != "sasaran":
            name = f"{block['code']} {block['name']}".strip()
            append(sheet, [_text(block["number"]), name])
            strong.append((sheet.max_row, (1, 2)))
            continue
        for row in block["rows"]:
            measured = row["measured"]
            append(sheet, [
                _text(block["number"]), _text(block["sasaran"]), _text(row["indikator"]),
                _text(row["target"]),
                _number(measured) if measured is not None else _text(row["realisasi"]),
                _text(row["unit"]), _number(row["capaian"]["value"]),
                _text(row["capaian"]["label"]), _text(row["capaian"]["explanation"]),
            ])  # fmt: skip
        average = block["average"]
        append(sheet, [
            None, _text(block["sasaran"]), _("Rata-rata capaian sasaran"),
            None, None, None, _number(average["value"]), _text(average["label"]),
            _text(average["explanation"]),
        ])  # fmt: skip
        strong.append((sheet.max_row, (3, 7)))
    average = table["average"]
    sheet.append([])
    append(sheet, [
        None, None, _("Rata-rata capaian PK"), None, None, None,
        _number(average["value"]), _text(average["label"]), _text(average["explanation"]),
    ])  # fmt: skip
    strong.append((sheet.max_row, (3, 7, 8)))
    finish(sheet, MEASUREMENT_WIDTHS, header_row=header_row, percent_columns=[7])
    for row, columns in strong:
        for column in columns:
            sheet.cell(row, column).font = Font(bold=True)
    read_only(sheet, header_row)
    return _save(workbook)


# --- PDF ----------------------------------------------------------------------------------------
@functools.cache
def _template_digest() -> str:
    """SHA-256 of the table's template and the lampiran stylesheets it uses."""
    digest = hashlib.sha256()
    roots = [
        settings.BASE_DIR / "templates" / "monitoring" / "pdf",
        settings.BASE_DIR / "static" / "documents",
    ]
    for root in roots:
        for path in sorted(root.glob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def content_key(table: dict) -> str:
    payload = {
        "content": table,
        "template_version": TEMPLATE_VERSION,
        "templates": _template_digest(),
        "weasyprint": version("weasyprint"),
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def render_measurement_html(table: dict) -> str:
    with translation.override("id"):
        return render_to_string(PDF_TEMPLATE, {"doc": table})


def measurement_pdf(agreement, quarter: int, table: dict | None = None) -> bytes:
    """The measurement table as a PDF, from storage when this content was rendered before.

    Side effects: on a miss, renders with WeasyPrint, stores the file through the storage
    API and deletes this PK's older files of the same quarter.
    """
    table = table or measurement_table(agreement, quarter)
    name = f"{STORAGE_DIR}/{agreement.pk}/tw{quarter}-{content_key(table)}.pdf"

    def same_quarter(filename: str) -> bool:
        match = _STORED_NAME.match(filename)
        return bool(match) and int(match["quarter"]) == quarter

    return stored_render(name, lambda: write_pdf([render_measurement_html(table)]), same_quarter)


# --- the dashboard rows -------------------------------------------------------------------------
DASHBOARD_WIDTHS = [18, 20, 36, 14, 9, 16, 18, 12, 18, 11, 11]


def dashboard_xlsx(board, title: str) -> bytes:
    """The filtered dashboard as .xlsx: one row per unit, read-only (agreements.sheet_style)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append(sheet, [_text(name) for name in (
        _("Provinsi"), _("Kode unit"), _("Unit"), _("Jenis PK"), _("Versi PK"), _("Status PK"),
        _("Pelaporan %(quarter)s") % {"quarter": Quarter(board.quarter).label},
        _("Capaian (%)"), _("Kategori"), _("Indikator"), _("Indikator diisi"),
    )])  # fmt: skip
    statuses = dict(AgreementStatus.choices)
    for row in board.rows:
        agreement, score = row.agreement, row.score
        append(sheet, [
            _text(row.province["short_name"] if row.province else _("Pusat")),
            _text(row.unit["code"]), _text(row.label), _text(row.pk_kind_label),
            agreement["version"] if agreement else None,
            _text(statuses.get(agreement["status"], "") if agreement else ""),
            _text(row.state_label),
            _number(str(score.average.value))
            if score and score.average.value is not None else None,
            _text(row.category_label),
            score.indicators if score else None,
            score.entered if score else None,
        ])  # fmt: skip
    finish(sheet, DASHBOARD_WIDTHS, percent_columns=[8])
    read_only(sheet)
    return _save(workbook)
