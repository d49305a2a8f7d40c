"""The lampiran as the printed table groups it, for the PK page (no rules, only layout), and
its HTML rendered once per content version of the PK and reused by every page view."""

import string
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from agreements.models import Agreement, IndicatorRow, LampiranKegiatan, Sasaran


@dataclass
class SasaranBlock:
    number: str
    text: str
    indicators: list[IndicatorRow]


@dataclass
class KegiatanBlock:
    number: str
    code: str
    name: str
    sasaran: list[SasaranBlock] = field(default_factory=list)


@dataclass
class ProgrammeBlock:
    letter: str
    code: str
    name: str
    kegiatan: list[KegiatanBlock] = field(default_factory=list)


def _letter(index: int) -> str:
    return string.ascii_uppercase[index % 26] if index < 26 else str(index + 1)


def lampiran_table(agreement: Agreement) -> list[ProgrammeBlock]:
    """Programmes A., B.; kegiatan 1., 2. (per programme); sasaran numbered 1., 2. or, under a
    kegiatan, lettered a., b.; a level without a name is not printed (4 queries)."""
    programmes = agreement.programmes.prefetch_related(
        Prefetch(
            "kegiatan",
            queryset=LampiranKegiatan.objects.prefetch_related(
                Prefetch("sasaran", queryset=Sasaran.objects.prefetch_related("indicators"))
            ),
        )
    )
    blocks = []
    letters = 0
    for programme in programmes:
        letter = ""
        if programme.name:
            letter, letters = f"{_letter(letters)}.", letters + 1
        block = ProgrammeBlock(letter, programme.code, programme.name)
        numbers = 0
        for kegiatan in programme.kegiatan.all():
            number = ""
            if kegiatan.name:
                numbers += 1
                number = f"{numbers}."
            kblock = KegiatanBlock(number, kegiatan.code, kegiatan.name)
            for index, sasaran in enumerate(kegiatan.sasaran.all()):
                label = (
                    f"{string.ascii_lowercase[index % 26]}." if kegiatan.name else f"{index + 1}."
                )
                kblock.sasaran.append(
                    SasaranBlock(label, sasaran.text, list(sasaran.indicators.all()))
                )
            block.kegiatan.append(kblock)
        blocks.append(block)
    return blocks


# Bump when templates/agreements/_lampiran_tables.html changes.
FRAGMENT_VERSION = 1
FRAGMENT_SECONDS = 7 * 24 * 60 * 60


def content_version(agreement: Agreement) -> str:
    """Changes with the PK's content: every lampiran change claims a new lock version
    (Agreement.touch); any other save (the admin's budget lines) moves `updated_at`."""
    return f"{agreement.pk}:{agreement.lock_version}:{agreement.updated_at.timestamp():.6f}"


def lampiran_html(agreement: Agreement) -> str:
    """The PK page's lampiran and budget tables as HTML: rendered once per content version
    and language, then read from the shared cache (Redis in production, so every web
    process reuses it). 6 queries when rendered, none when cached."""
    key = f"pk-lampiran:{FRAGMENT_VERSION}:{content_version(agreement)}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "agreements/_lampiran_tables.html",
            {
                "programmes": lampiran_table(agreement),
                "budget_lines": list(agreement.budget_lines.all()),
                "budget_totals": agreement.budget_by_programme(),
            },
        )
        cache.set(key, html, timeout=FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, escaped there
