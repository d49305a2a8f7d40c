"""HTML to PDF with WeasyPrint, offline: nothing is fetched but data: URIs and our static files.

WeasyPrint is imported inside the functions that need it: the import alone costs ~0.65 s,
which a web process that never renders a PDF should not pay at start.
"""

import functools
import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.formatting_structure import boxes
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The base URL the documents are rendered under. ".invalid" never resolves (RFC 2606), and the
# fetcher below never opens a connection anyway: it maps this origin's static URLs to files.
INTERNAL_ORIGIN = "https://pk-portal.invalid/"

logger = logging.getLogger(__name__)

# Every PK PDF is an archival PDF/A-3b file with a tagged structure (headings, paragraphs,
# tables for screen readers and text reuse): XMP metadata with pdfaid, the sRGB output intent,
# every font embedded. The signatures are incremental updates and keep it PDF/A. Laying out
# and writing take the same options (WeasyPrint fills the variant's defaults in both).
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


class FetchRefused(ValueError):
    """A document asked for a resource outside data: URIs and the project's static files."""


def static_prefix() -> str:
    """The absolute URL `{% static %}` paths resolve to under INTERNAL_ORIGIN."""
    return urljoin(INTERNAL_ORIGIN, settings.STATIC_URL)


def static_relative_path(url: str) -> str | None:
    """ "documents/pk.css" for a URL of our static files, None for anything else."""
    prefix = static_prefix()
    if not url.startswith(prefix):
        return None
    relative = unquote(url[len(prefix) :].split("?", 1)[0].split("#", 1)[0])
    normalised = posixpath.normpath(relative) if relative else ""
    if (
        not normalised
        or normalised in {".", ".."}
        or normalised.startswith(("../", "/"))
        or "\\" in normalised
        or "\x00" in normalised
    ):
        return None
    return normalised


def read_static(relative: str) -> bytes:
    """Our own static file: collected (hashed names under STATIC_MANIFEST) or from the finders."""
    if staticfiles_storage.exists(relative):
        with staticfiles_storage.open(relative, "rb") as handle:
            return handle.read()
    found = finders.find(relative)
    if found:
        return Path(found).read_bytes()
    raise FetchRefused(f"no static file {relative!r}")


@functools.cache
def _fetcher_class():
    class LocalOnlyFetcher(URLFetcher):
        """Serves data: URIs and our static files; refuses every other URL (http, file, …)."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            relative = static_relative_path(url)
            if relative is None:
                raise FetchRefused(f"documents fetch nothing from {url!r}")
            content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=read_static(relative), headers={"Content-Type": content_type}
            )

    return LocalOnlyFetcher


def url_fetcher():
    """A fetcher that stops the rendering (FatalURLFetchingError) on any refused URL."""
    return _fetcher_class()(fail_on_errors=True)


# Rules dropped when WeasyPrint still fails to paginate a document (see `layout`): with no
# break constraint left, every page takes what fits and the layout cannot end on an empty page.
FALLBACK_CSS = """
table.targets tbody, table.targets tr, .closing, .budget, .signatures {
  break-inside: auto !important; break-after: auto !important; break-before: auto !important;
}
"""
# How many times a lampiran is laid out again to repeat the sasaran of rows that start a page
# when the text does not fit beside its rows (see layout_repeating).
MAX_REPEAT_PASSES = 6


def _weasy_render(html: str, stylesheets=()):
    return weasyprint.HTML(string=html, base_url=INTERNAL_ORIGIN, url_fetcher=url_fetcher()).render(
        stylesheets=list(stylesheets), **PDF_OPTIONS
    )


def layout(html: str):
    """Lay the HTML out into pages: a weasyprint.Document (its boxes are there to inspect).

    WeasyPrint has failed on some combinations of break rules with an AssertionError
    ("assert not page_is_empty"); our stylesheet avoids the one we found, and should another
    one turn up, the document is laid out again without the keep-together rules (logged as an
    error, so that it gets fixed) rather than failing the PK's download or signature.
    """
    try:
        return _weasy_render(html)
    except AssertionError:
        logger.exception("WeasyPrint failed to paginate a document; laid out without break rules")
        return _weasy_render(html, [weasyprint.CSS(string=FALLBACK_CSS)])


def walk(box):
    """The box and every box inside it, depth first."""
    yield box
    for child in getattr(box, "children", None) or []:
        yield from walk(child)


def body_rows(page, *, with_group=False):
    """The <tr> boxes of the table bodies laid out on `page` (not the repeated heading); with
    `with_group`, each as (its tbody element, the row box)."""
    for box in walk(page._page_box):
        if isinstance(box, boxes.TableRowGroupBox) and box.element_tag == "tbody":
            for row in box.children:
                if isinstance(row, boxes.TableRowBox):
                    yield (box.element, row) if with_group else row


def _cells(row, class_name: str) -> list:
    return [c for c in row.children if class_name in c.element.get("class", "").split()]


def _row_number(row) -> int | None:
    element_id = row.element.get("id", "")
    return int(element_id.removeprefix("row-")) if element_id.startswith("row-") else None


def page_top_repeats(document) -> dict[int, bool]:
    """The indicator rows that open a page in the middle of their sasaran, each with whether
    the sasaran text fits beside the rows of its sasaran on that page (then it is printed
    over them without growing its row: the layout does not change) or not (then the row
    grows to hold it, and what follows moves)."""
    return {number: fits for number, fits, _top, _first in _page_tops(document)}


def _page_tops(document):
    """(row number, fits, the row box opening a page, the first row box of its sasaran) for
    each indicator row that opens a page in the middle of its sasaran (see page_top_repeats)."""
    first_rows = {}  # tbody element -> its first row's box
    for page in document.pages:
        for group, row in body_rows(page, with_group=True):
            first_rows.setdefault(group, row)
    for page in document.pages[1:]:
        rows = list(body_rows(page, with_group=True))
        if not rows or _row_number(rows[0][1]) is None:
            continue
        group, top = rows[0]
        classes = top.element.get("class", "").split()
        if "continued" not in classes and "repeated" not in classes:
            continue
        room = sum(row.margin_height() for row_group, row in rows if row_group is group)
        text_cells = _cells(first_rows[group], "sasaran")
        needed = sum(child.margin_height() for child in text_cells[0].children) if text_cells else 0
        padding = text_cells[0].padding_top + text_cells[0].padding_bottom if text_cells else 0
        yield _row_number(top), needed + padding <= room, top, first_rows[group]


def _print_sasaran_over(top, first) -> None:
    """Put copies of the number and sasaran text of `first` (its sasaran's first row, already
    laid out) into the empty cells of `top`, the row opening the page. The text runs down over
    the empty sasaran cells of the rows below it, as CSS `overflow: visible` would draw it: no
    box moves, so the pages stay as laid out."""
    for class_name in ("no", "sasaran"):
        sources, targets = _cells(first, class_name), _cells(top, class_name)
        if not sources or not targets:
            continue
        source, target = sources[0], targets[0]
        dx = target.content_box_x() - source.content_box_x()
        dy = target.content_box_y() - source.content_box_y()
        copies = []
        for child in source.children:
            copy = child.deepcopy()
            copy.translate(dx, dy)
            copies.append(copy)
        target.children = copies


def layout_repeating(make_html):
    """Lay out `make_html(grown)`, each sasaran split by a page break printing its number and
    text again on the row that opens the next page. `grown` names the indicator rows that hold
    that text in the HTML (their row grows to fit it).

    Most of the time the text fits beside its sasaran's rows on that page: it is then copied
    from the sasaran's first row into the already laid-out page (`_print_sasaran_over`), and
    one layout is all it takes. Only a text taller than those rows needs its row to grow,
    which may move the page breaks after it: such rows are marked `grown` and the document is
    laid out again. Each pass settles at least one more page, in order; after
    MAX_REPEAT_PASSES layouts the last one is kept (and logged).
    """
    grown: frozenset[int] = frozenset()
    document = layout(make_html(grown))
    for _pass in range(MAX_REPEAT_PASSES - 1):
        wanted = frozenset(
            number for number, fits, *_ in _page_tops(document) if number in grown or not fits
        )
        if wanted == grown:
            break
        grown = wanted
        document = layout(make_html(grown))
    for number, fits, top, first in _page_tops(document):
        if number in grown:
            continue
        if not fits:
            logger.warning("a repeated sasaran is taller than its rows on the next page")
        _print_sasaran_over(top, first)
    return document


def write_pdf(htmls: list[str]) -> bytes:
    """One PDF of the given HTML documents, one after the other (see write_documents)."""
    return write_documents([layout(html) for html in htmls])


def write_documents(documents) -> bytes:
    """One PDF of the given laid-out documents (`layout`), one after the other.

    Each is laid out on its own, so page numbers ("Halaman 1 dari 3") count within each part.
    """
    if len(documents) == 1:
        return documents[0].write_pdf(**PDF_OPTIONS)
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(**PDF_OPTIONS)
