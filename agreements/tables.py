"""Reading uploaded tables (.xlsx or .csv) safely, whatever they hold: the lampiran import
(agreements.spreadsheet) and the DIPA import (submissions.dipa) both read through here.

Guards: a zip bomb is refused before anything is inflated (MAX_UNCOMPRESSED_BYTES), rows stop
at the caller's limit, the encodings spreadsheet programs write (UTF-8 with or without BOM,
UTF-16 with BOM, Windows-1252) and separators (comma, semicolon, tab) are read, and a cell a
spreadsheet program would calculate comes back as a `Formula` so the caller can refuse it.
Every refusal is an `UnreadableFile` with an Indonesian message. tests/corpus/README.md lists
the hostile files this is tested with.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # a zip bomb stops here, before openpyxl reads it
# What a spreadsheet program may take for the start of a formula; a leading "'" keeps it text.
FORMULA_PREFIXES = ("=", "+", "-", "@")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class Formula(str):
    """A cell a spreadsheet program would calculate: an .xlsx formula, or a CSV cell beginning
    with "=", "+", "@" (or "-" followed by more than a number) without the protecting "'"."""


class UnreadableFile(Exception):  # noqa: N818 - reads as what happened
    """The upload cannot be read as a table at all; the message says why, in Indonesian."""


# A CSV cell starting with "-" is a formula for Excel once it holds an operator, a DDE pipe or
# a function call ("-2+3+cmd|' /C calc'!A0"); "-5000" or "- Pengelolaan" is not.
_DASH_FORMULA = re.compile(r"^-.*([=+@|!]|[A-Za-z]\()")


def looks_like_formula(text: str) -> bool:
    stripped = text.lstrip()
    if stripped[:1] in ("=", "+", "@"):
        return True
    return bool(_DASH_FORMULA.match(stripped))


def is_empty_row(row) -> bool:
    return not any(cell_text(c) for c in row)


def open_archive(content: bytes, invalid_message: str = "") -> zipfile.ZipFile:
    """The .xlsx (or .docx) as a zip, refused before anything is inflated when it would grow
    too large."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        # The sizes of the central directory are what zipfile inflates up to, never beyond.
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise UnreadableFile(
                _("Berkas .xlsx ini terlalu besar setelah dibuka (lebih dari 50 MB).")
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise UnreadableFile(
            invalid_message or _("Berkas ini bukan spreadsheet .xlsx yang sah.")
        ) from None
    return archive


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b")


def _has_merged_cells(archive: zipfile.ZipFile, member: str | None) -> bool:
    if not member:
        return False
    try:
        with archive.open(member.lstrip("/")) as handle:
            tail = b""
            while chunk := handle.read(1024 * 1024):
                if _MERGE.search(tail + chunk):
                    return True
                tail = chunk[-32:]
    except (KeyError, zipfile.BadZipFile, OSError):
        return False
    return False


def xlsx_value(cell, data_only: bool):
    value = cell.value
    if not data_only and cell.data_type == "f":
        return Formula(str(value))
    number_format = getattr(cell, "number_format", "") or ""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in number_format.replace("\\%", "").replace('"%"', "")
    ):
        # A cell showing "95%" holds 0.95: read it as what the user sees.
        percent = (Decimal(str(value)) * 100).normalize()
        return f"{percent:f}%"
    return value


@dataclass
class Table:
    sheet: str
    rows: list[tuple[int, tuple]]  # (row number in the file, cells): non-empty rows only
    merged_cells: bool = False


def read_xlsx(content: bytes, *, max_rows: int, sheet_name: str = "", data_only=False) -> Table:
    """The non-empty rows of the named (else the first) worksheet, at most `max_rows` + 2 of
    them (header and one row too many, so that the caller can say the file is too long).

    Raises UnreadableFile for a zip bomb or anything openpyxl cannot open. Formula cells come
    back as Formula (with `data_only`, their cached values instead).
    """

    archive = open_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise UnreadableFile(_("Berkas ini bukan spreadsheet .xlsx yang sah atau rusak.")) from None
    try:
        if not workbook.worksheets:
            raise UnreadableFile(_("Berkas .xlsx ini tidak memuat lembar kerja."))
        if sheet_name and sheet_name in workbook.sheetnames:
            sheet = workbook[sheet_name]
        else:
            sheet = workbook.worksheets[0]
        rows = []
        try:
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                row = tuple(xlsx_value(cell, data_only) for cell in cells)
                if is_empty_row(row):
                    continue
                rows.append((getattr(cells[0], "row", None) or number, row))
                if len(rows) > max_rows + 1:
                    break
        except UnreadableFile:
            raise
        except Exception:  # a damaged sheet fails while it is read, not when it is opened
            raise UnreadableFile(
                _("Berkas ini bukan spreadsheet .xlsx yang sah atau rusak.")
            ) from None
        merged = _has_merged_cells(archive, getattr(sheet, "_worksheet_path", None))
        return Table(sheet.title, rows, merged)
    finally:
        workbook.close()


def decode_csv(content: bytes) -> str:
    """The text of a CSV as spreadsheet programs save it: UTF-8 (with or without BOM), UTF-16
    with its BOM ("Unicode Text"), else Windows-1252. Refuses binary data (NUL bytes)."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = content.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFile(_("Berkas CSV UTF-16 ini rusak (terpotong).")) from None
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise UnreadableFile(_("Berkas CSV harus berupa teks UTF-8.")) from None
    if "\x00" in text:
        raise UnreadableFile(_("Berkas ini bukan berkas CSV (berisi data biner)."))
    return text


def _csv_cell(cell: str) -> str:
    # A leading apostrophe protects a value from spreadsheet formulas on export: drop it, and
    # the value is text. Without it, what a spreadsheet would calculate is a Formula.
    if cell[:1] == "'" and cell[1:2] in FORMULA_PREFIXES:
        return cell[1:]
    if looks_like_formula(cell):
        return Formula(cell)
    return cell


def read_csv(content: bytes, *, max_rows: int) -> Table:
    """The non-empty rows of a CSV (delimiter , ; or tab), at most `max_rows` + 2 of them."""
    text = decode_csv(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        # A title line above the table defeats the sniffer: take the separator used most.
        sample = text[:4096]

        class dialect(csv.excel):  # noqa: N801 - a csv dialect is a class
            delimiter = max(",;\t", key=sample.count)

    rows = []
    try:
        for number, raw in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            row = tuple(_csv_cell(c) for c in raw)
            if is_empty_row(row):
                continue
            rows.append((number, row))
            if len(rows) > max_rows + 1:
                break
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise UnreadableFile(
                _(
                    "Berkas CSV memuat sel yang sangat panjang (lebih dari 128 KB); isi sel "
                    "lampiran paling panjang 2.000 karakter."
                )
            ) from None
        raise UnreadableFile(
            _("Berkas CSV ini rusak; simpan ulang dari program spreadsheet sebagai CSV UTF-8.")
        ) from None
    return Table("CSV", rows)
