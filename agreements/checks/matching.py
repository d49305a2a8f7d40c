"""Finding the same indicator in two PKs: by normalised text, else by close similarity."""

import bisect
import difflib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from agreements.lampiran import INDIKATOR, LampiranRow
from indicators.targets import Target
from indicators.text import normalise_text

# Texts at least this similar (after normalisation) are taken as the same indicator, and the
# match is shown so a person can confirm it. Measured on the seeds: OCR variants score > 0.93,
# different indicators of the same Subbagian < 0.85.
SIMILAR_ENOUGH = 0.92
# Texts that similar share at least this share of their character trigrams: a few changed
# letters in a 60-character indicator leave about 0.85 of them (test_checks has such pairs).
TRIGRAM_FILTER = 0.75


@dataclass
class IndicatorRef:
    index: int
    row: LampiranRow
    key: str


def indicators_of(rows: list[LampiranRow]) -> list[IndicatorRef]:
    found = [r for r in rows if r.jenis == INDIKATOR]
    return [IndicatorRef(i, r, normalise_text(r.indikator)) for i, r in enumerate(found)]


class Haystack:
    """Indicators to search, indexed once: exact keys in a dict, trigram sets for similarity."""

    def __init__(self, items: list[IndicatorRef]):
        self.items = items
        self.by_key: dict[str, IndicatorRef] = {}
        for item in items:
            self.by_key.setdefault(item.key, item)
        # Sorted by text length, so a search only walks the lengths that could match.
        ordered = sorted(items, key=lambda item: len(item.key))
        self.sorted_items = ordered
        self.lengths = [len(item.key) for item in ordered]
        self.trigrams = [_trigrams(item.key) for item in ordered]

    def find(self, needle: IndicatorRef) -> tuple[IndicatorRef | None, str]:
        """The same indicator: by normalised text, else by close similarity (with a note)."""
        exact = self.by_key.get(needle.key)
        if exact is not None:
            same = exact.row.indikator == needle.row.indikator
            return exact, "" if same else _("cocok setelah penyeragaman ejaan")
        wanted = _trigrams(needle.key)
        best, best_ratio = None, 0.0
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(needle.key)  # seq2 is the one SequenceMatcher caches
        length, size = len(needle.key), len(wanted)
        # Two cheap, generous filters first: texts of very different lengths cannot reach
        # SIMILAR_ENOUGH (ratio <= 2·min/(sum)), nor can texts sharing few trigrams; the costly
        # ratio then runs on a handful of candidates at most.
        low = bisect.bisect_left(self.lengths, length * SIMILAR_ENOUGH / (2 - SIMILAR_ENOUGH))
        high = bisect.bisect_right(self.lengths, length * (2 - SIMILAR_ENOUGH) / SIMILAR_ENOUGH)
        for index in range(low, high):
            item, grams = self.sorted_items[index], self.trigrams[index]
            shared = len(grams & wanted)
            if shared < TRIGRAM_FILTER * (len(grams) + size - shared):
                continue
            matcher.set_seq1(item.key)
            if matcher.quick_ratio() < SIMILAR_ENOUGH:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = item, ratio
        if best is not None and best_ratio >= SIMILAR_ENOUGH:
            return best, _("cocok karena teksnya mirip (%(pct)d%%): “%(a)s” ≈ “%(b)s”") % {
                "pct": int(best_ratio * 100),
                "a": needle.row.indikator,
                "b": best.row.indikator,
            }
        return None, ""


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def match_indicator(
    needle: IndicatorRef, haystack: "list[IndicatorRef] | Haystack"
) -> tuple[IndicatorRef | None, str]:
    """The same indicator in `haystack` (a list, or a Haystack built once for many needles)."""
    if not isinstance(haystack, Haystack):
        haystack = Haystack(haystack)
    return haystack.find(needle)


def same_target(a: Target | None, b: Target | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.value, a.unit.lower(), a.grade) == (b.value, b.unit.lower(), b.grade)
