"""Where a party's stamp goes: the empty box the statement page reserved for their signature.

The document templates give each box an id (`sig-pihak-pertama`, `sig-pihak-kedua`; see
templates/documents/_signatures.html). WeasyPrint writes every id as a named destination of
the PDF: the page and the top-left corner of the box in PDF points (CSS px × 0.75, y counted
from the bottom of the page). Reading them from the PDF itself, rather than laying the HTML
out again, places the stamp on exactly the file being signed, and costs no WeasyPrint time.

The destination holds no size: the box is `.sig-box` in static/documents/pk.css (55 × 24 mm);
tests/test_signing.py checks that the laid-out box still has that size.
"""

from dataclasses import dataclass
from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

MM = 72 / 25.4
SIG_BOX_WIDTH_MM = 55
SIG_BOX_HEIGHT_MM = 24

ANCHORS = {"pihak_pertama": "sig-pihak-pertama", "pihak_kedua": "sig-pihak-kedua"}
# The same boxes under the lampiran (templates/documents/_lampiran.html): they get a reference
# to the statement page's signature (service.py), not a second signature.
LAMPIRAN_ANCHORS = {
    "pihak_pertama": "sig-lampiran-pihak-pertama",
    "pihak_kedua": "sig-lampiran-pihak-kedua",
}


class BoxNotFound(LookupError):
    """The PDF has no reserved box with that id."""


@dataclass(frozen=True)
class Placement:
    page_index: int
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points, origin bottom-left


def _named_destinations(root) -> dict[str, generic.PdfObject]:
    """The document's named destinations (/Names /Dests name tree, or the old /Dests dict)."""
    found: dict[str, generic.PdfObject] = {}

    def walk(node, depth=0):
        if depth > 32:  # a malformed, cyclic tree
            return
        node = node.get_object()
        if "/Names" in node:
            names = node["/Names"]
            for i in range(0, len(names) - 1, 2):
                found.setdefault(str(names[i]), names[i + 1])
        for kid in node.get("/Kids", []):
            walk(kid, depth + 1)

    names = root.get("/Names")
    if names is not None and "/Dests" in names.get_object():
        walk(names.get_object()["/Dests"])
    if "/Dests" in root:
        for key, value in root["/Dests"].get_object().items():
            found.setdefault(str(key).lstrip("/"), value)
    return found


def _page_refs(reader: PdfFileReader) -> list[generic.Reference]:
    refs: list[generic.Reference] = []

    def walk(node_ref, depth=0):
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages" and depth < 32:
            for kid in node["/Kids"]:
                walk(kid, depth + 1)
        else:
            refs.append(node_ref.reference)

    walk(reader.root.raw_get("/Pages"))
    return refs


def find_box(pdf: bytes, anchor: str) -> Placement:
    """The page and rectangle of the reserved box `anchor`; raises BoxNotFound."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    destination = _named_destinations(reader.root).get(anchor)
    if destination is None:
        raise BoxNotFound(anchor)
    destination = destination.get_object()
    if isinstance(destination, generic.DictionaryObject):
        destination = destination["/D"]
    # [page /XYZ left top zoom]
    page_ref, kind = destination.raw_get(0), destination[1]
    if kind != "/XYZ" or not isinstance(page_ref, generic.IndirectObject):
        raise BoxNotFound(anchor)
    try:
        page_index = _page_refs(reader).index(page_ref.reference)
    except ValueError as exc:
        raise BoxNotFound(anchor) from exc
    left, top = float(destination[2]), float(destination[3])
    width, height = SIG_BOX_WIDTH_MM * MM, SIG_BOX_HEIGHT_MM * MM
    return Placement(page_index, (left, top - height, left + width, top))
