"""The lampiran as the printed table groups it, for the PK page (no rules, only layout)."""

import string
from dataclasses import dataclass, field

from django.db.models import Prefetch

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
