"""How fast the monitoring dashboards are with the national dataset (about 3,300 PKs).

Run:  .venv/bin/python bench/monitoring_dashboard.py            (SQLite file in var/bench/)
      DATABASE_URL=postgres://… .venv/bin/python bench/monitoring_dashboard.py
Generates the dataset of the year (submissions.dataset) if it is missing, then realisations of
Triwulan I and II for every signed PK (most reported, in every state; ~250,000 rows), then
requests, as a national reviewer, the national page of Triwulan II (first with an empty cache:
every PK scored; then as it is served once warm), a filtered page, its .xlsx, a province's
page, the measurement table of one PK (.xlsx, PDF) and the API of one unit; prints the median
server time and the number of queries of each. Target: the national page under 1 s.
"""

import argparse
import random
import statistics
import time
from decimal import Decimal

import common

common.start("monitoring", media=True, client=True)

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, IndicatorRow
from indicators.targets import GRADE_ORDERS
from monitoring.models import MONITORED_STATUSES, Realisation, RealisationStatus
from organisations.models import Membership, Role, Unit, User
from submissions.dataset import generate_national_dataset

PROVINCE = "64"  # Kalimantan Timur
QUARTERS = (1, 2)
BATCH = 5000


def populate(year: int) -> User:
    call_command("migrate", verbosity=0)
    if not Agreement.objects.filter(year=year).exists():
        print(f"generating the {year} dataset…", flush=True)
        print(f"  {generate_national_dataset(year)}", flush=True)
    if not Realisation.objects.filter(agreement__year=year).exists():
        started = time.perf_counter()
        made = generate_realisations(year)
        print(f"  {made} realisations in {time.perf_counter() - started:.1f} s", flush=True)
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    Membership.objects.get_or_create(
        user=reviewer,
        unit=Unit.objects.get(code="setjen.biro-perencanaan"),
        role=Role.REVIEWER_PERENCANAAN,
    )
    return reviewer


def _grade_near(target: str, rng: random.Random) -> str:
    order = next((o for o in GRADE_ORDERS.values() if target in o), [target])
    position = min(len(order) - 1, order.index(target) + rng.choice((0, 0, 0, 1)))
    return order[position]


def generate_realisations(year: int, seed: int = 7) -> int:
    """Triwulan I for 90 % of the signed PKs and Triwulan II for 70 %, in mixed states,
    every indicator filled, values around the target (bulk inserts, one transaction)."""
    rng = random.Random(seed)
    signed = list(
        Agreement.objects.filter(year=year, status__in=MONITORED_STATUSES).values_list(
            "id", flat=True
        )
    )
    plan = {}
    for agreement_id in signed:
        reported = [
            q for q, share in zip(QUARTERS, (0.9, 0.7), strict=True) if rng.random() < share
        ]
        plan[agreement_id] = {
            q: rng.choice([RealisationStatus.VERIFIED] * 3 + [RealisationStatus.SUBMITTED,
                          RealisationStatus.DRAFT, RealisationStatus.RETURNED])
            for q in reported
        }  # fmt: skip
    rows = IndicatorRow.objects.filter(
        sasaran__kegiatan__programme__agreement_id__in=signed
    ).values_list("id", "sasaran__kegiatan__programme__agreement_id", "target_value",
                  "target_unit", "target_grade")  # fmt: skip
    batch, made = [], 0
    with transaction.atomic():
        for row_id, agreement_id, target, unit, grade in rows.iterator(chunk_size=5000):
            for quarter, status in plan[agreement_id].items():
                value, realised_grade = None, ""
                if grade:
                    realised_grade = _grade_near(grade, rng)
                elif target is not None:
                    share = Decimal(rng.randint(55, 115)) / 100
                    if unit and unit != "%":  # a count: about a quarter of the yearly target
                        share /= 4
                    value = (Decimal(target) * share).quantize(Decimal("0.01"))
                batch.append(Realisation(
                    row_id=row_id, agreement_id=agreement_id, quarter=quarter, value=value,
                    grade=realised_grade, status=status, explanation="Sesuai rencana.",
                ))  # fmt: skip
            if len(batch) >= BATCH:
                Realisation.objects.bulk_create(batch)
                made += len(batch)
                batch = []
        Realisation.objects.bulk_create(batch)
    return made + len(batch)


def measure(client, url, runs, cold=False):
    timings, queries, size = [], 0, 0
    for _ in range(runs if cold else runs + 1):
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries, size = len(captured), len(content)
    kept = timings if cold else timings[1:]
    return statistics.median(kept), queries, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    year, quarter = args.year, 2
    reviewer = populate(year)
    client = Client()
    client.force_login(reviewer)
    rows = IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement__year=year).count()
    print(
        f"database: {connection.vendor}; year {year}: "
        f"{Agreement.objects.filter(year=year).count()} PKs "
        f"({Agreement.objects.filter(year=year, status__in=MONITORED_STATUSES).count()} signed), "
        f"{rows} indicator rows, "
        f"{Realisation.objects.filter(agreement__year=year).count()} realisations"
    )
    national = reverse("monitoring_reports:national", args=[year, quarter])
    province = reverse("monitoring_reports:province", args=[PROVINCE, year, quarter])
    big = (
        Agreement.objects.filter(year=year, status__in=MONITORED_STATUSES, unit__code__contains=".")
        .order_by("pk")
        .first()
    )
    unit_code = big.unit.code
    pages = [
        ("national page, empty cache (every PK scored)", national, True),
        ("national page", national, False),
        ("national page, page 10", f"{national}?halaman=10", False),
        ("national page, belum melapor", f"{national}?status=belum", False),
        ("national export .xlsx", reverse("monitoring_reports:national_xlsx", args=[year, quarter]),
         False),
        (f"province page {PROVINCE}, empty cache", province, True),
        (f"province page {PROVINCE}", province, False),
        ("measurement table .xlsx", reverse("monitoring_reports:measurement_xlsx",
                                            args=[big.pk, quarter]), False),
        ("measurement table PDF (stored after the first)",
         reverse("monitoring_reports:measurement_pdf", args=[big.pk, quarter]), False),
        (f"API {unit_code} {year}", reverse("monitoring_reports:api_unit_year",
                                            args=[unit_code, year]), False),
    ]  # fmt: skip
    for label, url, cold in pages:
        ms, queries, size = measure(client, url, args.runs, cold=cold)
        print(f"{ms:8.1f} ms  {queries:3d} queries  {size / 1024:7.0f} KiB  {label}  ({url})")


if __name__ == "__main__":
    main()
