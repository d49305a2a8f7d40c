"""HTML to PDF with WeasyPrint, offline: nothing is fetched but data: URIs and our static files.

WeasyPrint is imported inside the functions that need it: the import alone costs ~0.65 s,
which a web process that never renders a PDF should not pay at start.
"""

import functools
import logging
import mimetypes
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.anchors import gather_anchors
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.layout.background import layout_box_backgrounds
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
    return {top.number: top.missing <= 0 for top in _page_tops(document)}


@dataclass
class _PageTop:
    """An indicator row opening a page in the middle of its sasaran."""

    number: int  # the row's position in the table (its id "row-N")
    page: object  # the weasyprint Page it opens
    row: object  # its row box
    first: object  # the row box of its sasaran's first row, where the text was laid out
    missing: float  # how much taller the text is than its sasaran's rows on this page (px)


def _text_height(cell) -> float:
    """The height `cell` needs for its text: lines and padding, without the padding the table
    adds under the text of a top-aligned cell when another cell of its row is taller."""
    lines = sum(child.margin_height() for child in cell.children)
    bottom = cell.style["padding_bottom"]
    padding_bottom = bottom.value if bottom.unit == "px" else cell.padding_top
    return lines + cell.padding_top + padding_bottom


def _page_tops(document):
    """Each indicator row that opens a page in the middle of its sasaran, as a _PageTop."""
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
        needed = _text_height(text_cells[0]) if text_cells else 0
        yield _PageTop(_row_number(top), page, top, first_rows[group], needed - room)


def _print_sasaran_over(top: _PageTop) -> None:
    """Put copies of the number and sasaran text of its sasaran's first row (already laid out)
    into the empty cells of the row opening the page. The text runs down over the empty
    sasaran cells of the rows below it, as CSS `overflow: visible` would draw it: no box
    moves, so the pages stay as laid out."""
    for class_name in ("no", "sasaran"):
        sources, targets = _cells(top.first, class_name), _cells(top.row, class_name)
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


def _close_bottom_border(document, top: _PageTop) -> None:
    """Draw the border under the last row of the page before `top.page` across the whole
    table. The row opening the next page keeps its "continued" cells, whose hidden top border
    (the merged sasaran column) would leave the table open at that page's bottom; the line
    between the two rows is taken from the indikator column's, drawn from the table's
    collapsed-border grid (shared by the table's pages, used only for that page bottom:
    the top of a page is drawn under the repeated heading)."""
    grids, index = {}, None
    for page in document.pages:
        for box in walk(page._page_box):
            if not isinstance(box, boxes.TableBox) or box.collapsed_border_grid is None:
                continue
            header = box.children and box.children[0].is_header
            rows = grids.setdefault(id(box.element), [0, header, []])
            rows[2].append(box.collapsed_border_grid)
            for group in box.children:
                if group.is_header or group.is_footer:
                    continue
                for row in group.children:
                    if row is top.row:
                        header_rows = len(box.children[0].children) if header else 0
                        index = (id(box.element), header_rows + rows[0])
                    rows[0] += 1
    if index is None:
        return
    for grid in grids[index[0]][2]:
        horizontal = grid[1]
        line = horizontal[index[1]]
        solid = max(line, key=lambda border: border[1][1])  # the widest: the indikator column's
        for column, border in enumerate(line):
            if border[1][0] == "hidden":
                line[column] = solid


def _path_to(box, target) -> list | None:
    """The boxes from `box` down to `target`, both included; None when it is not inside."""
    if box is target:
        return [box]
    for child in getattr(box, "children", None) or []:
        found = _path_to(child, target)
        if found:
            return [box, *found]
    return None


def _is_out_of_flow(box) -> bool:
    return isinstance(box, AbsolutePlaceholder) or box.style["position"] in ("absolute", "fixed")


def _growth(top: _PageTop) -> tuple[list, list] | None:
    """How the row opening the page can grow by `top.missing` where it is: (the boxes from the
    page's root down to the row, the boxes to move down), when the page has that room left at
    its bottom and nothing but table rows follow the row on the page; None otherwise."""
    page_box = top.page._page_box
    root = page_box.children[0]
    path = _path_to(root, top.row)
    if path is None:
        return None
    table_depth = next((i for i, box in enumerate(path) if isinstance(box, boxes.TableBox)), None)
    if table_depth is None:
        return None
    # The table's last row is the last thing on the page (checked below); boxes broken by the
    # page end reach down to it, so the room left is measured from that row. A pixel is kept
    # for the table's bottom border.
    last_row = list(body_rows(top.page))[-1]
    free = page_box.content_box_y() + page_box.height - (last_row.position_y + last_row.height)
    if top.missing + 1 > free:
        return None
    moved = []
    for depth, (parent, child) in enumerate(zip(path, path[1:], strict=False)):
        position = next(i for i, each in enumerate(parent.children) if each is child)
        for sibling in parent.children[position + 1 :]:
            if _is_out_of_flow(sibling):
                continue
            if depth < table_depth:
                return None  # the budget or the signatures follow the table on this page
            moved.append(sibling)
    return path, moved


def _grow_in_place(top: _PageTop, path: list, moved: list) -> None:
    """Make the row opening the page `top.missing` taller and move the rows below it down (see
    `_growth`): the page breaks stay where they are, as what did not fit on the page before
    still does not, so the pages are those a new layout would give."""
    delta = top.missing
    for box in moved:
        box.translate(0, delta)
    # The row group, the table and its wrapper hold the row; the boxes above them were broken
    # by the page end and already reach down to it.
    table_depth = next(i for i, box in enumerate(path) if isinstance(box, boxes.TableBox))
    for box in path[table_depth - 1 : -1]:
        box.height += delta
    top.row.height += delta
    for cell in top.row.children:
        cell.padding_bottom += delta  # top-aligned cells: the room goes under their text
    # Backgrounds are placed at the end of a page's layout; the table's are colours only.
    layout_box_backgrounds(top.page._page_box, path[table_depth], _no_images)
    # Links and named destinations (the row ids) were collected when the page was made.
    page = top.page
    page.anchors, page.links, page.bookmarks, page.forms = {}, [], [], {None: []}
    gather_anchors(page._page_box, page.anchors, page.links, page.bookmarks, page.forms)


def _no_images(**_kwargs):
    raise FetchRefused("the lampiran table has no images")


def layout_repeating(make_html):
    """Lay out `make_html(grown)`, each sasaran split by a page break printing its number and
    text again on the row that opens the next page. `grown` names the indicator rows that hold
    that text in the HTML (their row grows to fit it, and the pages after it may break
    elsewhere).

    One layout is all it takes when the text fits beside its sasaran's rows on that page, or
    when the row can grow by what is missing into the room left at the bottom of its page:
    the text is then copied from the sasaran's first row into the laid-out page
    (`_print_sasaran_over`, `_grow_in_place`). Otherwise the rows that need it are marked
    `grown` and the document is laid out again. Each pass settles at least one more page, in
    order; after MAX_REPEAT_PASSES layouts the last one is kept (and logged).
    """
    grown: frozenset[int] = frozenset()
    document = layout(make_html(grown))
    tops = list(_page_tops(document))
    growths = {top.number: _growth(top) for top in tops if top.missing > 0}
    if all(growths.values()):
        for top in tops:
            if top.number in growths:
                _grow_in_place(top, *growths[top.number])
            _print_sasaran_over(top)
            _close_bottom_border(document, top)
        return document
    for _pass in range(MAX_REPEAT_PASSES - 1):
        wanted = frozenset(top.number for top in tops if top.number in grown or top.missing > 0)
        if wanted == grown:
            break
        grown = wanted
        document = layout(make_html(grown))
        tops = list(_page_tops(document))
    for top in tops:
        if top.number in grown:
            continue
        if top.missing > 0:
            logger.warning("a repeated sasaran is taller than its rows on the next page")
        _print_sasaran_over(top)
        _close_bottom_border(document, top)
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
