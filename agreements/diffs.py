"""What changed between two versions of a PK: pure functions, no database.

    diff_rows(old_rows, new_rows) -> RowsDiff         indicators and budget lines
    diff_statement(old, new) -> list[FieldChange]     the statement data (place, date, parties…)

Rows are `LampiranRow`s or their dict form (`as_cells()`, or the "rows" of a submission
snapshot, where every value is a string). Indicators are matched by their normalised text
(indicators.text.normalise_text), so retyping "Jumlah laporan keuangan." as "Jumlah Laporan
Keuangan" is no change. When the same indicator appears more than once (under two kegiatan),
copies at the same place are paired first, the rest in document order.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist

from agreements.models import Agreement
from agreements.rows import ANGGARAN, INDIKATOR
from indicators.text import normalise_text
from organisations.formatting import readable


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator as a reader recognises it in the lampiran."""

    programme: str
    kegiatan: str
    sasaran: str
    indikator: str
    target: str

    @property
    def key(self) -> str:
        return normalise_text(self.indikator)

    @property
    def place(self) -> tuple[str, str, str]:
        return (
            normalise_text(self.programme),
            normalise_text(self.kegiatan),
            normalise_text(self.sasaran),
        )


@dataclass(frozen=True)
class TargetChange:
    indikator: str
    sasaran: str
    old: str
    new: str


@dataclass(frozen=True)
class Move:
    """An indicator now under another sasaran (or another kegiatan)."""

    indikator: str
    old_sasaran: str
    new_sasaran: str
    old_kegiatan: str
    new_kegiatan: str

    @property
    def kegiatan_changed(self) -> bool:
        return normalise_text(self.old_kegiatan) != normalise_text(self.new_kegiatan)


@dataclass(frozen=True)
class AmountChange:
    """A programme's budget total before and after; None where the programme is absent."""

    programme: str
    old: int | None
    new: int | None

    @property
    def difference(self) -> int:
        return (self.new or 0) - (self.old or 0)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RowsDiff:
    added: list[IndicatorLine] = field(default_factory=list)
    removed: list[IndicatorLine] = field(default_factory=list)
    target_changed: list[TargetChange] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    budget_changed: list[AmountChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(
            self.added or self.removed or self.target_changed or self.moved or self.budget_changed
        )

    def __bool__(self) -> bool:
        return self.has_changes


def _cells(row) -> dict:
    return row.as_cells() if hasattr(row, "as_cells") else row


def _text(value) -> str:
    return " ".join(str(value if value is not None else "").split())


def _amount(value) -> int:
    """An amount in rupiah: an int, or text such as "21057000" or "Rp 21.057.000,-"."""
    if isinstance(value, int):
        return value
    digits = re.sub(r"[^0-9]", "", str(value or ""))
    return int(digits) if digits else 0


def _joined(*parts) -> str:
    return " ".join(filter(None, (_text(part) for part in parts)))


def _indicator_lines(rows) -> list[IndicatorLine]:
    lines = []
    for row in rows:
        cells = _cells(row)
        if cells.get("jenis") != INDIKATOR:
            continue
        lines.append(
            IndicatorLine(
                programme=_joined(cells.get("program_kode"), cells.get("program")),
                kegiatan=_joined(cells.get("kegiatan_kode"), cells.get("kegiatan")),
                sasaran=_text(cells.get("sasaran")),
                indikator=_text(cells.get("indikator")),
                target=_text(cells.get("target")),
            )
        )
    return lines


def _budget_totals(rows) -> dict[str, tuple[str, int]]:
    """{programme key: (label, total)} in the order the budget lines list them."""
    totals: dict[str, tuple[str, int]] = {}
    for row in rows:
        cells = _cells(row)
        if cells.get("jenis") != ANGGARAN:
            continue
        code, name = _text(cells.get("program_kode")), _text(cells.get("program"))
        key = code or normalise_text(name)
        label, total = totals.get(key, (_joined(code, name), 0))
        totals[key] = (label, total + _amount(cells.get("anggaran")))
    return totals


def _same_target(old: str, new: str) -> bool:
    return old.casefold() == new.casefold()


def _pair(old_lines, new_lines):
    """Match old and new indicators by normalised text: (pairs, removed, added)."""
    old_by_key, new_by_key = defaultdict(list), defaultdict(list)
    for line in old_lines:
        old_by_key[line.key].append(line)
    for line in new_lines:
        new_by_key[line.key].append(line)
    pairs, removed, added = [], [], []
    for key in dict.fromkeys([*new_by_key, *old_by_key]):
        olds, news = list(old_by_key.get(key, [])), list(new_by_key.get(key, []))
        for new in list(news):
            same_place = next((old for old in olds if old.place == new.place), None)
            if same_place is not None:
                pairs.append((same_place, new))
                olds.remove(same_place)
                news.remove(new)
        pairs += list(zip(olds, news, strict=False))
        removed += olds[len(news) :]
        added += news[len(olds) :]
    position = {id(line): i for i, line in enumerate(new_lines)}
    pairs.sort(key=lambda pair: position[id(pair[1])])
    return pairs, removed, added


def diff_rows(old_rows, new_rows) -> RowsDiff:
    """What changed from `old_rows` to `new_rows`: indicators added or removed, targets
    changed (old → new), indicators moved to another sasaran, budget totals per programme."""
    old_lines, new_lines = _indicator_lines(old_rows), _indicator_lines(new_rows)
    pairs, removed, added = _pair(old_lines, new_lines)
    diff = RowsDiff(added=added, removed=removed)
    for old, new in pairs:
        if not _same_target(old.target, new.target):
            diff.target_changed.append(
                TargetChange(new.indikator, new.sasaran, old.target, new.target)
            )
        if old.place != new.place:
            diff.moved.append(
                Move(new.indikator, old.sasaran, new.sasaran, old.kegiatan, new.kegiatan)
            )
    old_budget, new_budget = _budget_totals(old_rows), _budget_totals(new_rows)
    for key in dict.fromkeys([*new_budget, *old_budget]):
        old_label, old_total = old_budget.get(key, ("", None))
        new_label, new_total = new_budget.get(key, ("", None))
        if old_total != new_total:
            diff.budget_changed.append(AmountChange(new_label or old_label, old_total, new_total))
    return diff


def _label(name: str) -> str:

    try:
        return str(Agreement._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a key an older snapshot has and the model no longer does
        return name


def diff_statement(old: dict, new: dict) -> list[FieldChange]:
    """The statement fields (as in a submission snapshot) whose value changed, in order."""
    changes = []
    for name in dict.fromkeys([*new, *old]):
        before, after = _text(old.get(name)), _text(new.get(name))
        if before != after:
            changes.append(FieldChange(name, _label(name), readable(before), readable(after)))
    return changes
