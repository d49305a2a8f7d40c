"""The PK as printed documents: the statement (pernyataan), the lampiran, and both together.

    render_html(agreement, part) -> str     the HTML the PDF is made from (also the preview)
    render_pdf(agreement, part) -> bytes    the PDF, rendered once per content and kept

A PDF is stored in `default_storage` under a key holding the SHA-256 of everything that
determines it (see `content_key`): a later request for the same content reads the stored
file; any change to a printed field, a row, the letterhead, the status (watermark), the paper
size, the templates or the renderer gives a new key.
"""

import functools
import hashlib
import json
import logging
import re
import unicodedata
from importlib.metadata import version

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from agreements.documents.content import document_context
from agreements.documents.rendering import layout_repeating, write_documents
from agreements.models import Agreement

logger = logging.getLogger(__name__)

LENGKAP, PERNYATAAN, LAMPIRAN = "lengkap", "pernyataan", "lampiran"
PARTS = (LENGKAP, PERNYATAAN, LAMPIRAN)
# Bump when the documents change in a way the template and CSS digest would not show.
TEMPLATE_VERSION = 2
TEMPLATE = "documents/pk.html"
STORAGE_DIR = "documents/pk"
_STORED_NAME = re.compile(r"^(?P<part>[a-z]+)-[0-9a-f]{64}\.pdf$")


class UnknownPart(ValueError):
    pass


def _check_part(part: str) -> None:
    if part not in PARTS:
        raise UnknownPart(part)


def part_context(agreement: Agreement, part: str) -> dict:
    """document_context for what `part` prints: the statement alone reads no lampiran."""
    return document_context(agreement, with_lampiran=part != PERNYATAAN)


def _html_parts(part: str) -> tuple[str, ...]:
    """The documents a part's PDF is made of: the full PK is the statement then the lampiran."""
    return (PERNYATAAN, LAMPIRAN) if part == LENGKAP else (part,)


def _render(context: dict, part: str, repeat=frozenset()) -> str:
    """The HTML of `part`; `repeat` names the indicator rows that hold their sasaran's number
    and text again because a page break puts them first on a page and the text is taller than
    the rows it would be printed over (rendering.layout_repeating)."""
    with translation.override("id"):
        extra = {"doc": context, "part": part, "repeat": repeat}
        return render_to_string(TEMPLATE, extra)


def layout_part(context: dict, part: str):
    """`part` (statement or lampiran) laid out into pages, its split sasaran repeated."""
    return layout_repeating(lambda repeat: _render(context, part, repeat))


def render_html(agreement: Agreement, part: str, *, preview=False, request=None) -> str:
    """The HTML of `part`, as the PDF is made from it.

    With `preview`, the same pages come with a toolbar (the other parts, the PDF download) in
    the reader's interface language; the document itself is Indonesian either way.
    """
    _check_part(part)
    context = part_context(agreement, part)
    if preview:
        extra = {"doc": context, "part": part, "agreement": agreement, "parts": PARTS}
        return render_to_string("documents/preview.html", extra, request=request)
    return _render(context, part)


@functools.cache
def _template_digest() -> str:
    """SHA-256 of the document templates and stylesheets, so that editing one re-renders."""
    digest = hashlib.sha256()
    roots = [
        settings.BASE_DIR / "templates" / "documents",
        settings.BASE_DIR / "static" / "documents",
    ]
    for root in roots:
        for path in sorted(root.glob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def _renderer_version() -> str:
    return version("weasyprint")  # from the package metadata: no import of WeasyPrint


def code_version() -> tuple:
    """What in the code determines a PDF besides its content (see content_key)."""
    return (TEMPLATE_VERSION, _template_digest(), _renderer_version())


def content_key(context: dict, part: str) -> str:
    """SHA-256 over what determines the PDF: the printed content (fields, rows, letterhead with
    its logo, watermark, paper size), the part, the template version and digest, WeasyPrint."""
    payload = {
        "content": context,
        "part": part,
        "template_version": TEMPLATE_VERSION,
        "templates": _template_digest(),
        "weasyprint": _renderer_version(),
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def storage_name(agreement: Agreement, part: str, key: str) -> str:
    return f"{STORAGE_DIR}/{agreement.pk}/{part}-{key}.pdf"


def stored_pdf_name(agreement: Agreement, part: str) -> str:
    """Where the PDF of the PK's current content is (or will be) kept."""
    _check_part(part)
    return storage_name(agreement, part, content_key(part_context(agreement, part), part))


def read_stored(name: str) -> bytes | None:
    """A rendered file kept in storage, or None when it is not there (any more: another
    process may prune it between the check and the read)."""
    if not default_storage.exists(name):
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def render_pdf(agreement: Agreement, part: str) -> bytes:
    """The PDF of `part`, from storage when this content was rendered before (render_stored)."""
    return render_stored(agreement, part)[1]


def render_stored(agreement: Agreement, part: str) -> tuple[str, bytes]:
    """(storage name, PDF) of `part`, from storage when this content was rendered before.

    Side effects: on a miss, renders with WeasyPrint, stores the file in `default_storage` and
    deletes this PK's older files of the same part (stale content nobody can ask for again).
    """
    _check_part(part)
    context = part_context(agreement, part)
    name = storage_name(agreement, part, content_key(context, part))

    def same_part(filename: str) -> bool:
        match = _STORED_NAME.match(filename)
        return bool(match) and match["part"] == part

    pdf = stored_render(
        name,
        lambda: write_documents(
            [layout_part(context, html_part) for html_part in _html_parts(part)]
        ),
        same_part,
    )
    return name, pdf


def stored_render(name: str, render, replaces) -> bytes:
    """The file `name` from storage when this content was rendered before, else `render()`
    stored under it (also the measurement tables of monitoring.exports).

    Side effects on a miss: stores the file through the storage API, then deletes the other
    files of its folder that `replaces(filename)` says it supersedes (stale content nobody
    can ask for again)."""
    stored = read_stored(name)
    if stored is not None:
        return stored
    pdf = render()
    saved = default_storage.save(name, ContentFile(pdf))
    if saved != name:  # another request stored the same content meanwhile: keep one copy
        default_storage.delete(saved)
    directory, _sep, kept = name.rpartition("/")
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotImplementedError):
        return pdf
    for filename in files:
        if filename != kept and replaces(filename):
            try:
                default_storage.delete(f"{directory}/{filename}")
            except OSError:  # pragma: no cover - best effort: a stale file costs only space
                logger.warning("could not delete stale file %s/%s", directory, filename)
    return pdf


def document_filename(agreement: Agreement, part: str) -> str:
    """ "PK-2026-Sekretariat-KPU-Kota-Bontang-lengkap.pdf" (ASCII, safe in any header)."""
    _check_part(part)
    unit = unicodedata.normalize("NFKD", str(agreement.unit)).encode("ascii", "ignore").decode()
    unit = re.sub(r"[^A-Za-z0-9]+", "-", unit).strip("-")
    suffix = f"-v{agreement.version}" if agreement.version > 1 else ""
    return f"PK-{agreement.year}-{unit}{suffix}-{part}.pdf"


__all__ = [
    "LAMPIRAN",
    "LENGKAP",
    "PARTS",
    "PERNYATAAN",
    "TEMPLATE_VERSION",
    "UnknownPart",
    "content_key",
    "document_context",
    "document_filename",
    "render_html",
    "render_pdf",
    "stored_pdf_name",
]
