"""The national review dashboard at two sizes: the whole national dataset and a quarter of it.

Run:  .venv/bin/python bench/review_dashboard.py [--runs 9]        (SQLite files in var/bench/)
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/pk_portal_bench_perf \\
        REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/review_dashboard.py
Each size has a database of its own (the quarter's: DATABASE_URL's name + "_quarter", or
review-quarter.sqlite3): the full one holds every unit and the generated year (about 3,300
PKs), the quarter one the units of five provinces (133 Kab/Kota, about a quarter of the
offices) and their PKs; both are ANALYZEd after loading. As a bench national reviewer, it
requests the dashboard (unfiltered, page 3, one province, "ada kesalahan") and its .xlsx export,
in rotated order, and prints the median wall and CPU time of this process and the queries of
each, for both sizes. The queries must be the same at both sizes; the time should be too.
"""

import argparse
import os
import subprocess
import sys

QUARTER_PROVINCES = ["11", "32", "33", "35", "64"]  # Aceh, Jawa Barat/Tengah/Timur, Kaltim


def _quarter_database_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    return f"{url}_quarter" if url else None


parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--year", type=int, default=2027)
parser.add_argument("--runs", type=int, default=9)
parser.add_argument("--size", choices=["both", "full", "quarter"], default="both")
args = parser.parse_args()
if args.size == "both":
    for size in ("full", "quarter"):
        env = dict(os.environ)
        if size == "quarter" and _quarter_database_url():
            env["DATABASE_URL"] = _quarter_database_url()
        subprocess.run([sys.executable, __file__, "--size", size, "--year", str(args.year),
                        "--runs", str(args.runs)], env=env, check=True)  # fmt: skip
    sys.exit(0)

import common

if args.size == "quarter" and "DATABASE_URL" in os.environ:
    import psycopg

    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')
common.start("review" if args.size == "full" else "review-quarter", client=True, media=True)

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from measure import analyze, bench_user, machine, summary, timed_request

from agreements.models import Agreement, IndicatorRow
from organisations.models import Role, Unit
from organisations.national import load_national_units, national_specs
from submissions.dataset import generate_national_dataset

PROVINCE = "64"  # Kalimantan Timur


def populate(year: int, size: str):
    call_command("migrate", verbosity=0)
    if not Unit.objects.exists():
        specs = national_specs()
        if size == "quarter":
            keep = {*QUARTER_PROVINCES, "kpu", "setjen"}
            specs = [s for s in specs if s.code.split(".")[0] in keep]
        load_national_units(specs)
    if not Agreement.objects.filter(year=year).exists():
        print(f"generating the {year} dataset ({size})…", flush=True)
        provinces = QUARTER_PROVINCES if size == "quarter" else None
        print(f"  {generate_national_dataset(year, provinces=provinces)}", flush=True)
    analyze()
    return bench_user("bench-reviewer", "setjen.biro-perencanaan", Role.REVIEWER_PERENCANAAN)


def main():
    reviewer = populate(args.year, args.size)
    client = Client()
    client.force_login(reviewer)
    year = args.year
    rows = IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement__year=year)
    print(
        f"\n== {args.size} dataset; database {connection.vendor} "
        f"({connection.settings_dict['NAME']}): {Unit.objects.count()} units, "
        f"{Agreement.objects.filter(year=year).count()} PKs, {rows.count()} indicator rows; "
        f"{machine()}"
    )
    dashboard = reverse("review_dashboard", args=[year])
    export = reverse("review_export", args=[year])
    pages = [
        ("dashboard", dashboard),
        ("dashboard, page 3", f"{dashboard}?halaman=3"),
        (f"dashboard, province {PROVINCE}", f"{dashboard}?provinsi={PROVINCE}"),
        ("dashboard, ada kesalahan", f"{dashboard}?pemeriksaan=kesalahan"),
        ("export .xlsx", export),
    ]
    runs = {label: [] for label, _url in pages}
    for _label, url in pages:
        timed_request(lambda url=url: client.get(url), 200)  # warm
    for run in range(args.runs):
        for label, url in pages[run % len(pages) :] + pages[: run % len(pages)]:
            runs[label].append(timed_request(lambda url=url: client.get(url), 200))
    for label, _url in pages:
        print(summary(label, runs[label]))
    print(machine())


main()
