"""Which row of a grid is the table's header, and what each column holds.

The guess reads the header text (NO, SASARAN STRATEGIS, INDIKATOR KINERJA, TARGET, SATUAN,
ANGGARAN, KODE, PROGRAM, KEGIATAN, in any case and wording the seeds and real sheets use); what
the unit chose last time for the same header text wins over the guess (ImportMapping).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from agreements.tables import cell_text

NO = "no"
KODE = "kode"
PROGRAM = "program"
KEGIATAN = "kegiatan"
SASARAN = "sasaran"
INDIKATOR = "indikator"
TARGET = "target"
SATUAN = "satuan"
ANGGARAN = "anggaran"
IGNORE = "abaikan"

ROLES = [
    (NO, gettext_lazy("Nomor")),
    (KODE, gettext_lazy("Kode program/kegiatan")),
    (PROGRAM, gettext_lazy("Program")),
    (KEGIATAN, gettext_lazy("Kegiatan")),
    (SASARAN, gettext_lazy("Sasaran strategis / program / kegiatan")),
    (INDIKATOR, gettext_lazy("Indikator kinerja")),
    (TARGET, gettext_lazy("Target")),
    (SATUAN, gettext_lazy("Satuan")),
    (ANGGARAN, gettext_lazy("Anggaran")),
    (IGNORE, gettext_lazy("(abaikan kolom ini)")),
]
ROLE_KEYS = {key for key, _label in ROLES}
HEADER_SCAN_ROWS = 25  # a title block above the table is a few lines, never a page

# Checked in order: "kode kegiatan" is a code, "indikator sasaran" an indicator.
_GUESSES = [
    (NO, re.compile(r"^(no|nomor|no urut|nomor urut)$")),
    (KODE, re.compile(r"\bkode\b")),
    (INDIKATOR, re.compile(r"indikator|\biku\b")),
    (TARGET, re.compile(r"target")),
    (SATUAN, re.compile(r"satuan")),
    (ANGGARAN, re.compile(r"anggaran|\bpagu\b|\brp\b|rupiah")),
    (SASARAN, re.compile(r"sasaran|program ?/ ?kegiatan|\boutput\b|keluaran")),
    (PROGRAM, re.compile(r"^(nama )?program$")),
    (KEGIATAN, re.compile(r"^(nama )?kegiatan$")),
]


def normalise_header(value) -> str:
    text = cell_text(value).lower()
    text = re.sub(r"[^a-z0-9/ ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def guess_role(value) -> str:
    text = normalise_header(value)
    if not text:
        return IGNORE
    for role, pattern in _GUESSES:
        if pattern.search(text):
            return role
    return IGNORE


@dataclass
class Column:
    index: int
    header: str
    role: str
    samples: list[str]

    @property
    def letter(self) -> str:
        index, letters = self.index + 1, ""
        while index:
            index, rest = divmod(index - 1, 26)
            letters = chr(65 + rest) + letters
        return letters


@dataclass
class Header:
    grid_index: int
    row_position: int  # index into the grid's rows
    columns: list[Column]

    @property
    def roles(self) -> list[str]:
        return [c.role for c in self.columns]


def _is_header(cells) -> bool:
    roles = [guess_role(c) for c in cells]
    found = set(roles) - {IGNORE}
    return INDIKATOR in found and len(found) >= 2 or {SASARAN, TARGET} <= found


def find_header(grids, remembered: dict | None = None) -> Header | None:
    """The first row (in the first grids' first rows) that names an indicator column and one
    more, with each column's guessed role; None when no grid has such a row."""
    remembered = remembered or {}
    for grid_index, grid in enumerate(grids):
        if grid.is_text:
            continue
        for position, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
            if not _is_header(row.cells):
                continue
            below = grid.rows[position + 1 : position + 11]
            columns = []
            for index, value in enumerate(row.cells):
                header = cell_text(value)
                role = remembered.get(normalise_header(header)) or guess_role(header)
                samples = []
                for data in below:
                    text = cell_text(data.cells[index]) if index < len(data.cells) else ""
                    if text and text not in samples and not is_numbering(text):
                        samples.append(text[:80])
                    if len(samples) == 3:
                        break
                columns.append(Column(index, header, role, samples))
            while columns and not columns[-1].header and not columns[-1].samples:
                columns.pop()
            return Header(grid_index, position, columns)
    return None


_NUMBERING = re.compile(r"^[\[(]?\s*\d{1,2}\s*[\])]?$")


def is_numbering(text: str) -> bool:
    """A cell of the numbering row under the header: 1, (1), [1]."""
    return bool(_NUMBERING.match(text.strip()))


def parse_mapping(text: str, width: int) -> list[str] | None:
    """The roles as posted ("no,sasaran,indikator,target"); None when it is not a mapping of
    exactly `width` columns with known roles."""
    roles = (text or "").split(",")
    if len(roles) != width or any(r not in ROLE_KEYS for r in roles):
        return None
    return roles
