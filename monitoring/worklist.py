"""The quarters an operator reports: every signed PK of the units they draft for, each quarter
with its state and whether it may be filled now (the menu's *Pemantauan* for operators).

    quarters_to_report(user, now) -> [PkQuarters]      newest year first, open quarters first

Three queries whatever the number of PKs: the PKs, their realisations' statuses and KPU's
closing dates. Who may fill a quarter is the same rule as drafting the PK
(monitoring.permissions.entry_refusal): the units of agreements.permissions.drafting_units.
"""

from dataclasses import dataclass, field

from agreements.models import Agreement
from agreements.permissions import drafting_units
from monitoring.deadlines import OPEN, Window, entry_window
from monitoring.models import (
    MONITORED_STATUSES,
    Quarter,
    Realisation,
    RealisationStatus,
    ReportingPeriod,
)
from monitoring.series import quarter_status

# Newest PKs first; a year has at most a few PK versions per unit.
SHOWN_YEARS = 3


@dataclass
class QuarterState:
    number: int
    label: str
    status: str  # a RealisationStatus value, or "" when nothing is entered
    status_label: str
    window: Window

    @property
    def is_open(self) -> bool:
        return self.window.state == OPEN

    @property
    def needs_work(self) -> bool:
        """Open and not yet sent for verification (or returned): the operator's task now."""
        editable = {"", RealisationStatus.DRAFT, RealisationStatus.RETURNED}
        return self.is_open and self.status in editable


@dataclass
class PkQuarters:
    agreement: Agreement
    quarters: list[QuarterState] = field(default_factory=list)

    @property
    def needs_work(self) -> bool:
        return any(q.needs_work for q in self.quarters)


def quarters_to_report(user, now) -> list[PkQuarters]:
    units = drafting_units(user)
    agreements = list(
        Agreement.objects.visible_to(user)
        .filter(unit__in=units, status__in=MONITORED_STATUSES)
        .select_related("unit")
        .order_by("-year", "unit__path", "-version")
    )
    years = sorted({a.year for a in agreements}, reverse=True)[:SHOWN_YEARS]
    agreements = [a for a in agreements if a.year in years]
    statuses: dict[tuple[int, int], list[str]] = {}
    for agreement_id, quarter, status in Realisation.objects.filter(
        agreement__in=agreements
    ).values_list("agreement_id", "quarter", "status"):
        statuses.setdefault((agreement_id, quarter), []).append(status)
    closing = ReportingPeriod.objects.closing_dates(years)
    labels = {**dict(RealisationStatus.choices), "": ""}
    result = []
    for agreement in agreements:
        item = PkQuarters(agreement)
        for number, label in Quarter.choices:
            status = quarter_status(statuses.get((agreement.pk, number), []))
            window = entry_window(agreement.year, number, agreement.unit.time_zone, now,
                                  closing[(agreement.year, number)])  # fmt: skip
            item.quarters.append(QuarterState(number, label, status, labels[status], window))
        result.append(item)
    # The PKs with a quarter to fill now come first, in their order.
    return sorted(result, key=lambda item: not item.needs_work)
