"""The data of bench/peak.py, in its own database: the national dataset, the Bontang seed PKs,
bench logins with their sessions, and a few PDFs rendered once (run by bench/peak.py).

Writes the sessions to `--out` as JSON: {"year", "bontang": {cookie, pk}, "operators":
[{cookie, pk, pdf}], "reviewers": [{cookie}]}.
"""

import argparse
import json
import time
from pathlib import Path

import common
import psycopg


def create_database(name: str) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


parser = argparse.ArgumentParser()
parser.add_argument("--year", type=int, required=True)
parser.add_argument("--database", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--operators", type=int, default=180)
parser.add_argument("--reviewers", type=int, default=20)
parser.add_argument("--pdfs", type=int, default=10)
args = parser.parse_args()
create_database(args.database)
common.start("unused", client=True, media=True)

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from measure import analyze, bench_user

from agreements import documents
from agreements.models import Agreement
from agreements.seeds import load_seed, manifest
from organisations.models import Role, UnitKind
from submissions.dataset import generate_national_dataset


def session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


call_command("migrate", verbosity=0)
if not Agreement.objects.filter(year=args.year).exists():
    print(generate_national_dataset(args.year, progress=print), flush=True)
for seed in manifest():
    if seed.unit_code.startswith("64.74"):
        load_seed(seed)
analyze()
bontang = Agreement.objects.get(unit__code="64.74.sekretariat", year=2026, version=1)
pks = list(
    Agreement.objects.filter(year=args.year, unit__kind=UnitKind.SEKRETARIAT_KABKOTA)
    .select_related("unit")
    .order_by("unit__code")[: args.operators]
)
operators = []
for index, agreement in enumerate(pks):
    user = bench_user(f"bench-peak-op-{index}", agreement.unit.code, Role.OPERATOR)
    pdf = ""
    if index < args.pdfs:
        documents.render_pdf(agreement, documents.LENGKAP)  # stored: later downloads read it
        pdf = reverse("agreements:document_pdf", args=[agreement.pk, documents.LENGKAP])
    operators.append({"cookie": session(user), "pk": agreement.pk, "pdf": pdf})
reviewers = [
    {"cookie": session(bench_user(f"bench-peak-reviewer-{i}", "setjen.biro-perencanaan",
                                  Role.REVIEWER_PERENCANAAN))}
    for i in range(args.reviewers)
]  # fmt: skip
sekretariat = bench_user("bench-peak-bontang", "64.74.sekretariat", Role.OPERATOR)
# The login that bench/peak_pages.py measures, made before the pages are warmed: a new
# membership changes what the pages may show, and every cached page would be dropped.
bench_user("bench-peak-login", "64.74.sekretariat", Role.OPERATOR)
# Every page of the run viewed once, as on a working day before the peak: the first view of a
# PK's content version runs its checks and renders its tables (see the README), later ones
# read them from the shared cache. The measured minute is the later ones.
started = time.monotonic()
warm = Client()
warm.force_login(sekretariat)
assert warm.get(f"/pk/{bontang.pk}/").status_code == 200
for operator in operators:
    warm.cookies["sessionid"] = operator["cookie"]
    assert warm.get(f"/pk/{operator['pk']}/").status_code == 200
print(f"warmed {len(operators) + 1} PK pages in {time.monotonic() - started:.0f} s")
Path(args.out).write_text(
    json.dumps(
        {
            "year": args.year,
            "bontang": {"cookie": session(sekretariat), "pk": bontang.pk},
            "operators": operators,
            "reviewers": reviewers,
        }
    )
)
print(f"{len(operators)} operators ({args.pdfs} with a cached PDF), {len(reviewers)} reviewers")
