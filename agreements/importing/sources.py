"""An uploaded file as grids of text cells: a worksheet, a CSV, or the tables of a .docx.

Merged cells are filled in (a sasaran merged down over its indicators is on each indicator's
row; a heading merged across the table is in each of its cells), formulas come back as
`Formula` so the caller refuses them, and each refusal is an `UnreadableFile` in Indonesian.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass, field

import docx
from django.utils.translation import gettext as _
from docx.oxml.ns import qn
from openpyxl import load_workbook

from agreements.tables import Formula, UnreadableFile, cell_text, open_archive, read_csv, xlsx_value

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
KINDS = ("xlsx", "csv", "docx")


@dataclass
class SourceRow:
    number: int  # the row number in the sheet, or in the Word table
    cells: list


@dataclass
class Grid:
    """One worksheet or one Word table (or the Word text outside tables, one cell a line)."""

    name: str
    rows: list[SourceRow]
    is_text: bool = False  # paragraphs, not a table: only a budget list may be read from it


@dataclass
class Source:
    kind: str
    grids: list[Grid]
    paragraphs: list[str] = field(default_factory=list)  # .docx: every line outside tables


def kind_of(filename: str) -> str:
    extension = (filename or "").lower().rsplit(".", 1)[-1]
    return extension if extension in KINDS else ""


def read_source(content: bytes, filename: str, *, max_rows: int) -> Source:
    """Raises UnreadableFile (Indonesian message) for anything that is not a table we can read."""
    kind = kind_of(filename)
    if content.startswith(OLE_MAGIC):
        # Word 97-2003 (.doc), old Excel (.xls), and every password-protected Office file are
        # OLE containers: none of them can be read without Office itself.
        raise UnreadableFile(
            _(
                "Berkas ini berformat Office lama (Word/Excel 97-2003) atau dilindungi kata "
                "sandi. Buka di Word/Excel, hapus kata sandinya bila ada, lalu simpan sebagai "
                ".docx atau .xlsx dan unggah ulang."
            )
        )
    if kind == "xlsx":
        return Source("xlsx", [_xlsx_grid(content, max_rows)])
    if kind == "csv":
        table = read_csv(content, max_rows=2 * max_rows)
        if len(table.rows) > 2 * max_rows:
            raise too_long(max_rows)
        return Source("csv", [Grid(table.sheet, [SourceRow(n, list(c)) for n, c in table.rows])])
    if kind == "docx":
        return _docx_source(content, max_rows)
    raise UnreadableFile(_("Unggah berkas .xlsx, .csv atau .docx."))


def _xlsx_grid(content: bytes, max_rows: int) -> Grid:
    open_archive(content)  # the zip-bomb guard, before openpyxl inflates anything
    try:
        # Not read-only: only a full workbook knows its merged ranges.
        workbook = load_workbook(io.BytesIO(content))
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise UnreadableFile(_("Berkas ini bukan spreadsheet .xlsx yang sah atau rusak.")) from None
    sheet = workbook.worksheets[0]
    fill = {}
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col)
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                fill[(row, col)] = value
    rows = []
    for cells in sheet.iter_rows():
        values = [
            xlsx_value(fill.get((cell.row, cell.column), cell), data_only=False)
            for cell in cells
            if hasattr(cell, "column")
        ]
        if not any(cell_text(v) for v in values):
            continue
        rows.append(SourceRow(cells[0].row, values))
        if len(rows) > 2 * max_rows:
            raise too_long(max_rows)
    return Grid(sheet.title, rows)


def too_long(max_rows: int) -> UnreadableFile:
    """Nothing is cut silently: a table longer than any PK is refused whole."""
    return UnreadableFile(
        _("Tabel berisi lebih dari %(max)d baris; satu PK tidak sebanyak itu.") % {"max": max_rows}
    )


def _refuse_odd_package(archive: zipfile.ZipFile) -> None:
    try:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except KeyError:
        raise UnreadableFile(_("Berkas ini bukan dokumen Word .docx yang sah.")) from None
    if DOCM_MAIN in types or "vbaProject" in types:
        raise UnreadableFile(
            _(
                "Dokumen ini memuat makro (.docm). Demi keamanan, simpan dokumennya sebagai "
                "“Dokumen Word (.docx)” tanpa makro, lalu unggah ulang."
            )
        )
    if DOCX_MAIN not in types:
        raise UnreadableFile(_("Berkas ini bukan dokumen Word .docx yang sah."))


def _docx_source(content: bytes, max_rows: int) -> Source:
    archive = open_archive(content, _("Berkas ini bukan dokumen Word .docx yang sah."))
    _refuse_odd_package(archive)
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception:  # python-docx/lxml raise many types for a damaged package
        raise UnreadableFile(_("Dokumen Word ini rusak dan tidak dapat dibaca.")) from None
    grids = []
    paragraphs = []
    text_lines = []
    count = 0
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            table = docx.table.Table(child, document)
            rows = []
            for number, row in enumerate(table.rows, start=1):
                cells = [_cell_text(cell) for cell in row.cells]
                if any(cells):
                    rows.append(SourceRow(number, cells))
                count += 1
                if count > 2 * max_rows:
                    raise too_long(max_rows)
            if rows:
                grids.append(Grid(_("Tabel %(n)d") % {"n": len(grids) + 1}, rows))
        elif child.tag == qn("w:p"):
            # Text boxes (w:txbxContent) hold their own paragraphs inside this one.
            for line in _paragraph_lines(child):
                paragraphs.append(line)
                if grids:  # after the lampiran table: the budget list, the signatures
                    text_lines.append(SourceRow(len(paragraphs), [line]))
    if not grids:
        pictures = body.findall(".//" + qn("w:drawing")) + body.findall(".//" + qn("w:pict"))
        if pictures and not "".join(paragraphs).strip():
            raise UnreadableFile(
                _(
                    "Dokumen ini hanya berisi gambar (hasil pindai?). Tabel di dalam gambar "
                    "tidak dapat dibaca: unggah dokumen Word yang tabelnya berupa teks."
                )
            )
        raise UnreadableFile(_("Dokumen ini tidak memuat tabel lampiran PK."))
    grids.append(Grid(_("Teks dokumen"), text_lines, is_text=True))
    return Source("docx", grids, paragraphs)


def _paragraph_lines(element) -> list[str]:
    lines = []
    for paragraph in element.iter(qn("w:p")):
        text = "".join(
            node.text or ""
            for node in paragraph.iter(qn("w:t"))
            # a nested text box's text belongs to its own paragraph, read in its own turn
            if _owning_paragraph(node) is paragraph
        ).strip()
        if text:
            lines.append(text)
    return lines


def _owning_paragraph(node):
    parent = node.getparent()
    while parent is not None and parent.tag != qn("w:p"):
        parent = parent.getparent()
    return parent


def _cell_text(cell) -> str:
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip()).strip()


def is_date(value) -> bool:
    return isinstance(value, datetime.date | datetime.time)


def is_formula(value) -> bool:
    return isinstance(value, Formula)
