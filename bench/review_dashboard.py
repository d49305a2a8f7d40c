"""How fast the national review dashboard is with the national dataset (about 3,300 PKs).

Run:  .venv/bin/python bench/review_dashboard.py            (SQLite file in var/bench/)
      DATABASE_URL=postgres://… .venv/bin/python bench/review_dashboard.py
Generates the dataset of the year (submissions.dataset) if it is missing, then requests, as a
national reviewer, the dashboard (unfiltered, one province, "ada galat"), its .xlsx export and,
where the URL exists, a province's compilation page; prints the median server time and the
number of queries of each. The dashboard's query count must not depend on the number of units.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import common

common.start("review", media=True, client=True)

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Agreement, IndicatorRow
from organisations.models import Membership, Role, Unit, User
from submissions.dataset import generate_national_dataset
from submissions.models import Submission

PROVINCE = "64"  # Kalimantan Timur


def populate(year: int) -> User:
    call_command("migrate", verbosity=0)
    if not Agreement.objects.filter(year=year).exists():
        print(f"generating the {year} dataset…", flush=True)
        report = generate_national_dataset(year)
        print(f"  {report}")
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    Membership.objects.get_or_create(
        user=reviewer,
        unit=Unit.objects.get(code="setjen.biro-perencanaan"),
        role=Role.REVIEWER_PERENCANAAN,
    )
    return reviewer


def measure(client, url, runs):
    timings, queries = [], 0
    for _ in range(runs + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(timings[1:]), queries, len(response.content or b"")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2027)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    reviewer = populate(args.year)
    client = Client()
    client.force_login(reviewer)
    year = args.year
    print(
        f"database: {connection.vendor}; year {year}: "
        f"{Agreement.objects.filter(year=year).count()} PKs, "
        f"{IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement__year=year).count()}"
        f" indicator rows, {Submission.objects.filter(agreement__year=year).count()} submissions"
    )
    dashboard = reverse("review_dashboard", args=[year])
    pages = [
        ("dashboard", dashboard),
        ("dashboard, page 3", f"{dashboard}?halaman=3"),
        (f"dashboard, province {PROVINCE}", f"{dashboard}?provinsi={PROVINCE}"),
        ("dashboard, ada galat", f"{dashboard}?pemeriksaan=galat"),
        ("export .xlsx", reverse("review_export", args=[year])),
        (f"export .xlsx, province {PROVINCE}", reverse("review_export", args=[year])
         + f"?provinsi={PROVINCE}"),
    ]  # fmt: skip
    submission = Submission.objects.filter(agreement__year=year).order_by("pk").first()
    if submission:
        pages.append(("submission page", reverse("review_submission", args=[submission.pk])))
    url = reverse("submissions:province", args=[PROVINCE, year])
    pages.append((f"province page {PROVINCE}", url))
    for label, url in pages:
        try:
            ms, queries, size = measure(client, url, args.runs)
        except Exception as exc:  # another engineer's page may be mid-change: say so, go on
            print(f"   failed: {label} ({url}): {exc!r}")
            continue
        print(f"{ms:8.1f} ms  {queries:3d} queries  {size / 1024:7.0f} KiB  {label}  ({url})")


def compile_a_province():
    """The third figure of issue #7: compiling a province of 27 regencies (its own script,
    with its own database, since it renders and merges real PDFs)."""
    script = Path(__file__).with_name("compile_province.py")
    print("\n== compiling a province of 27 regencies (bench/compile_province.py) ==", flush=True)
    subprocess.run([sys.executable, str(script)], check=False)


if __name__ == "__main__":
    main()
    compile_a_province()
