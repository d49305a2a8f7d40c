"""What a re-import changes in a lampiran: rows added, removed and changed (old → new).

An indicator is the same row when its text is the same (normalised as the catalogue does); a
budget line when it funds the same programme and kegiatan. Everything else about a row
(programme, kegiatan, sasaran, target, amount) may change and is shown field by field.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from agreements.rows import INDIKATOR, LampiranRow
from indicators.text import normalise_text

FIELDS = [
    ("program", gettext_lazy("Program")),
    ("kegiatan", gettext_lazy("Kegiatan")),
    ("sasaran", gettext_lazy("Sasaran")),
    ("target", gettext_lazy("Target")),
    ("anggaran", gettext_lazy("Anggaran")),
]


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class ChangedRow:
    row: LampiranRow
    changes: list[Change]


@dataclass
class LampiranChanges:
    added: list[LampiranRow] = field(default_factory=list)
    removed: list[LampiranRow] = field(default_factory=list)
    changed: list[ChangedRow] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _key(row: LampiranRow) -> tuple:
    if row.jenis == INDIKATOR:
        return (row.jenis, normalise_text(row.indikator))
    return (row.jenis, row.program_kode, normalise_text(row.program), row.kegiatan_kode,
            normalise_text(row.kegiatan))  # fmt: skip


def _printed(row: LampiranRow, name: str) -> str:
    cells = row.as_cells()
    if name == "program":
        return " ".join(filter(None, [row.program_kode, row.program]))
    if name == "kegiatan":
        return " ".join(filter(None, [row.kegiatan_kode, row.kegiatan]))
    return str(cells[name])


def _keyed(rows):
    """Each row under its key; a key seen twice gets a running number (two budget lines of
    one programme, the same indicator under two sasaran)."""
    seen: dict = {}
    keyed = {}
    for row in rows:
        key = _key(row)
        seen[key] = seen.get(key, 0) + 1
        keyed[(*key, seen[key])] = row
    return keyed


def compare(old_rows: list[LampiranRow], new_rows: list[LampiranRow]) -> LampiranChanges:
    old, new = _keyed(old_rows), _keyed(new_rows)
    result = LampiranChanges()
    for key, row in new.items():
        before = old.get(key)
        if before is None:
            result.added.append(row)
            continue
        changes = [
            Change(str(label), _printed(before, name), _printed(row, name))
            for name, label in FIELDS
            if _printed(before, name) != _printed(row, name)
        ]
        if changes:
            result.changed.append(ChangedRow(row, changes))
        else:
            result.unchanged += 1
    result.removed = [row for key, row in old.items() if key not in new]
    return result
