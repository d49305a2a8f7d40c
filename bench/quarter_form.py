"""What the quarter form of a 60- and a 250-indicator PK costs: saves, the form, the PK page.

Run:  .venv/bin/python bench/quarter_form.py [--sizes 60,250]       (SQLite file in var/bench/)
      DATABASE_URL=postgres://…/pk_portal_bench_perf REDIS_URL=redis://127.0.0.1:6379/6 \
        DEBUG=false .venv/bin/python bench/quarter_form.py              (as production runs)
Builds a signed Sekretariat PK of KPU Kota Bontang per size (2025: 60 indicators, 2023: 250;
percentages, counts, scores and grades), then, as a bench login of its operator, POSTs Triwulan
I through the test client: the first save (every realisation created) and a resave changing
every line, 9 times each — a save counts only when it answers 302 —, then GETs the form and
the PK page (with a chart per indicator). Prints the median wall and CPU time of this process
and the queries of each: the query counts must be the same at both sizes.
"""

import argparse

import common

common.start("quarter_form", client=True)

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from measure import bench_user, machine, summary, timed_request

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement, IndicatorRow
from indicators.targets import parse_target
from monitoring.models import QuarterEvent, Realisation, ReportingPeriod
from organisations.demo import load_demo_officials
from organisations.models import Role, Unit

YEAR, QUARTER, RUNS = 2025, 1, 9
TARGETS = ["100%", "4 laporan", "85", "WTP", "90%", "12 kegiatan"]


def build_pk(indicators: int = 60, year: int = YEAR) -> Agreement:
    """The signed bench PK of `indicators` rows (a year of its own per size; not a seed PK)."""
    unit = Unit.objects.get(code="64.74.sekretariat")
    agreement, _ = Agreement.objects.get_or_create(
        unit=unit, year=year, version=1, defaults={"pk_kind": "g"}
    )
    Agreement.objects.filter(pk=agreement.pk).update(status="draf")
    agreement.refresh_from_db()
    programme = ("076.01.WA", "Program Dukungan Manajemen")
    rows = [
        LampiranRow(INDIKATOR, *programme, "", f"Kegiatan {i // 12}", f"Sasaran {i // 4}",
                    f"Indikator kinerja nomor {i} KPU Kota Bontang",
                    parse_target(TARGETS[i % len(TARGETS)]))
        for i in range(indicators)
    ]  # fmt: skip
    rows.append(LampiranRow(ANGGARAN, *programme, anggaran=1_000_000))
    replace_lampiran(agreement, rows)
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    # The bench year's first quarter stays open whatever today's date.
    ReportingPeriod.objects.update_or_create(
        year=year, quarter=QUARTER, defaults={"closes_on": None}
    )
    agreement.refresh_from_db()
    return agreement


def post_data(agreement, run: int) -> dict:
    rows = list(
        IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement=agreement).order_by(
            "sasaran__kegiatan__programme__position",
            "sasaran__kegiatan__position",
            "sasaran__position",
            "position",
            "pk",
        )  # fmt: skip
    )
    locks = dict(
        Realisation.objects.filter(agreement=agreement, quarter=QUARTER).values_list(
            "row_id", "lock_version"
        )
    )
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000", "action": "save"}  # fmt: skip
    for i, row in enumerate(rows):
        data[f"form-{i}-row"] = str(row.pk)
        data[f"form-{i}-lock_version"] = str(locks.get(row.pk, ""))
        if row.target_grade:
            data[f"form-{i}-grade"] = ["WTP", "WDP"][run % 2]
        else:
            data[f"form-{i}-value"] = f"{run + i % 7},5"
        data[f"form-{i}-explanation"] = f"Penjelasan realisasi indikator {i}, putaran {run}."
        data[f"form-{i}-obstacles"] = "Tidak ada kendala berarti." if i % 3 else ""
        data[f"form-{i}-follow_up"] = "Dilanjutkan pada triwulan berikutnya." if i % 2 else ""
    return data


def timed_posts(client, url, agreement, reset: bool) -> list:
    """A save must answer 302 (back to the PK page); a 200 is the form again, with errors."""
    runs = []
    for run in range(RUNS):
        if reset:
            Realisation.objects.filter(agreement=agreement).delete()
        data = post_data(agreement, run + 1)
        runs.append(timed_request(lambda data=data: client.post(url, data), 302))
    rows = agreement.indicator_count()
    saved = Realisation.objects.filter(agreement=agreement, quarter=QUARTER).count()
    assert saved == rows, (saved, rows)
    return runs


def measure(client, size: int, year: int) -> None:
    agreement = build_pk(size, year)
    Realisation.objects.filter(agreement=agreement).delete()
    QuarterEvent.objects.filter(agreement=agreement).delete()
    url = reverse("monitoring:quarter", args=[agreement.pk, QUARTER])
    timed_request(lambda: client.post(url, post_data(agreement, 0)), 302)  # warm up
    timed_request(lambda: client.get(agreement.get_absolute_url()), 200)
    print(f"\nPK with {size} indicators, Triwulan I")
    print(summary(f"POST first save ({size} created)", timed_posts(client, url, agreement, True)))
    print(summary(f"POST resave ({size} changed)", timed_posts(client, url, agreement, False)))
    get = [timed_request(lambda: client.get(url), 200) for _ in range(RUNS)]
    print(summary("GET quarter form", get))
    page = agreement.get_absolute_url()
    shown = [timed_request(lambda: client.get(page), 200) for _ in range(RUNS)]
    print(summary(f"GET PK page ({size} charts)", shown))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="60,250", help="indicators per PK, comma-separated")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    load_demo_officials()
    client = Client()
    client.force_login(bench_user("bench-bontang-operator", "64.74.sekretariat", Role.OPERATOR))
    print(f"database: {connection.vendor}; cache: {type(caches['default']).__name__}; {machine()}")
    for index, size in enumerate(int(n) for n in args.sizes.split(",")):
        measure(client, size, YEAR - 2 * index)
    print(f"\ntarget: each under 100 ms, queries the same at every size; {machine()}")


if __name__ == "__main__":
    main()
