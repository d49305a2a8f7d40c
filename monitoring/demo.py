"""Demo data of monitoring: KPU Kota Sorong's two PKs of 2024 as signed, with a whole year of
quarterly realisations entered by the Sekretariat's operator and verified by the Ketua, so that
the monitoring pages (PK page charts, measurement tables, the national page for 2024) have
something to show. The Bontang 2026 PKs stay drafts, for trying the workflow.

Idempotent: nothing is added once Sorong's realisations exist. The figures are made up, and
vary on purpose (some indicators lag, one quarter misses) so that every capaian category shows.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, IndicatorRow
from monitoring import capaian
from monitoring.models import Realisation, RealisationStatus, default_closing_date

SORONG_PKS = ("96.71", "96.71.sekretariat")
YEAR = 2024
# Share of the yearly target reached at the end of each quarter, for states (%, scores).
PROGRESS = {1: Decimal("0.80"), 2: Decimal("0.90"), 3: Decimal("0.96"), 4: Decimal("1.00")}


def _figure(row: IndicatorRow, quarter: int) -> tuple[Decimal | None, str]:
    """(value, grade) of the made-up realisation of `row` in `quarter`."""
    kind = capaian.kind_of(
        row.catalogue.kind if row.catalogue else None, row.target_unit, row.target_grade
    )
    lagging = row.position % 5 == 3  # every fifth indicator lags behind
    if kind == capaian.GRADE:
        order = capaian.grade_order(row.target_grade) or [row.target_grade]
        target = order.index(row.target_grade)
        worse = min(target + (1 if lagging or quarter == 1 else 0), len(order) - 1)
        return None, order[worse]
    target = Decimal(row.target_value or 0)
    if kind == capaian.COUNT:  # a flow: a quarter of the yearly target each quarter
        share = target / 4 if target >= 4 else (target if quarter == 4 else Decimal(0))
        value = share * (Decimal("0.5") if lagging else 1)
    else:
        value = target * PROGRESS[quarter] * (Decimal("0.75") if lagging else 1)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), ""


@transaction.atomic
def load_monitoring_demo() -> int:
    """Create what is missing; returns the number of realisations created."""
    agreements = list(Agreement.objects.filter(unit__code__in=SORONG_PKS, year=YEAR, version=1))
    if not agreements or Realisation.objects.filter(agreement__in=agreements).exists():
        return 0
    Agreement.objects.filter(pk__in=[a.pk for a in agreements]).update(status="ditandatangani")
    users = get_user_model().objects
    operator = users.filter(username="sorong.operator").first()
    ketua = users.filter(username="sorong.ketua").first()
    rows = IndicatorRow.objects.filter(
        sasaran__kegiatan__programme__agreement__in=agreements
    ).select_related("catalogue", "sasaran__kegiatan__programme")
    made = []
    for row in rows:
        for quarter in capaian.QUARTERS:
            closes = default_closing_date(YEAR, quarter)
            at = timezone.make_aware(datetime.datetime.combine(closes, datetime.time(10)))
            value, grade = _figure(row, quarter)
            made.append(
                Realisation(
                    row=row,
                    agreement=row.sasaran.kegiatan.programme.agreement,
                    quarter=quarter,
                    value=value,
                    grade=grade,
                    explanation="Sesuai rencana kegiatan triwulan ini (data demo).",
                    status=RealisationStatus.VERIFIED,
                    entered_by=operator,
                    submitted_by=operator,
                    submitted_at=at - datetime.timedelta(days=5),
                    verifier=ketua,
                    verified_at=at,
                )
            )
    Realisation.objects.bulk_create(made)
    return len(made)
