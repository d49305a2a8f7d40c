"""The lampiran cannot fail to paginate: random shapes of lampiran, laid out by WeasyPrint.

Each example is a lampiran of 1–300 indicators in sasaran of 1–60 indicators, under kegiatan
and programme headings or none, with short and long texts, with a budget or without. Only the
layout is made (`render()` gives the pages and their boxes without writing a PDF). Every
layout must succeed and paginate as the office prints: each page of the table starts with the
heading and the (1)–(4) row, no row is split across pages, a sasaran broken by a page prints
its number and text again at the top of the next page, and no page leaves room at its bottom
for what starts the next one.
"""

import os

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from weasyprint.formatting_structure import boxes

from agreements import documents
from agreements.documents import content, rendering
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow
from indicators.targets import parse_target

SHORT = "Persentase Laporan Keuangan"
LONG = (
    "Persentase KPU Kota Bontang dalam Menyampaikan Laporan Pertanggungjawaban Keuangan dan "
    "Kinerja dengan Tepat Waktu dan sesuai Ketentuan yang Berlaku dalam Periode Satu Tahun"
)
SASARAN_SHORT = "Meningkatnya Akuntabilitas"
SASARAN_LONG = (
    "Meningkatnya akuntabilitas keuangan dan kinerja KPU Kota Bontang melalui penguatan "
    "pengendalian internal, manajemen risiko dan tata kelola yang baik (good governance)"
)


def statement_context(table: list[dict], budget: list[dict]) -> dict:
    """What documents.document_context gives, for a PK with this table and budget."""
    return {
        "year": 2026,
        "title": "PERJANJIAN KINERJA",
        "paper": "A4",
        "watermark": "",
        "document_title": "Perjanjian Kinerja Tahun 2026",
        "author": "Sekretariat KPU Kota Bontang",
        "letterhead": {},
        "lampiran_subtitle": "",
        "single": False,
        "pihak_pertama": {"name": "Bambang Rahmadhany", "position": "Sekretaris", "nip": ""},
        "pihak_kedua": {"name": "Muzarroby Renfly", "position": "Ketua", "nip": ""},
        "place": "Bontang",
        "date": "15 Januari 2026",
        "unit_lines": [{"label": "Unit Organisasi", "value": "Sekretariat KPU Kota Bontang"}],
        "table": table,
        "budget": budget,
    }


def shape_rows(sasaran: list[tuple[int, bool, bool, bool, int]]) -> list[LampiranRow]:
    """Lampiran rows from (indicators, long sasaran, long indicators, new kegiatan, level)."""
    rows, kegiatan, programme = [], 0, 0
    for number, (size, long_sasaran, long_indicators, new_kegiatan, level) in enumerate(sasaran):
        kegiatan += new_kegiatan
        programme += new_kegiatan and number % 3 == 0
        for i in range(size):
            text = LONG if long_indicators and i % 2 == 0 else SHORT
            rows.append(
                LampiranRow(
                    INDIKATOR,
                    program=f"Program Dukungan Manajemen {programme}" if level >= 2 else "",
                    kegiatan=f"Pengelolaan Keuangan dan Barang Milik Negara {kegiatan}"
                    if level >= 1
                    else "",
                    sasaran=f"{SASARAN_LONG if long_sasaran else SASARAN_SHORT} {number}",
                    indikator=f"{text} {i}",
                    target=parse_target("100%"),
                )
            )
    return rows


def laid_out(rows: list[LampiranRow], budget_lines: int):
    budget = [
        LampiranRow(ANGGARAN, "076.01.WA", "Program Dukungan Manajemen", anggaran=4_105_373_000)
    ] * budget_lines
    context = statement_context(content.lampiran_table(rows), content.budget_lines(budget))
    return documents.layout_part(context, documents.LAMPIRAN)


def thead_rows(page) -> list:
    return [
        row
        for box in rendering.walk(page._page_box)
        if isinstance(box, boxes.TableRowGroupBox) and box.element_tag == "thead"
        for row in box.children
    ]


def classes(row) -> list[str]:
    return row.element.get("class", "").split()


def printed_text(row, class_name: str) -> str:
    """The text drawn in the cell of `row` with that class (the sasaran of a row opening a
    page may be put there after the layout: the element's own text does not tell)."""
    cell = next(c for c in row.children if class_name in c.element.get("class", "").split())
    return "".join(box.text for box in rendering.walk(cell) if isinstance(box, boxes.TextBox))


def content_bottom(page) -> float:
    page_box = page._page_box
    return page_box.content_box_y() + page_box.height


def assert_filled(page, last_row, following: list) -> None:
    """No room left at the bottom of `page` for what opens the next page: its headings (kept
    with the row after them) and its first indicator row."""
    indicator_rows = [i for i, row in enumerate(following) if "indicator" in classes(row)]
    moved = following[: indicator_rows[0] + 1] if indicator_rows else following[:1]
    needed = sum(row.margin_height() for row in moved)
    blank = content_bottom(page) - (last_row.position_y + last_row.margin_height())
    assert blank < needed + 1, f"{blank:.0f}px left blank for {needed:.0f}px of rows"


def assert_paginated_as_printed(document, indicator_count: int) -> None:
    pages_of_row: dict[int, set[int]] = {}
    indicators = set()
    for number, page in enumerate(document.pages):
        rows = list(rendering.body_rows(page))
        for row in rows:
            pages_of_row.setdefault(id(row.element), set()).add(number)
            if "indicator" in classes(row):
                indicators.add(id(row.element))
        if not rows:
            continue
        heading = [classes(row) for row in thead_rows(page)]
        assert heading == [["heading"], ["numbering"]], f"page {number + 1} has no table heading"
        first = rows[0]
        if "indicator" in classes(first):
            for cell in ("no", "sasaran"):
                assert printed_text(first, cell), f"page {number + 1} opens on an empty {cell}"
        # The page before the last gives rows to the budget and signatures (a signature page
        # never stands alone); every other page is filled up to its next row.
        if number + 2 < len(document.pages):
            assert_filled(page, rows[-1], list(rendering.body_rows(document.pages[number + 1])))
    assert len(indicators) == indicator_count
    split = [pages for pages in pages_of_row.values() if len(pages) > 1]
    assert not split, f"{len(split)} rows lie on more than one page"


def at_most_300_indicators(shape: list[tuple]) -> list[tuple]:
    """The shape's sasaran up to the 300th indicator (a PK holds at most 300)."""
    kept, total = [], 0
    for size, *rest in shape:
        size = min(size, 300 - total)
        if size:
            kept.append((size, *rest))
        total += size
    return kept


# Sasaran of 1–60 indicators, small ones as often as large ones, so that the examples cover
# both the many short sasaran of an office's PK and the long ones that overrun a page, and
# the layouts stay quick enough for 200 examples (about a second each on a quiet machine).
sasaran_shapes = st.lists(
    st.tuples(
        st.one_of(st.integers(1, 6), st.integers(7, 60)),  # indicators in the sasaran
        st.booleans(),  # long sasaran text
        st.booleans(),  # long indicator texts
        st.booleans(),  # starts a new kegiatan
        st.integers(0, 2),  # 0: no programme nor kegiatan, 1: kegiatan, 2: both
    ),
    min_size=1,
    max_size=40,
).map(at_most_300_indicators)


# 200 random shapes in two tests of 100 (without, and with 2–3 budget lines): the same inputs,
# but two tests that parallel workers can share. Two functions, not a parametrize: derandomized
# Hypothesis would give parametrized copies the same examples.
EXAMPLES_EACH = int(os.environ.get("HX", "200")) // 2


@hypothesis_settings(max_examples=EXAMPLES_EACH)
@given(shape=sasaran_shapes, budget_lines=st.integers(0, 1))
def test_every_random_lampiran_is_laid_out_as_the_office_prints_it(shape, budget_lines):
    rows = shape_rows(shape)
    assert_paginated_as_printed(laid_out(rows, budget_lines), len(rows))


@hypothesis_settings(max_examples=EXAMPLES_EACH)
@given(shape=sasaran_shapes, budget_lines=st.integers(2, 3))
def test_every_random_lampiran_with_budget_lines_is_laid_out_as_printed(shape, budget_lines):
    rows = shape_rows(shape)
    assert_paginated_as_printed(laid_out(rows, budget_lines), len(rows))


def crashing_shape() -> list[LampiranRow]:
    """The shape that made WeasyPrint fail on main (assert not page_is_empty): a 250-indicator
    PK, sasaran of 3 indicators in kegiatan of 4 sasaran, and as the 21st sasaran a new
    kegiatan opening on a 21-indicator sasaran of long texts, taller than what is left of
    its page."""
    shape = [(3, False, i % 4 == 0) for i in range(76)] + [(1, False, False)]
    shape.insert(20, (21, True, True))
    rows, kegiatan = [], 0
    for number, (size, long_texts, new_kegiatan) in enumerate(shape):
        kegiatan += new_kegiatan
        sasaran = (
            "Meningkatnya akuntabilitas keuangan dan kinerja KPU Kota Bontang melalui penguatan "
            "pengendalian internal"
            if long_texts
            else "Meningkatnya Akuntabilitas"
        )
        rows += [
            LampiranRow(
                INDIKATOR,
                program="Program Dukungan Manajemen",
                kegiatan=f"Pengelolaan Keuangan dan Barang Milik Negara {kegiatan}",
                sasaran=f"{sasaran} {number}",
                indikator=f"{LONG if long_texts and i % 2 == 0 else SHORT} {i}",
                target=parse_target("100%"),
            )
            for i in range(size)
        ]
    return rows


def test_the_shape_that_crashed_weasyprint_is_laid_out():
    rows = crashing_shape()
    assert sum(row.jenis == INDIKATOR for row in rows) == 250
    assert_paginated_as_printed(laid_out(rows, 2), 250)


@pytest.mark.parametrize("indicators", [45, 60])
def test_a_sasaran_taller_than_a_page_right_under_its_kegiatan_is_laid_out(indicators):
    rows = shape_rows([(indicators, True, True, True, 2), (2, False, False, False, 2)])
    assert_paginated_as_printed(laid_out(rows, 1), indicators + 2)


def test_a_layout_weasyprint_still_fails_is_made_again_without_break_rules(monkeypatch, caplog):
    real, calls = rendering._weasy_render, []

    def failing_once(html, stylesheets=()):
        calls.append(list(stylesheets))
        if len(calls) == 1:
            raise AssertionError  # what WeasyPrint raises: assert not page_is_empty
        return real(html, stylesheets)

    monkeypatch.setattr(rendering, "_weasy_render", failing_once)
    document = laid_out(shape_rows([(5, False, False, True, 2)]), 1)
    assert len(document.pages) == 1
    assert len(calls) == 2 and calls[1], "laid out again with the fallback stylesheet"
    assert "laid out without break rules" in caplog.text


def test_a_repeated_sasaran_taller_than_its_rows_grows_its_row_in_place(monkeypatch):
    """A sasaran text taller than the rows left of its sasaran on the next page: the row opening
    that page grows into the room at the page bottom, in the one layout made, and the text
    ends within its sasaran's rows on that page (it never runs over the next sasaran)."""
    rows = shape_rows([(5, True, False, i % 4 == 0, 1) for i in range(11)])
    context = statement_context(content.lampiran_table(rows), [])
    first = rendering.layout(documents._render(context, documents.LAMPIRAN))
    assert any(top.missing > 0 for top in rendering._page_tops(first))
    layouts = []
    real = rendering._weasy_render
    monkeypatch.setattr(rendering, "_weasy_render", lambda *a: layouts.append(1) or real(*a))

    document = documents.layout_part(context, documents.LAMPIRAN)
    assert len(layouts) == 1
    assert_paginated_as_printed(document, len(rows))
    for page in document.pages[1:]:
        body = list(rendering.body_rows(page, with_group=True))
        group, top = body[0]
        if "indicator" not in classes_of(top):
            continue
        cell = next(c for c in top.children if "sasaran" in classes_of(c))
        text_bottom = max(line.position_y + line.margin_height() for line in cell.children)
        group_bottom = max(row.position_y + row.height for g, row in body if g is group)
        assert printed_text(top, "sasaran") and text_bottom <= group_bottom + 1


def classes_of(box) -> list[str]:
    return box.element.get("class", "").split()
