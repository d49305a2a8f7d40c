"""Demo data of monitoring: KPU Kota Sorong's two PKs of 2024 as signed, with a whole year of
quarterly realisations entered by the Sekretariat's operator and verified by the Ketua, so that
the monitoring pages (PK page charts, measurement tables, the national page for 2024) have
something to show. The Bontang 2026 PKs stay drafts, for trying the workflow; the Bontang
Sekretariat gets a signed PK of 2025 (made from its 2026 lampiran) reported the same way.

Triwulan IV of both years stays open (KPU set no closing date) and the Sekretariat PKs' Triwulan
IV is entered but not submitted: `sorong.operator` and `bontang.operator` can check and submit a
quarter (menu *Pemantauan*) and the Ketua verify it, on whatever day the demo runs.

Idempotent: nothing is added once Sorong's realisations exist. The figures are made up, and
vary on purpose (some indicators lag, one quarter misses) so that every capaian category shows.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.models import Agreement, IndicatorRow
from agreements.seeds import SeedPK, load_seed, manifest
from monitoring import capaian
from monitoring.models import (
    Realisation,
    RealisationStatus,
    ReportingPeriod,
    default_closing_date,
)
from organisations.models import Unit

SORONG_PKS = ("96.71", "96.71.sekretariat")
YEAR = 2024
# Bontang's Sekretariat reports too: a signed PK of the year before its seed PKs.
BONTANG_SEED, BONTANG_UNIT, BONTANG_YEAR = "bontang-2026-sekretariat.csv", "64.74.sekretariat", 2025
# Left open in the demo, so that an operator can report a quarter on any day.
OPEN_QUARTER = 4
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


def _bontang_last_year() -> Agreement:
    """The Bontang Sekretariat's PK of BONTANG_YEAR, signed: demo data made from the lampiran
    of its 2026 seed (the real 2025 PK is not among the seeds), dated a year earlier."""
    seed = next(s for s in manifest() if s.file == BONTANG_SEED)
    entry = {**seed.entry, "date": datetime.date(BONTANG_YEAR, 1, 15)}
    agreement = load_seed(SeedPK(seed.file, BONTANG_YEAR, entry))
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    return agreement


def _realisations(agreements, year, operator, ketua, open_unit_code) -> list[Realisation]:
    """A year of made-up realisations; OPEN_QUARTER of the PK of `open_unit_code` (the
    operator's) is entered but not yet submitted: the operator's to check and submit."""
    rows = IndicatorRow.objects.filter(
        sasaran__kegiatan__programme__agreement__in=agreements
    ).select_related("catalogue", "sasaran__kegiatan__programme__agreement__unit")
    made = []
    for row in rows:
        agreement = row.sasaran.kegiatan.programme.agreement
        for quarter in capaian.QUARTERS:
            closes = default_closing_date(year, quarter)
            at = timezone.make_aware(datetime.datetime.combine(closes, datetime.time(10)))
            value, grade = _figure(row, quarter)
            realisation = Realisation(
                row=row,
                agreement=agreement,
                quarter=quarter,
                value=value,
                grade=grade,
                explanation="Sesuai rencana kegiatan triwulan ini (data demo).",
                entered_by=operator,
            )
            if not (quarter == OPEN_QUARTER and agreement.unit.code == open_unit_code):
                realisation.status = RealisationStatus.VERIFIED
                realisation.submitted_by = operator
                realisation.submitted_at = at - datetime.timedelta(days=5)
                realisation.verifier = ketua
                realisation.verified_at = at
            made.append(realisation)
    return made


@transaction.atomic
def load_monitoring_demo() -> int:
    """Create what is missing; returns the number of realisations created."""
    users = get_user_model().objects
    made = []
    sorong = list(Agreement.objects.filter(unit__code__in=SORONG_PKS, year=YEAR, version=1))
    if sorong and not Realisation.objects.filter(agreement__in=sorong).exists():
        Agreement.objects.filter(pk__in=[a.pk for a in sorong]).update(status="ditandatangani")
        made += _realisations(sorong, YEAR, users.filter(username="sorong.operator").first(),
                              users.filter(username="sorong.ketua").first(),
                              "96.71.sekretariat")  # fmt: skip
    if Unit.objects.filter(code=BONTANG_UNIT).exists():
        bontang = _bontang_last_year()
        if not Realisation.objects.filter(agreement=bontang).exists():
            made += _realisations([bontang], BONTANG_YEAR,
                                  users.filter(username="bontang.operator").first(),
                                  users.filter(username="bontang.ketua").first(),
                                  BONTANG_UNIT)  # fmt: skip
    Realisation.objects.bulk_create(made)
    for year in (YEAR, BONTANG_YEAR):
        # KPU keeps the quarter open (a period without a closing date), whatever today is.
        ReportingPeriod.objects.get_or_create(
            year=year, quarter=OPEN_QUARTER, defaults={"closes_on": None}
        )
    return len(made)
