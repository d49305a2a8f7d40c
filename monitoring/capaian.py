"""Capaian (achievement): how far a realisation reaches its target. Every rule is here.

Pure functions over plain values: no database. The callers (pages, exports, the API) turn
IndicatorRows and Realisations into `Measure`s and quarterly values, then ask this module.

The rules, as chosen (each with the why):

1. **More is better** (the default, `Indicator.higher_is_better`): capaian = realisasi ÷
   target × 100.
2. **Less is better** (e.g. "Persentase Penurunan Nilai Temuan" where the figure is the share
   of findings left, or a count of complaints): capaian = (2 − realisasi ÷ target) × 100, i.e.
   (target − (realisasi − target)) ÷ target × 100, the formula of the SAKIP guidance
   (PermenPAN-RB 53/2014 and the LKjIP of most ministries) for indicators of negative
   polarity. Unlike target ÷ realisasi it is linear (each point above the target costs the
   same) and is defined for a realisation of 0 (200 %, then capped).
3. **Grades** (WTP/WDP/TW/TMP, AA…D): each grade gets a score by its position in its order,
   the worst grade scoring 0 and each better one 1 more (WTP 3, WDP 2, TW 1, TMP 0); capaian
   = score(realisasi) ÷ score(target) × 100, and the target grade or a better one is 100 %.
   So with a WTP target a WDP is 66.67 %, a TW 33.33 %, a TMP 0 %; with a BB target (SAKIP)
   a B is 75 %. A grade from another order than the target's is not comparable (no capaian).
4. **Target 0**: a ratio is undefined, so the result is set and explained. Less is better:
   realisasi 0 → 100 %, more than 0 → 0 %. More is better: realisasi 0 → 100 %, more than
   0 → the cap (the target is exceeded by any amount).
5. **Bounds**: capaian never goes below 0 % nor above the cap (`Rules.cap`, 120 % by default,
   set by KPU), so one overachievement cannot hide a miss in an average.
6. **Quarters** (`measured_value`): percentages, scores and grades are a state "as of" the
   quarter: the latest quarter's value is compared with the yearly target. Counts are flows
   (reports written, people trained in that quarter): the quarters up to this one are summed
   and the sum is compared with the yearly target. Operators therefore enter, for a count,
   what was achieved in the quarter itself, not the year to date. Either way a quarter
   without its own entry has no capaian yet (a count is not carried into a quarter that was
   not reported); an earlier quarter left empty counts as 0 in the sum.
7. **Averages** (`average`): a sasaran, a programme and the whole PK take the plain mean of
   the capaian of their indicators that have one (every indicator weighs the same at every
   level; a sasaran with one indicator does not outweigh one with five). Indicators without a
   realisation are left out and counted in the explanation.
8. **Categories** (`categorise`): ≥ `Rules.achieved_from` (100) tercapai, ≥
   `Rules.nearly_from` (80) hampir tercapai, below that tidak tercapai; KPU sets both
   thresholds (monitoring.models.CapaianRule).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.targets import GRADE_ORDERS

PERCENTAGE, COUNT, SCORE, GRADE = "persen", "jumlah", "nilai", "predikat"  # IndicatorKind
HUNDRED = Decimal(100)
QUARTERS = (1, 2, 3, 4)

ACHIEVED, NEARLY, NOT_ACHIEVED, NO_DATA = "tercapai", "hampir", "tidak", "kosong"
CATEGORY_LABELS = {
    ACHIEVED: gettext_lazy("Tercapai"),
    NEARLY: gettext_lazy("Hampir tercapai"),
    NOT_ACHIEVED: gettext_lazy("Tidak tercapai"),
    NO_DATA: gettext_lazy("Belum ada realisasi"),
}


@dataclass(frozen=True)
class Rules:
    """What KPU may configure (monitoring.models.CapaianRule keeps it)."""

    cap: Decimal = Decimal(120)
    achieved_from: Decimal = Decimal(100)
    nearly_from: Decimal = Decimal(80)


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Measure:
    """What the rules need to know of one indicator of one PK."""

    kind: str  # PERCENTAGE, COUNT, SCORE or GRADE
    higher_is_better: bool = True
    target_value: Decimal | None = None
    target_grade: str = ""


@dataclass(frozen=True)
class Capaian:
    value: Decimal | None  # percent, two decimals; None when it cannot be computed
    category: str
    explanation: str = ""

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self.category])

    @property
    def is_known(self) -> bool:
        return self.value is not None


def kind_of(catalogue_kind: str | None, target_unit: str, target_grade: str) -> str:
    """The kind of an indicator row: its catalogue indicator's, else read from its target."""
    if target_grade:
        return GRADE
    if catalogue_kind in {PERCENTAGE, COUNT, SCORE}:
        return catalogue_kind
    if target_unit == "%":
        return PERCENTAGE
    return COUNT if target_unit else SCORE


def grade_order(grade: str) -> list[str] | None:
    """The order (best first) that `grade` belongs to, or None."""
    return next((order for order in GRADE_ORDERS.values() if grade in order), None)


def categorise(value: Decimal | None, rules: Rules = DEFAULT_RULES) -> str:
    if value is None:
        return NO_DATA
    if value >= rules.achieved_from:
        return ACHIEVED
    if value >= rules.nearly_from:
        return NEARLY
    return NOT_ACHIEVED


def _result(value: Decimal | None, rules: Rules, explanation: str = "") -> Capaian:
    if value is not None:
        bounded = min(max(value, Decimal(0)), rules.cap)
        if bounded != value and not explanation:
            explanation = (
                _("Capaian %(raw)s%% dibatasi %(cap)s%%.")
                % {"raw": plain_number(value), "cap": plain_number(rules.cap)}
                if value > rules.cap
                else _("Capaian tidak kurang dari 0%.")
            )
        value = bounded.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Capaian(value=value, category=categorise(value, rules), explanation=explanation)


def plain_number(number: Decimal, places: int | None = 2) -> str:
    """A number as Indonesians write it: 66,67 (no trailing zeros), rounded half up to
    `places` decimals; `places=None` keeps every decimal (a realisation as it was entered)."""
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(number.normalize(), "f").replace(".", ",")


def numeric_capaian(
    target: Decimal | None,
    realised: Decimal | None,
    higher_is_better: bool = True,
    rules: Rules = DEFAULT_RULES,
) -> Capaian:
    """Rules 1, 2, 4 and 5 for a number compared with a number."""
    if realised is None:
        return _result(None, rules, _("Belum ada realisasi."))
    if target is None:
        return _result(None, rules, _("Target bukan angka; capaian tidak dapat dihitung."))
    if target == 0:
        if realised == 0:
            return _result(HUNDRED, rules, _("Target 0 dan realisasi 0: capaian 100%."))
        if higher_is_better:
            return _result(
                rules.cap,
                rules,
                _("Target 0 terlampaui: capaian ditetapkan %(cap)s%% (batas atas).")
                % {"cap": plain_number(rules.cap)},
            )
        return _result(
            Decimal(0), rules, _("Target 0 (makin rendah makin baik) tidak tercapai: capaian 0%.")
        )
    ratio = realised / target
    value = ratio * HUNDRED if higher_is_better else (2 - ratio) * HUNDRED
    return _result(value, rules)


def grade_capaian(target: str, realised: str, rules: Rules = DEFAULT_RULES) -> Capaian:
    """Rule 3: a grade compared with a grade by their scores in the same order."""
    if not realised:
        return _result(None, rules, _("Belum ada realisasi."))
    order = grade_order(target)
    if order is None or realised not in order:
        return _result(
            None,
            rules,
            _("Predikat %(r)s tidak dapat dibandingkan dengan target %(t)s.")
            % {"r": realised, "t": target},
        )
    worst = len(order) - 1
    target_score, realised_score = worst - order.index(target), worst - order.index(realised)
    if realised_score >= target_score:
        return _result(HUNDRED, rules)
    value = Decimal(realised_score) / Decimal(target_score) * HUNDRED
    steps = target_score - realised_score
    return _result(
        value,
        rules,
        _("Predikat %(r)s, %(n)d tingkat di bawah target %(t)s.")
        % {"r": realised, "n": steps, "t": target},
    )


def measured_value(kind: str, values: Mapping[int, Decimal | None], quarter: int) -> Decimal | None:
    """Rule 6: the figure compared with the yearly target at the end of `quarter`.

    `values` maps quarter → the value entered for that quarter (None or absent: not entered).
    None when `quarter` itself was not entered. Then a count sums the quarters up to
    `quarter` (an empty earlier quarter adds 0); any other kind takes the value of `quarter`.
    """
    if values.get(quarter) is None:
        return None
    if kind == COUNT:
        entered = [values.get(q) for q in QUARTERS if q <= quarter]
        return sum((v for v in entered if v is not None), Decimal(0))
    return values[quarter]


def quarter_capaian(
    measure: Measure,
    values: Mapping[int, Decimal | None],
    grades: Mapping[int, str],
    quarter: int,
    rules: Rules = DEFAULT_RULES,
) -> Capaian:
    """The capaian of one indicator at the end of `quarter`, from its quarterly entries."""
    if measure.kind == GRADE:
        return grade_capaian(measure.target_grade, grades.get(quarter, ""), rules)
    realised = measured_value(measure.kind, values, quarter)
    return numeric_capaian(measure.target_value, realised, measure.higher_is_better, rules)


def average(capaians: Iterable[Capaian], rules: Rules = DEFAULT_RULES) -> Capaian:
    """Rule 7: the mean of the known capaian values, with how many were left out."""
    capaians = list(capaians)
    known = [c.value for c in capaians if c.value is not None]
    missing = len(capaians) - len(known)
    if not known:
        return _result(None, rules, _("Belum ada realisasi."))
    explanation = (
        _("Rata-rata %(n)d indikator; %(m)d belum ada realisasinya.")
        % {"n": len(known), "m": missing}
        if missing
        else _("Rata-rata %(n)d indikator.") % {"n": len(known)}
    )
    mean = sum(known, Decimal(0)) / len(known)
    return _result(mean, rules, explanation)
