"""The printed PK: statement, lampiran and the whole PK as PDF; the stored renders; the pages.

PDF text is read back with pypdf and compared with all whitespace removed, so that words
wrapped across lines (or long words broken inside a cell) still match.
"""

import datetime
import io
import re
import subprocess

import pikepdf
import pypdf
import pytest
import weasyprint
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from PIL import Image
from weasyprint.formatting_structure import boxes
from weasyprint.urls import FatalURLFetchingError

from agreements import documents
from agreements.checks import run_checks
from agreements.documents import content, rendering
from agreements.documents.watermark import watermark_data_uri
from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, flatten, replace_lampiran
from agreements.models import Agreement, IndicatorRow
from agreements.seeds import SEED_DIR, load_all_seeds
from agreements.urls import document_patterns
from indicators.targets import parse_target
from organisations.demo import LETTERHEADS, load_organisation_demo
from organisations.formatting import format_rupiah
from organisations.models import Role, Unit
from tests.factories import appoint, load_units, make_official, make_user, unit
from tests.test_document_layout import crashing_shape

# The views are tested under this module's own URLconf (the document URLs under the
# "agreements" namespace, and the login page), whatever agreements/urls.py includes today.
urlpatterns = [
    path("pk/", include((document_patterns, "agreements"))),
    path("akun/", include("django.contrib.auth.urls")),
]

SIGN_DATE = datetime.date(2026, 1, 15)
OPENING = (
    "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel "
    "serta berorientasi pada hasil, kami yang bertanda tangan dibawah ini:"
)
PAIR_PROMISE = (
    "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran "
    "perjanjian ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah "
    "ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja "
    "tersebut menjadi tanggung jawab kami."
)
SUPERVISION = (
    "Pihak kedua akan memberikan supervisi yang diperlukan serta akan melakukan evaluasi "
    "akuntabilitas kinerja terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan "
    "yang diperlukan dalam rangka pemberian penghargaan dan sanksi."
)
SINGLE_PROMISE = (
    "Berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, "
    "dalam rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam "
    "dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi "
    "tanggung jawab kami."
)
# The 2024 wording, as the Sorong documents print it (two paragraphs for a single signatory).
OPENING_2024 = (
    "Dalam rangka mewujudkan manajemen pemerintah yang efektif, transparan dan akuntabel serta "
    "berorientasi pada hasil, kami yang bertanda tangan di bawah ini :"
)
SINGLE_PROMISE_2024 = SINGLE_PROMISE.removesuffix(
    " Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab kami."
)
SINGLE_RESPONSIBILITY = (
    "Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab kami."
)
HEADING = "NO SASARAN STRATEGIS INDIKATOR KINERJA TARGET (1) (2) (3) (4)"
TARGETS = ["100%", "1 Lembaga", "85", "WTP", "10 Lembaga/Instansi", "2 laporan", "300 orang"]
MM = 72 / 25.4  # PDF points per millimetre

_module_cache: dict = {}


# --- helpers -----------------------------------------------------------------------------------
def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def pdftotext(pdf: bytes, *args: str) -> str:
    """The PDF's text layer as poppler's pdftotext reads it (what a reader copies)."""
    result = subprocess.run(
        ["/usr/bin/pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def watermarked_pages(pdf: bytes) -> list[bool]:
    """Per page: does it draw the watermark (an SVG image of outlines, a form XObject whose
    content fills paths with the watermark's colour)?"""
    marks = []
    for page in pikepdf.open(io.BytesIO(pdf)).pages:
        forms = []
        for xobject in (page.Resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form":
                forms.append(xobject.read_bytes())
        marks.append(any(b"0.745098 0 0 rg" in form for form in forms))
    return marks


def assert_in_order(text: str, needles: list[str]) -> None:
    """Every needle appears in `text`, each after the previous one (whitespace ignored)."""
    haystack, position = squash(text), 0
    for needle in needles:
        wanted = squash(needle)
        found = haystack.find(wanted, position)
        assert found >= 0, (
            f"{needle!r} not found after …{haystack[max(0, position - 80) : position]}"
        )
        position = found + len(wanted)


def synthetic_rows(count: int, *, budget=True, long_text=False) -> list[LampiranRow]:
    """`count` indicators under 2 programmes, kegiatan of ~12 and sasaran of 1–4 indicators."""
    rows, sasaran, size = [], 0, 0
    for i in range(count):
        if size == 0:
            sasaran += 1
            size = 1 + sasaran % 4
        size -= 1
        programme = "CQ" if i < count // 3 else "WA"
        extra = (
            " dengan Tepat Waktu dan sesuai Ketentuan yang Berlaku" * (i % 3) if long_text else ""
        )
        rows.append(
            LampiranRow(
                INDIKATOR,
                program_kode=f"076.01.{programme}",
                program="Program Penyelenggaraan Pemilihan Umum"
                if programme == "CQ"
                else "Program Dukungan Manajemen",
                kegiatan=f"Kegiatan Pengelolaan Nomor {i // 12 + 1}",
                sasaran=f"Meningkatnya akuntabilitas keuangan dan kinerja KPU Kota Bontang {sasaran}",
                indikator=f"Persentase KPU Kota Bontang dalam Menyampaikan Laporan {i + 1}{extra}",
                target=parse_target(TARGETS[i % len(TARGETS)]),
            )
        )
    if budget:
        rows += [
            LampiranRow(
                ANGGARAN, "076.01.CQ", "Program Penyelenggaraan Pemilihan Umum", anggaran=21_057_000
            ),
            LampiranRow(
                ANGGARAN, "076.01.WA", "Program Dukungan Manajemen", anggaran=4_105_373_000
            ),
        ]
    return rows


def walk(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from walk(child)


def body_rows(page):
    """The <tr> boxes of the table bodies laid out on `page` (not the repeated heading)."""

    for box in walk(page._page_box):
        if isinstance(box, boxes.TableRowGroupBox) and box.element_tag == "tbody":
            yield from (row for row in box.children if isinstance(row, boxes.TableRowBox))


def is_indicator_row(row) -> bool:
    return "indicator" in row.element.get("class", "").split()


# --- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _own_storage(settings, tmp_path):
    """Rendered PDFs go to this test's own folder, never to var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def _load_bontang():
    load_units("64.74", "96.71")
    appoint("64.74", make_official("Muzarroby Renfly"))
    appoint("64.74.sekretariat", make_official("Bambang Rahmadhany", nip="197802282009021004"))
    appoint("64.74.sekretariat.keuangan", make_official("Indra Lesmana", nip="198501012010121001"))

    Unit.objects.filter(satker__code="64.74").update(**LETTERHEADS["64.74"])


@pytest.fixture
def bontang(db):
    _load_bontang()


def make_pk(unit_code="64.74.sekretariat", rows=None, year=2026) -> Agreement:
    agreement = start_agreement(unit(unit_code), year, sign_date=SIGN_DATE)
    replace_lampiran(agreement, synthetic_rows(6) if rows is None else rows)
    return Agreement.objects.select_related("unit__parent", "unit__satker").get(pk=agreement.pk)


@pytest.fixture
def long_lampiran(db):
    """The lampiran of a 250-indicator PK, laid out once per module: (html, layout, pdf)."""
    if "long" not in _module_cache:
        _load_bontang()
        agreement = make_pk(rows=synthetic_rows(250, long_text=True))
        html = documents.render_html(agreement, "lampiran")
        layout = rendering.layout(html)
        _module_cache["long"] = (html, layout, layout.write_pdf())
    return _module_cache["long"]


# --- the statement -----------------------------------------------------------------------------
def test_a_pair_statement_names_both_parties_and_the_supervision(bontang):
    agreement = make_pk()
    html = documents.render_html(agreement, "pernyataan")
    for phrase in [OPENING, PAIR_PROMISE, SUPERVISION]:
        assert phrase in html
    assert "selanjutnya disebut Pihak Pertama." in html
    assert "selaku atasan pihak pertama, selanjutnya disebut Pihak Kedua." in html
    assert "manajeman" not in html and "trasnparan" not in html  # OCR damage of the seeds
    assert 'id="sig-pihak-pertama"' in html and 'id="sig-pihak-kedua"' in html

    text = pdf_pages(documents.render_pdf(agreement, "pernyataan"))
    assert len(text) == 1
    assert_in_order(
        text[0],
        [
            "KOMISI PEMILIHAN UMUM",
            "KOTA BONTANG",
            "Jl. Awang Long No. 68",
            "kotabontang@kpu.go.id",
            "PERJANJIAN KINERJA TAHUN 2026",
            OPENING,
            "Nama : Bambang Rahmadhany",
            "Jabatan : SEKRETARIS KPU KOTA BONTANG",
            "selanjutnya disebut Pihak Pertama.",
            "Nama : Muzarroby Renfly",
            "selaku atasan pihak pertama, selanjutnya disebut Pihak Kedua.",
            PAIR_PROMISE,
            SUPERVISION,
            "Bontang, 15 Januari 2026",
            # Pihak Kedua signs on the left, Pihak Pertama on the right.
            "Pihak Kedua, Pihak Pertama,",
            "(Muzarroby Renfly) (Bambang Rahmadhany)",
            "NIP. 197802282009021004",
        ],
    )


def test_a_single_signatory_promises_alone_and_signs_on_the_right(bontang):
    appoint("96.71", make_official("BALTHASAR BERTH KAMBUAYA"))
    agreement = make_pk("96.71", year=2024)
    assert agreement.is_single_signatory
    html = documents.render_html(agreement, "pernyataan")
    assert SINGLE_PROMISE_2024 in html and SINGLE_RESPONSIBILITY in html
    assert "Pihak Kedua" not in html and "Pihak pertama" not in html
    assert 'id="sig-pihak-pertama"' in html and "sig-pihak-kedua" not in html
    text = pdf_pages(documents.render_pdf(agreement, "pernyataan"))[0]
    assert_in_order(
        text,
        [
            "KOTA SORONG",
            OPENING_2024,
            "BALTHASAR BERTH KAMBUAYA",
            SINGLE_PROMISE_2024,
            SINGLE_RESPONSIBILITY,
            "KETUA KPU KOTA SORONG,",
        ],
    )


def test_nip_is_printed_only_where_the_official_has_one(bontang):
    agreement = make_pk()
    html = documents.render_html(agreement, "lengkap")
    # Bambang (Pihak Pertama) has a NIP, the Ketua has none: once per signature block.
    assert html.count("NIP. 197802282009021004") == 2
    assert html.count("NIP.") == 2
    agreement.pihak_pertama_nip = ""
    assert "NIP." not in documents.render_html(agreement, "lengkap")


def test_an_undated_draft_leaves_the_date_to_be_written(bontang):
    agreement = make_pk()
    agreement.sign_date = None
    text = pdf_pages(documents.render_pdf(agreement, "pernyataan"))[0]
    assert "Bontang, …" in text and "2026" in text


def test_a_new_draft_without_rows_or_signatories_still_prints(db):
    load_units("64.74")  # nobody appointed: the signatory posts are vacant
    agreement = make_pk(rows=[])
    assert agreement.pihak_pertama_name == ""
    pages = pdf_pages(documents.render_pdf(agreement, "lengkap"))
    assert len(pages) == 2
    assert "Belum ada indikator kinerja." in pages[1]
    assert "Kegiatan Anggaran" not in pages[1]
    assert watermarked_pages(documents.render_pdf(agreement, "lengkap")) == [True, True]


# --- the lampiran ------------------------------------------------------------------------------
def test_the_lampiran_groups_programmes_kegiatan_and_sasaran():
    rows = [
        LampiranRow(INDIKATOR, "076.01.CQ", "Program A", "", "Kegiatan 1", "Sasaran x", "I1"),
        LampiranRow(INDIKATOR, "076.01.CQ", "Program A", "", "Kegiatan 1", "Sasaran x", "I2"),
        LampiranRow(INDIKATOR, "076.01.CQ", "Program A", "", "Kegiatan 1", "Sasaran y", "I3"),
        LampiranRow(INDIKATOR, "076.01.CQ", "Program A", "3355", "Kegiatan 2", "Sasaran z", "I4"),
        LampiranRow(INDIKATOR, "076.01.WA", "Program B", "", "Kegiatan 1", "Sasaran x", "I5"),
    ]
    table = content.lampiran_table(rows)
    assert [(b["kind"], b["number"]) for b in table] == [
        ("programme", "A."),
        ("kegiatan", "1."),
        ("sasaran", "a."),
        ("sasaran", "b."),
        ("kegiatan", "2."),
        ("sasaran", "a."),
        ("programme", "B."),
        ("kegiatan", "1."),
        ("sasaran", "a."),
    ]
    assert [r["indikator"] for r in table[2]["rows"]] == ["I1", "I2"]
    assert table[4]["code"] == "3355"


def test_without_programme_and_kegiatan_the_sasaran_are_numbered():
    rows = [LampiranRow(INDIKATOR, sasaran=f"S{i // 2}", indikator=f"I{i}") for i in range(5)]
    table = content.lampiran_table(rows)
    assert [(b["kind"], b["number"], len(b["rows"])) for b in table] == [
        ("sasaran", "1.", 2),
        ("sasaran", "2.", 2),
        ("sasaran", "3.", 1),
    ]


def test_a_subbagian_lampiran_names_its_sekretariat_and_subbagian(bontang):
    agreement = make_pk("64.74.sekretariat.keuangan")
    text = pdf_pages(documents.render_pdf(agreement, "lampiran"))[0]
    assert_in_order(
        text,
        [
            "PERJANJIAN KINERJA TAHUN 2026",
            "Unit Organisasi : Sekretariat KPU Kota Bontang",
            "Subbagian : Keuangan, Umum dan Logistik",
            "Tahun Anggaran : 2026",
            HEADING,
        ],
    )
    sekretariat = documents.render_html(make_pk(year=2027), "lampiran")
    assert "Sekretariat Komisi Pemilihan Umum Kota Bontang" in sekretariat
    assert "Subbagian" not in sekretariat


def test_every_lampiran_page_of_a_long_pk_starts_with_the_table_heading(long_lampiran):
    _html, layout, pdf = long_lampiran
    pages = pdf_pages(pdf)
    assert len(pages) >= 8
    rows_on_page = [sum(map(is_indicator_row, body_rows(page))) for page in layout.pages]
    assert sum(rows_on_page) == 250  # each indicator row once: none is split
    first = squash(pages[0])
    assert first.startswith(squash("PERJANJIAN KINERJA TAHUN 2026 Unit Organisasi"))
    assert squash(f"Tahun Anggaran : 2026 {HEADING}") in first
    for number, (text, rows) in enumerate(zip(pages, rows_on_page, strict=True)):
        if number and rows:
            assert squash(text).startswith(squash(HEADING)), f"page {number + 1}: {text[:80]!r}"
    assert_in_order("".join(pages[-2:]), ["Rp 4.105.373.000,-", "Bontang, 15 Januari 2026"])
    assert squash(pages[0]).endswith(squash(f"Halaman 1 dari {len(pages)}"))


def test_no_indicator_row_is_split_across_pages(long_lampiran):
    _html, layout, _pdf = long_lampiran
    pages_of_row: dict[int, set[int]] = {}
    indicators = set()
    for number, page in enumerate(layout.pages):
        for row in body_rows(page):
            pages_of_row.setdefault(id(row.element), set()).add(number)
            if is_indicator_row(row):
                indicators.add(id(row.element))
    assert len(indicators) == 250
    split = {key: pages for key, pages in pages_of_row.items() if len(pages) > 1}
    assert not split, f"{len(split)} rows lie on more than one page"


def test_the_budget_lines_print_code_name_and_rupiah(bontang):
    rows = synthetic_rows(2, budget=False) + [
        LampiranRow(ANGGARAN, "076.01.CQ", "Program A", "6709", "Perencanaan", anggaran=1_893_000),
        LampiranRow(ANGGARAN, "076.01.WA", "Program Dukungan Manajemen", anggaran=21_057_000),
    ]
    text = pdf_pages(documents.render_pdf(make_pk(rows=rows), "lampiran"))[-1]
    assert_in_order(
        text,
        [
            "Kegiatan Anggaran",
            "1. 6709 Perencanaan Rp 1.893.000,-",
            "2. 076.01.WA Program Dukungan Manajemen Rp 21.057.000,-",
            "Bontang, 15 Januari 2026",
        ],
    )


# --- paper, watermark, letterhead --------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "word"),
    [("draf", "DRAF"), ("diajukan", "DIAJUKAN"), ("dikembalikan", "DIKEMBALIKAN")],
)
def test_every_state_before_signing_prints_its_watermark_outside_the_text(bontang, status, word):
    agreement = make_pk(rows=synthetic_rows(40))
    agreement.status = status
    html = documents.render_html(agreement, "lengkap")
    assert watermark_data_uri(word) in html
    pdf = documents.render_pdf(agreement, "lengkap")
    assert len(pdf_pages(pdf)) >= 3
    assert all(watermarked_pages(pdf))
    # Drawn as outlines in the page background: no letter of it in the text layer.
    text = pdftotext(pdf)
    assert "PERJANJIAN KINERJA TAHUN 2026" in text
    for letters in ("DRAF", "DIAJUKAN", "DIKEMBALIKAN"):
        assert letters not in squash(text)


def test_an_approved_pk_prints_clean_for_signing(bontang):
    agreement = make_pk(rows=synthetic_rows(40))
    draft = documents.render_pdf(agreement, "lengkap")
    agreement.status = "disetujui"
    final = documents.render_pdf(agreement, "lengkap")
    assert len(pdf_pages(final)) == len(pdf_pages(draft))
    assert not any(watermarked_pages(final))
    assert "data:image/svg+xml" not in documents.render_html(agreement, "lengkap")


@pytest.mark.parametrize("paper", ["A4", "F4"])
def test_weasyprint_reads_every_rule_of_our_stylesheets(bontang, caplog, paper):
    """A rule WeasyPrint cannot read is dropped with a warning: the PDF would silently lose it
    (and every render filled the workers' logs)."""
    agreement = make_pk(rows=synthetic_rows(3))
    agreement.unit.paper_size = paper
    with caplog.at_level("WARNING", logger="weasyprint"):
        documents.render_pdf(agreement, "lengkap")
    assert [
        record.getMessage() for record in caplog.records if record.name.startswith("weasy")
    ] == []


def test_the_preview_alone_carries_the_screen_rules(client, bontang):
    agreement = make_pk()
    client.force_login(make_user(unit_code="64.74.sekretariat", role=Role.OPERATOR))
    preview = client.get(reverse("agreements:document_preview", args=[agreement.pk, "lengkap"]))
    assert "documents/preview.css" in preview.content.decode()
    assert "documents/preview.css" not in documents.render_html(agreement, "lengkap")


def test_paper_is_a4_by_default_and_f4_when_the_unit_asks(bontang):
    agreement = make_pk()
    a4 = pypdf.PdfReader(io.BytesIO(documents.render_pdf(agreement, "pernyataan"))).pages[0]
    assert (float(a4.mediabox.width), float(a4.mediabox.height)) == pytest.approx(
        (210 * MM, 297 * MM), abs=0.1
    )
    agreement.unit.paper_size = "F4"
    f4 = pypdf.PdfReader(io.BytesIO(documents.render_pdf(agreement, "lengkap")))
    for page in f4.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (609.4, 935.4), abs=0.1
        )


def test_the_letterhead_embeds_the_logo_from_storage(bontang):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (139, 0, 0)).save(buffer, "PNG")
    satker = unit("64.74")
    satker.logo.save("bontang.png", ContentFile(buffer.getvalue()))
    agreement = make_pk()
    html = documents.render_html(agreement, "pernyataan")
    assert 'src="data:image/png;base64,' in html
    assert satker.logo.name not in html and str(default_storage.location) not in html
    documents.render_pdf(agreement, "pernyataan")  # embeds it without fetching anything


def test_kip_bodies_of_aceh_have_their_own_letterhead(db):
    load_units("11.01")
    letterhead = content.letterhead(unit("11.01.sekretariat"))
    assert letterhead["body"] == "KOMISI INDEPENDEN PEMILIHAN"
    assert letterhead["office"] == "KABUPATEN ACEH SELATAN"


# --- untrusted text ----------------------------------------------------------------------------
def test_hostile_text_is_escaped_and_stays_within_the_page(bontang):
    long_word = "Pertanggungjawaban" * 16 + "X" * 12  # 300 characters, no space
    assert len(long_word) == 300
    long_cell = ("Penyelenggaraan pemilu yang jujur & adil " * 50)[:2000]
    rows = [
        LampiranRow(
            INDIKATOR,
            program="Program <b>tebal</b>",
            kegiatan="Kegiatan & Anggaran",
            sasaran="<script>alert(1)</script>",
            indikator=long_word,
            target=parse_target("100%"),
        ),
        LampiranRow(INDIKATOR, program="Program <b>tebal</b>", kegiatan="Kegiatan & Anggaran",
                    sasaran=long_cell, indikator=long_cell, target=parse_target("1 Lembaga")),
    ]  # fmt: skip
    agreement = make_pk(rows=rows)
    agreement.pihak_pertama_name = "<script>alert(1)</script>"
    agreement.pihak_pertama_position = long_word[:255]
    agreement.place = "Bontang & <i>Sekitarnya</i>"
    html = documents.render_html(agreement, "lengkap")
    assert "<script>alert(1)</script>" not in html and "<b>tebal" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Kegiatan &amp; Anggaran" in html and "Bontang &amp; &lt;i&gt;" in html

    for part in ("pernyataan", "lampiran"):
        part_html = documents.render_html(agreement, part)
        layout = rendering.layout(part_html)
        for page in layout.pages:
            root = page._page_box.children[0]  # the <html> box; margin boxes come after it
            right = root.content_box_x() + root.width
            for box in walk(root):
                if box.width:
                    overflow = box.border_box_x() + box.border_width() - right
                    assert overflow <= 0.5, f"{part}: a {box.element_tag} runs {overflow:.1f}px out"
    text = squash("".join(pdf_pages(documents.render_pdf(agreement, "lengkap"))))
    assert squash("<script>alert(1)</script>") in text
    assert long_word in text
    assert squash(long_cell) in text


def test_the_fetcher_refuses_everything_but_data_uris_and_our_static_files():

    fetcher = rendering.url_fetcher()
    for url in [
        "http://example.com/logo.png",
        "https://example.com/pk.css",
        "file:///etc/passwd",
        "ftp://example.com/x",
        f"{rendering.static_prefix()}../../pk_portal/settings.py",
        f"{rendering.static_prefix()}%2e%2e/%2e%2e/pk_portal/settings.py",
    ]:
        with pytest.raises(rendering.FetchRefused):
            fetcher.fetch(url)
    css = fetcher.fetch(f"{rendering.static_prefix()}documents/pk.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    data = fetcher.fetch("data:text/plain;base64,UEs=")
    assert data.read() == b"PK"

    with pytest.raises(FatalURLFetchingError):
        rendering.layout('<img src="http://example.com/tracker.png">')
    with pytest.raises(FatalURLFetchingError):
        rendering.layout('<link rel="stylesheet" href="file:///etc/passwd">')


# --- stored renders ----------------------------------------------------------------------------
@pytest.fixture
def weasyprint_calls(monkeypatch):

    calls = []
    real = weasyprint.HTML

    class CountingHTML(real):
        def __init__(self, *args, **kwargs):
            calls.append(kwargs.get("base_url"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", CountingHTML)
    return calls


def test_a_pdf_is_rendered_once_per_content(bontang, weasyprint_calls):
    agreement = make_pk()
    first = documents.render_pdf(agreement, "lengkap")
    assert len(weasyprint_calls) == 2  # the statement and the lampiran
    name = documents.stored_pdf_name(agreement, "lengkap")
    assert default_storage.exists(name)
    assert re.search(r"/lengkap-[0-9a-f]{64}\.pdf$", name)

    again = documents.render_pdf(Agreement.objects.get(pk=agreement.pk), "lengkap")
    assert again == first
    assert len(weasyprint_calls) == 2  # read from storage, not rendered

    indicator = IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement=agreement)[0]
    indicator.set_target(parse_target("97%"))
    indicator.save()
    changed_name = documents.stored_pdf_name(agreement, "lengkap")
    assert changed_name != name
    changed = documents.render_pdf(agreement, "lengkap")
    assert len(weasyprint_calls) == 4
    assert "97%" in "".join(pdf_pages(changed))
    assert default_storage.exists(changed_name)
    assert not default_storage.exists(name)  # the stale render is gone


@pytest.mark.parametrize(
    "change",
    [
        lambda a: setattr(a, "status", "disetujui"),
        lambda a: setattr(a.unit, "paper_size", "F4"),
        lambda a: setattr(a, "pihak_pertama_name", "Nama Lain"),
        lambda a: setattr(a, "pihak_kedua_nip", "198001012005011001"),
        lambda a: setattr(a, "place", "Samarinda"),
        lambda a: setattr(a, "sign_date", datetime.date(2026, 1, 16)),
        lambda a: setattr(a.unit, "telephone", "(0548) 1"),
        lambda a: setattr(a.unit.satker, "short_name", "KPU Kota Lain"),
        lambda a: a.budget_lines.update(amount=1),
        lambda a: IndicatorRow.objects.filter(
            sasaran__kegiatan__programme__agreement=a
        ).update(text="Indikator lain"),
    ],
    ids=["status", "paper", "name", "nip", "place", "date", "letterhead", "office", "budget",
         "indicator"],
)  # fmt: skip
def test_any_printed_change_gives_a_new_key(bontang, change):
    agreement = make_pk()
    before = documents.stored_pdf_name(agreement, "lampiran")
    assert documents.stored_pdf_name(agreement, "lampiran") == before
    change(agreement)
    assert documents.stored_pdf_name(agreement, "lampiran") != before


def test_the_parts_have_their_own_keys_and_filenames(bontang):
    agreement = make_pk()
    names = {documents.stored_pdf_name(agreement, part) for part in documents.PARTS}
    assert len(names) == 3
    assert (
        documents.document_filename(agreement, "lengkap")
        == "PK-2026-Sekretariat-KPU-Kota-Bontang-lengkap.pdf"
    )
    with pytest.raises(documents.UnknownPart):
        documents.render_pdf(agreement, "semua")


def test_a_lampiran_edit_leaves_the_statement_and_its_stored_pdf_alone(bontang):
    agreement = make_pk(rows=synthetic_rows(6))
    before = {part: documents.stored_pdf_name(agreement, part) for part in documents.PARTS}
    replace_lampiran(agreement, synthetic_rows(40))
    agreement = Agreement.objects.select_related("unit__parent", "unit__satker").get(
        pk=agreement.pk
    )
    after = {part: documents.stored_pdf_name(agreement, part) for part in documents.PARTS}
    assert after["pernyataan"] == before["pernyataan"]
    assert after["lampiran"] != before["lampiran"] and after["lengkap"] != before["lengkap"]
    # The statement reads no lampiran row: as few queries for 40 indicators as for none.
    with CaptureQueriesContext(connection) as statement:
        documents.render_html(agreement, "pernyataan")
    with CaptureQueriesContext(connection) as lampiran:
        documents.render_html(agreement, "lampiran")
    assert not any("indicatorrow" in q["sql"] for q in statement.captured_queries)
    assert any("indicatorrow" in q["sql"] for q in lampiran.captured_queries)


# --- the pages ---------------------------------------------------------------------------------
@pytest.mark.urls(__name__)
def test_the_owner_previews_and_downloads_each_part(client, bontang):
    agreement = make_pk()
    client.force_login(make_user(unit_code="64.74.sekretariat", role=Role.OPERATOR))
    preview = client.get(reverse("agreements:document_preview", args=[agreement.pk, "lengkap"]))
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "PERJANJIAN KINERJA TAHUN 2026" in body and 'id="sig-pihak-pertama"' in body
    assert reverse("agreements:document_pdf", args=[agreement.pk, "lengkap"]) in body

    for part in documents.PARTS:
        response = client.get(reverse("agreements:document_pdf", args=[agreement.pk, part]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="PK-2026-Sekretariat-KPU-Kota-Bontang-{part}.pdf"'
        )
        assert response.content.startswith(b"%PDF-")


@pytest.mark.urls(__name__)
def test_the_lampiran_that_crashed_weasyprint_downloads(client, bontang):
    """250 indicators, a 21-indicator sasaran of long texts opening a kegiatan: WeasyPrint
    failed on it (assert not page_is_empty) and lampiran.pdf answered 500."""
    agreement = make_pk(rows=crashing_shape() + synthetic_rows(0))
    client.force_login(make_user(unit_code="64.74.sekretariat", role=Role.OPERATOR))
    response = client.get(reverse("agreements:document_pdf", args=[agreement.pk, "lampiran"]))
    assert response.status_code == 200
    pages = pdf_pages(response.content)
    assert len(pages) >= 10
    assert all(squash(HEADING) in squash(page) for page in pages[1:-1])


@pytest.mark.urls(__name__)
def test_another_office_gets_404_and_anonymous_users_the_login_page(client, bontang):
    agreement = make_pk()
    urls = [
        reverse("agreements:document_preview", args=[agreement.pk, "pernyataan"]),
        reverse("agreements:document_pdf", args=[agreement.pk, "lampiran"]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    client.force_login(make_user(unit_code="96.71.sekretariat", role=Role.OPERATOR))
    for url in urls:
        assert client.get(url).status_code == 404
    client.force_login(make_user(unit_code="64.74", role=Role.SIGNATORY, official=make_official()))
    for url in urls:
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 405


@pytest.mark.urls(__name__)
def test_an_unknown_part_or_pk_is_404(client, bontang):
    agreement = make_pk()
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    assert client.get(f"/pk/{agreement.pk}/dokumen/semua.pdf").status_code == 404
    assert client.get(f"/pk/{agreement.pk + 99}/dokumen/lengkap.pdf").status_code == 404


# --- the seven seed PKs ------------------------------------------------------------------------
def _seed_files_exist() -> bool:

    return (SEED_DIR / "manifest.yaml").exists()


@pytest.mark.skipif(not _seed_files_exist(), reason="agreements/seed_data/ is not there yet")
@pytest.mark.django_db
def test_every_seed_pk_prints_its_content_in_order():

    load_organisation_demo()
    agreements = load_all_seeds()
    assert len(agreements) == 7
    _module_cache["seeds"] = agreements
    printed_dates = {2024: "6 Maret 2024", 2026: "15 Januari 2026"}
    for agreement in agreements:
        agreement = Agreement.objects.select_related("unit__parent", "unit__satker").get(
            pk=agreement.pk
        )
        pages = pdf_pages(documents.render_pdf(agreement, "lengkap"))
        text = "\n".join(pages)
        first, second = agreement.pihak_pertama_name, agreement.pihak_kedua_name
        place_date = f"{agreement.place}, {printed_dates[agreement.year]}"
        nips = [nip for nip in (agreement.pihak_kedua_nip, agreement.pihak_pertama_nip) if nip]
        signatures = [place_date, *([second, first] if second else [first])]
        signatures = [name.strip("()") for name in signatures]
        signatures += [f"NIP. {nip}" for nip in nips]
        rows = flatten(agreement)
        lampiran = []
        for row in rows:
            if row.jenis == INDIKATOR:
                lampiran += [row.indikator, row.target.printed if row.target else ""]
            else:
                lampiran.append(format_rupiah(row.anggaran))
        statement = [first, *([second] if second else [])]
        try:
            assert_in_order(
                text,
                [
                    f"PERJANJIAN KINERJA TAHUN {agreement.year}",
                    *statement,
                    *signatures,
                    f"PERJANJIAN KINERJA TAHUN {agreement.year}",
                    *lampiran,
                    *signatures,
                ],
            )
        except AssertionError as error:
            raise AssertionError(f"{agreement}: {error}") from None
        assert all(watermarked_pages(documents.render_pdf(agreement, "lengkap")))

    bontang = next(a for a in agreements if a.unit.code == "64.74.sekretariat")
    text = "\n".join(pdf_pages(documents.render_pdf(bontang, "lengkap")))
    assert_in_order(
        text,
        [
            "KOMISI PEMILIHAN UMUM KOTA BONTANG",
            "Bontang, 15 Januari 2026",
            "Program Penyelenggaraan Pemilihan Umum Rp 21.057.000,-",
            "Program Dukungan Manajemen Rp 4.105.373.000,-",
        ],
    )


def test_a_stored_pdf_pruned_between_the_check_and_the_read_is_rendered_again(monkeypatch):

    name = default_storage.save("dokumen/uji.pdf", ContentFile(b"%PDF-1.7"))
    assert documents.read_stored(name) == b"%PDF-1.7"

    def pruned_meanwhile(*args, **kwargs):
        raise FileNotFoundError(name)

    monkeypatch.setattr(type(default_storage._wrapped), "open", pruned_meanwhile)
    assert documents.read_stored(name) is None


# --- the seven seed PKs, as their originals print them -----------------------------------------
# Strings taken from ../shared/seeds/ (000_f86e1186139fb633.txt: Sorong 2024, a text layer;
# 003_afa3896ab8506015.txt: Bontang 2026, an OCR), OCR damage mended ("manajeman",
# "trasnparan", "diperiukan"), wrapped lines joined.
SORONG_PAIR_ROLES = [
    "Selanjutnya disebut Pihak Pertama",
    "Selaku atasan langsung Pihak Pertama",
    "Selanjutnya disebut Pihak Kedua",
]
SORONG_COMMITMENT = (
    "Pihak Pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran "
    "perjanjian ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah "
    "ditetapkan dalam dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target "
    "kinerja tersebut menjadi tanggung jawab kami."
)
SORONG_SUPERVISION = (
    "Pihak Kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi "
    "terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan dalam "
    "rangka pemberian penghargaan dan sanksi."
)
BONTANG_ROLES = [
    "selanjutnya disebut Pihak Pertama.",
    "selaku atasan pihak pertama, selanjutnya disebut Pihak Kedua.",
]
SEED_STATEMENTS = {
    ("96.71", 2024): [
        "PERJANJIAN KINERJA TAHUN 2024",
        OPENING_2024,
        "Nama : BALTHASAR BERTH KAMBUAYA",
        "Jabatan : KETUA KPU KOTA SORONG",
        SINGLE_PROMISE_2024,
        SINGLE_RESPONSIBILITY,
        "Sorong, 6 Maret 2024",
        "KOMISI PEMILIHAN UMUM KOTA SORONG",
        "KETUA,",
        "BALTHASAR BERTH KAMBUAYA",
    ],
    ("96.71.sekretariat", 2024): [
        "PERJANJIAN KINERJA TAHUN 2024",
        OPENING_2024,
        "Nama : MARTHEN KAMBU",
        "Jabatan : SEKRETARIS KPU KOTA SORONG",
        SORONG_PAIR_ROLES[0],
        "Nama : BALTHASAR BERTH KAMBUAYA",
        "Jabatan : KETUA KPU KOTA SORONG",
        *SORONG_PAIR_ROLES[1:],
        SORONG_COMMITMENT,
        SORONG_SUPERVISION,
        "Sorong, 6 Maret 2024",
    ],
    ("64.74.sekretariat", 2026): [
        "PERJANJIAN KINERJA TAHUN 2026",
        OPENING,
        "Nama : Bambang Rahmadhany",
        "Jabatan : Sekretaris KPU Kota Bontang",
        BONTANG_ROLES[0],
        "Nama : Muzarroby Renfly",
        "Jabatan : Ketua KPU Kota Bontang",
        BONTANG_ROLES[1],
        PAIR_PROMISE,
        SUPERVISION,
        "Bontang, 15 Januari 2026",
    ],
}
# (left block, right block) of the signature table, each read down its column.
SEED_SIGNATURES = {
    "96.71": (
        "",
        "Sorong, 6 Maret 2024 KOMISI PEMILIHAN UMUM KOTA SORONG KETUA, BALTHASAR BERTH KAMBUAYA",
    ),
    "96.71.sekretariat": (
        "PIHAK KEDUA KETUA KPU KOTA SORONG, BALTHASAR BERTH KAMBUAYA",
        "PIHAK PERTAMA SEKRETARIS KPU KOTA SORONG, MARTHEN KAMBU NIP. 197802282009021004",
    ),
    "64.74.sekretariat": (
        "Pihak Kedua, Ketua Komisi Pemilihan Umum Kota Bontang, (Muzarroby Renfly)",
        "Pihak Pertama, Sekretaris Komisi Pemilihan Umum Kota Bontang, (Bambang Rahmadhany)",
    ),
    "64.74.sekretariat.keuangan": (
        "Pihak Kedua, Sekretaris Komisi Pemilihan Umum Kota Bontang, (Bambang Rahmadhany)",
        "Pihak Pertama, Kasubbag Keuangan, Umum dan Logistik, (Indra Lesmana)",
    ),
}
SEED_LAMPIRAN_TITLES = {
    "96.71": "PERJANJIAN KINERJA TAHUN 2024 KOMISI PEMILIHAN UMUM KOTA SORONG",
    "96.71.sekretariat": (
        "PERJANJIAN KINERJA TAHUN 2024 SEKRETARIAT KOMISI PEMILIHAN UMUM KOTA SORONG"
    ),
}


def signature_columns(page_text: str) -> tuple[str, str]:
    """The left and the right column of the signature table (from the line with the place
    and date on), from pdftotext's layout: cells side by side are split where 3 or more
    spaces part them, a lone cell goes to the side it starts on."""
    lines = page_text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.search(r"(Sorong|Bontang), ", line))
    width = max(len(line) for line in lines)
    left, right = [], []
    for line in lines[start:]:
        parts = [part for part in re.split(r"\s{3,}", line.strip()) if part]
        if len(parts) >= 2:
            left.append(parts[0])
            right.append(" ".join(parts[1:]))
        elif parts:
            (right if len(line) - len(line.lstrip()) > width // 3 else left).append(parts[0])
    return " ".join(left), " ".join(right)


def seed_agreements() -> list[Agreement]:
    load_organisation_demo()
    return [
        Agreement.objects.select_related("unit__parent", "unit__satker").get(pk=a.pk)
        for a in load_all_seeds()
    ]


@pytest.mark.django_db
def test_the_seed_pks_print_their_own_years_wording_and_signature_blocks():
    for agreement in seed_agreements():
        code = agreement.unit.code
        pdf = documents.render_pdf(agreement, "lengkap")
        statement = pdftotext(pdf, "-l", "1")
        expected = SEED_STATEMENTS.get((code, agreement.year))
        if expected is None:  # a Bontang Subbagian: the 2026 pair wording
            expected = [OPENING, BONTANG_ROLES[0], BONTANG_ROLES[1], PAIR_PROMISE, SUPERVISION]
        try:
            assert_in_order(statement, expected)
        except AssertionError as error:
            raise AssertionError(f"{agreement}: {error}") from None
        wording = [OPENING, OPENING_2024, PAIR_PROMISE, SUPERVISION]
        wording += [SORONG_COMMITMENT, SORONG_SUPERVISION]
        assert sum(squash(paragraph) in squash(statement) for paragraph in wording) == (
            1 if agreement.is_single_signatory else 3
        ), f"{agreement}: another year's paragraph is printed too"
        if code in SEED_SIGNATURES:
            columns = signature_columns(pdftotext(pdf, "-layout", "-l", "1"))
            for column, wanted in zip(columns, SEED_SIGNATURES[code], strict=True):
                assert squash(wanted) in squash(column), f"{agreement}: {column!r}"
        lampiran = pdftotext(pdf, "-f", "2", "-l", "2")
        if code in SEED_LAMPIRAN_TITLES:
            assert squash(lampiran).startswith(squash(SEED_LAMPIRAN_TITLES[code]))
        else:
            assert squash(lampiran).startswith(squash("PERJANJIAN KINERJA TAHUN 2026 Unit"))
        assert "SEKRETARIS KPU KOTA BONTANG" not in statement  # never shouted


@pytest.mark.django_db
def test_a_target_the_source_does_not_show_is_printed_empty_and_must_be_filled_in():
    agreements = {a.unit.code: a for a in seed_agreements()}
    sekretariat = agreements["64.74.sekretariat"]
    missing = [r.indikator for r in flatten(sekretariat) if r.jenis == INDIKATOR and not r.target]
    assert len(missing) == 5
    assert "Nilai Evaluasi atas Akuntabilitas Kinerja KPU Kota Bontang" in missing
    assert "Nilai Maturitas SPIP" in missing
    text = pdftotext(documents.render_pdf(sekretariat, "lampiran"))
    # The SAKIP row prints no predicate (its neighbours keep theirs).
    assert_in_order(
        text,
        [
            "Indeks Reformasi Birokrasi 85",
            "Nilai Evaluasi atas Akuntabilitas Kinerja KPU Kota Bontang",
            "Terwujudnya Perencanaan Program dan Anggaran yang Memadai",
        ],
    )
    assert "BB" not in text.split()
    errors = [f.message for f in run_checks(sekretariat).errors if "belum diisi" in f.message]
    assert "Target “Nilai Maturitas SPIP” belum diisi." in errors and len(errors) == 5
    perencanaan = next(a for code, a in agreements.items() if "perencanaan" in code)
    assert [r.indikator for r in flatten(perencanaan) if r.jenis == INDIKATOR and not r.target] == [
        "Nilai Evaluasi atas Akuntabilitas Kinerja KPU Kota Bontang"
    ]
