"""How long the quarter form of a 60-indicator PK takes to save (issue 11: under 300 ms).

Run:  .venv/bin/python bench/quarter_form.py              (SQLite file in var/bench/)
      DATABASE_URL=postgres://… .venv/bin/python bench/quarter_form.py
Builds the signed Sekretariat PK of KPU Kota Bontang for 2025 with 60 indicators (percentages,
counts, scores and grades), then, as its operator, POSTs Triwulan I through the test client:
the first save (60 realisations created) and a resave changing every line (60 updated),
9 times each, printing the median server time and the queries; then the form page and the PK
page (with its 60 charts) for reference.
"""

import statistics
import time

import common

common.start("quarter_form", client=True)

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement, IndicatorRow
from indicators.targets import parse_target
from monitoring.models import QuarterEvent, Realisation, ReportingPeriod
from organisations.demo import load_organisation_demo
from organisations.models import Unit, User

YEAR, QUARTER, RUNS, INDICATORS = 2025, 1, 9, 60
TARGETS = ["100%", "4 laporan", "85", "WTP", "90%", "12 kegiatan"]


def build_pk() -> Agreement:
    unit = Unit.objects.get(code="64.74.sekretariat")
    agreement, _ = Agreement.objects.get_or_create(
        unit=unit, year=YEAR, version=1, defaults={"pk_kind": "g"}
    )
    Agreement.objects.filter(pk=agreement.pk).update(status="draf")
    agreement.refresh_from_db()
    programme = ("076.01.WA", "Program Dukungan Manajemen")
    rows = [
        LampiranRow(INDIKATOR, *programme, "", f"Kegiatan {i // 12}", f"Sasaran {i // 4}",
                    f"Indikator kinerja nomor {i} KPU Kota Bontang",
                    parse_target(TARGETS[i % len(TARGETS)]))
        for i in range(INDICATORS)
    ]  # fmt: skip
    rows.append(LampiranRow(ANGGARAN, *programme, anggaran=1_000_000))
    replace_lampiran(agreement, rows)
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    # The bench year's first quarter stays open whatever today's date.
    ReportingPeriod.objects.update_or_create(
        year=YEAR, quarter=QUARTER, defaults={"closes_on": None}
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


def timed(request) -> tuple[float, float, int]:
    """(wall ms, this process's CPU ms, queries) of one request; the CPU time shows what
    the web process itself spent when other work shares the machine."""
    with CaptureQueriesContext(connection) as captured:
        wall, cpu = time.perf_counter(), time.process_time()
        response = request()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code in (200, 302), (response.status_code, response.content[:2000])
    return wall * 1000, cpu * 1000, len(captured)


def report(label, runs):
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    print(f"{label:<30} median {wall:6.1f} ms (CPU {cpu:6.1f} ms), {runs[-1][2]} queries")


def timed_posts(client, url, agreement, reset: bool) -> list:
    runs = []
    for run in range(RUNS):
        if reset:
            Realisation.objects.filter(agreement=agreement).delete()
        data = post_data(agreement, run)
        runs.append(timed(lambda data=data: client.post(url, data)))
    saved = Realisation.objects.filter(agreement=agreement, quarter=QUARTER).count()
    assert saved == INDICATORS, saved
    return runs


def timed_get(client, url) -> list:
    return [timed(lambda: client.get(url)) for _ in range(RUNS)]


def main():
    call_command("migrate", verbosity=0)
    load_organisation_demo()
    agreement = build_pk()
    Realisation.objects.filter(agreement=agreement).delete()
    QuarterEvent.objects.filter(agreement=agreement).delete()
    client = Client()
    client.force_login(User.objects.get(username="bontang.operator"))
    url = reverse("monitoring:quarter", args=[agreement.pk, QUARTER])
    client.post(url, post_data(agreement, 0))  # warm up (imports, template compilation)
    print(f"database: {connection.vendor}; PK with {INDICATORS} indicators, Triwulan I")
    report("POST first save (60 created):", timed_posts(client, url, agreement, reset=True))
    report("POST resave (60 changed):", timed_posts(client, url, agreement, reset=False))
    report("GET quarter form:", timed_get(client, url))
    report("GET PK page (60 charts):", timed_get(client, agreement.get_absolute_url()))
    print("target: POST under 300 ms")


if __name__ == "__main__":
    main()
