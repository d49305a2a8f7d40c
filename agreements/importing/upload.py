"""One uploaded file through the import: is it our template, where is its table, what does
each column hold, and the lampiran rows (and, for a .docx, the statement) it yields."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from agreements.importing.columns import Header, find_header, normalise_header, parse_mapping
from agreements.importing.rows import interpret
from agreements.importing.sources import Source, kind_of, read_source
from agreements.importing.statement import Statement, read_statement
from agreements.spreadsheet import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SHEET_NAME,
    ParsedLampiran,
    Problem,
    parse_lampiran,
)
from agreements.tables import UnreadableFile, cell_text, read_csv, read_xlsx


@dataclass
class Analysis:
    kind: str
    source: Source | None = None
    header: Header | None = None
    statement: Statement | None = None
    problems: list[Problem] = field(default_factory=list)
    is_template: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _where(filename: str) -> str:
    return {"xlsx": "xlsx", "csv": "CSV", "docx": "Word"}.get(kind_of(filename), "")


def analyse(content: bytes, filename: str, remembered: dict | None = None) -> Analysis:
    """Never raises for bad input: what cannot be read is a problem, in Indonesian."""
    analysis = Analysis(kind_of(filename))
    try:
        if len(content) > MAX_FILE_BYTES:
            raise UnreadableFile(_("Berkas lebih dari 5 MB: lampiran PK tidak sebesar itu."))
        if analysis.kind in ("xlsx", "csv") and _is_template(content, analysis.kind):
            analysis.is_template = True  # the template import reads it, with its own limits
            return analysis
        analysis.source = read_source(content, filename, max_rows=MAX_ROWS)
    except UnreadableFile as exc:
        analysis.problems.append(Problem(_where(filename), None, "", str(exc)))
        return analysis
    grids = analysis.source.grids
    if analysis.kind == "docx":
        analysis.statement = read_statement(analysis.source.paragraphs)
    analysis.header = find_header(grids, remembered)
    if analysis.header is None:
        if analysis.kind in ("xlsx", "csv"):
            # What the template import would say (an empty sheet, a template column missing),
            # then what we looked for in a sheet of the office's own.
            analysis.problems += parse_lampiran(content, filename).problems
        analysis.problems.append(
            Problem(
                grids[0].name if grids else _where(filename),
                None,
                "",
                _(
                    "Tidak ditemukan judul tabel lampiran PK (kolom seperti NO, SASARAN "
                    "STRATEGIS, INDIKATOR KINERJA, TARGET). Pastikan tabelnya berjudul kolom, "
                    "atau gunakan templat."
                ),
            )
        )
    return analysis


def _is_template(content: bytes, kind: str) -> bool:
    """Our template is recognised by its own "jenis" column in the first row: one with a
    column missing gets the template's message, not a mapping step."""
    if kind == "xlsx":
        table = read_xlsx(content, max_rows=0, sheet_name=SHEET_NAME)
    else:
        table = read_csv(content, max_rows=0)
    if not table.rows:
        return False
    first = {normalise_header(c).replace(" ", "_") for c in table.rows[0][1] if c}
    return set(COLUMNS) <= first or "jenis" in first


def parse_upload(
    content: bytes, filename: str, mapping: str = "", fixes=None, remembered=None
) -> tuple[ParsedLampiran, Analysis]:
    """The rows of the upload: through the template import when it is our template, else
    through the mapping (the posted roles, or the guess when `mapping` is empty)."""
    analysis = analyse(content, filename, remembered)
    if analysis.is_template:
        return parse_lampiran(content, filename), analysis
    if not analysis.ok:
        return ParsedLampiran(problems=list(analysis.problems)), analysis
    header = analysis.header
    roles = header.roles
    if mapping:
        roles = parse_mapping(mapping, len(header.columns))
        if roles is None:
            problem = Problem(
                _where(filename), None, "", _("Pemetaan kolom tidak sah; pilih ulang kolomnya.")
            )
            return ParsedLampiran(problems=[problem]), analysis
    return interpret(analysis.source.grids, header, roles, fixes), analysis


def mapping_memory(header: Header, roles: list[str]) -> dict:
    """What to remember for the unit: each header text with the role the user confirmed."""
    return {
        normalise_header(column.header): role
        for column, role in zip(header.columns, roles, strict=False)
        if cell_text(column.header)
    }
