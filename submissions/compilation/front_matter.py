"""The front matter of the reading PDF: the cover, the table of contents and the completeness
report, laid out by WeasyPrint from templates/compilation/bundle.html."""

from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.documents.content import letterhead
from agreements.documents.rendering import layout
from organisations.models import PaperSize
from submissions.compilation.bundle import BundleEntry, CompilationError
from submissions.compilation.overview import Overview
from submissions.models import Compilation

FRONT_MATTER_TEMPLATE = "compilation/bundle.html"


def _number_pages(entries: list[BundleEntry], front_pages: int) -> int:
    """Give each readable file its first page in the reading PDF; returns the page count."""
    page = front_pages + 1
    for entry in entries:
        entry.start_page = page if entry.pages else None
        page += entry.pages or 0
    return page - 1


def front_matter_context(compilation: Compilation, overview: Overview, entries, now) -> dict:
    province = compilation.province
    local_now = timezone.localtime(now, ZoneInfo(province.time_zone))
    with translation.override("id"):
        generated = f"{date_format(local_now, 'j F Y')} pukul {local_now:%H.%M} {overview.zone}"
        deadline = date_format(overview.deadline, "j F Y")
    short = province.short_name.strip()
    return {
        "doc": {"letterhead": letterhead(province)},
        # "KPU … SE-PROVINSI KALIMANTAN TIMUR"; in Aceh "KIP … SE-ACEH".
        "body": "KIP" if short.startswith("KIP") else "KPU",
        "region": short.removeprefix("KPU ").removeprefix("KIP "),
        "paper": PaperSize.F4.value if province.paper_size == PaperSize.F4 else PaperSize.A4.value,
        "compilation": compilation,
        "province": province,
        "year": compilation.year,
        "overview": overview,
        "counts": overview.counts,
        "entries": entries,
        "unreadable": [e for e in entries if e.pages is None],
        "mismatched": [e for e in entries if not e.recorded_sha256_matches],
        "generated": generated,
        "deadline": deadline,
    }


def render_front_matter(context: dict, entries: list[BundleEntry]) -> tuple[bytes, int]:
    """The cover, the contents and the completeness report as one PDF, and its page count.

    The contents print where each PK starts, which depends on how many pages the front matter
    itself takes: lay it out with a guess, and again with the count found until it holds
    (once more at most, in practice).
    """

    front_pages = 3  # the cover, the contents and the report start on a page each
    for _attempt in range(4):
        context["front_pages"] = front_pages
        context["total_pages"] = _number_pages(entries, front_pages)
        with translation.override("id"):
            html = render_to_string(FRONT_MATTER_TEMPLATE, context)
        document = layout(html)
        if len(document.pages) == front_pages:
            return document.write_pdf(), front_pages
        front_pages = len(document.pages)
    raise CompilationError(_("Halaman daftar isi tidak dapat dinomori secara tetap."))
