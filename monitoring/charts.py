"""Small server-side SVG charts: per indicator, the realisation of each quarter as a bar and
its target as a line over the bar (a step where an amendment changed it). No JavaScript.

Bars show the figure compared with the target (a count: summed up to the quarter, see
monitoring.capaian rule 6); a grade is drawn by its score in its order (worst = 0).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from monitoring import capaian
from monitoring.capaian import plain_number
from monitoring.models import Quarter

WIDTH, HEIGHT, PAD_TOP, PAD_BOTTOM = 168, 64, 6, 14
SLOT = WIDTH // 4
BAR = 24
# Bootstrap's success / warning / danger / secondary, by capaian category.
COLOURS = {
    capaian.ACHIEVED: "#198754",
    capaian.NEARLY: "#fd7e14",
    capaian.NOT_ACHIEVED: "#dc3545",
    capaian.NO_DATA: "#adb5bd",
}

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Bar:
    x: int
    y: float
    height: float
    fill: str  # by the capaian category
    title: str


@dataclass(frozen=True)
class TargetMark:
    x1: int
    x2: int
    y: float


@dataclass(frozen=True)
class Label:
    x: int
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    targets: list[TargetMark]
    labels: list[Label]
    baseline: int
    description: str


def _grade_score(grade: str, order: list[str]) -> Decimal | None:
    if grade not in order:
        return None
    return Decimal(len(order) - 1 - order.index(grade))


def _figures(cell) -> tuple[Decimal | None, Decimal | None]:
    """(realisation, target) of a cell as numbers to draw."""
    measure = cell.measure
    if measure is None:
        return None, None
    if measure.kind == capaian.GRADE:
        order = capaian.grade_order(measure.target_grade) or []
        grade = cell.realisation.grade if cell.realisation else ""
        return _grade_score(grade, order), _grade_score(measure.target_grade, order)
    return cell.measured, measure.target_value


def indicator_chart(line) -> Chart:
    """The chart of one monitoring.series.Line."""
    figures = {q: _figures(line.cells[q]) for q in capaian.QUARTERS}
    top = max([v for pair in figures.values() for v in pair if v is not None] or [Decimal(1)])
    top = top or Decimal(1)
    baseline = HEIGHT - PAD_BOTTOM
    usable = baseline - PAD_TOP

    def y_of(value: Decimal) -> float:
        return round(baseline - float(value / top) * usable, 1)

    bars, targets, labels, spoken = [], [], [], []
    for quarter in capaian.QUARTERS:
        realised, target = figures[quarter]
        cell = line.cells[quarter]
        x = (quarter - 1) * SLOT + (SLOT - BAR) // 2
        label = ROMAN[quarter]  # under the bar: "I" … "IV", in every language
        labels.append(Label(x=x + BAR // 2, text=label))
        if target is not None:
            targets.append(TargetMark(x1=x - 3, x2=x + BAR + 3, y=y_of(target)))
        shown = cell.capaian.value if cell.capaian else None
        if realised is not None:
            y = min(y_of(realised), baseline - 1)  # a zero still shows as a sliver
            title = _("%(q)s: realisasi %(r)s, target %(t)s, capaian %(c)s") % {
                "q": Quarter(quarter).label,
                "r": cell.entered
                if cell.measure.kind == capaian.GRADE
                else plain_number(realised, places=None),
                "t": cell.target_text or "—",
                "c": f"{plain_number(shown, places=None)}%" if shown is not None else "—",
            }
            bars.append(Bar(x=x, y=y, height=round(baseline - y, 1),
                            fill=COLOURS[cell.capaian.category], title=title))  # fmt: skip
            spoken.append(title)
    description = "; ".join(spoken) or _("Belum ada realisasi.")
    return Chart(WIDTH, HEIGHT, bars, targets, labels, baseline, description)
