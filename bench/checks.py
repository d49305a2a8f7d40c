"""How long the cascade checks take on a 250-indicator Sekretariat PK and its four Subbagian.

Run:  .venv/bin/python bench/checks.py      (or with DATABASE_URL=postgres://…)
The checks run on every PK page load, so they must stay well under the page budget.
Half of the Subbagian rows carry small spelling differences, so the similarity fallback runs.
"""

import random
import statistics
import time

import common

common.start("checks")

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.checks import cached_checks, run_checks
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement
from indicators.targets import parse_target
from organisations.demo import load_demo_officials
from organisations.models import Unit

YEAR = 2098
# Real indicators differ in their words; draw each text from a vocabulary like the seeds'.
VOCABULARY = [
    "persentase",
    "jumlah",
    "laporan",
    "layanan",
    "pemilih",
    "kegiatan",
    "data",
    "informasi",
    "hukum",
    "anggaran",
    "pemutakhiran",
    "partai",
    "politik",
    "kampanye",
    "logistik",
    "keuangan",
    "pengadaan",
    "barang",
    "milik",
    "negara",
    "sosialisasi",
    "pendidikan",
    "pemula",
    "rentan",
    "marginal",
    "penyelesaian",
    "sengketa",
    "regulasi",
    "keputusan",
    "tepat",
    "waktu",
    "akurat",
    "sesuai",
    "ketentuan",
    "berlaku",
    "dokumentasi",
    "arsip",
    "kepegawaian",
    "pelatihan",
    "pengawasan",
    "internal",
    "evaluasi",
    "kinerja",
    "perencanaan",
    "program",
    "rekapitulasi",
    "suara",
    "tahapan",
]


def indicator_text(i: int, typo: bool = False) -> str:
    words = random.Random(i).sample(VOCABULARY, 6)
    text = f"Indikator {i} " + " ".join(words) + " KPU Kota Bontang"
    return text.replace("Kota", "Kotta") if typo else text


def rows_for(indices, typo=False):
    programme = ("076.01.WA", "Program Dukungan Manajemen")
    rows = [
        LampiranRow(INDIKATOR, *programme, "", f"Kegiatan {i // 10}", f"Sasaran {i // 3}",
                    indicator_text(i, typo and i % 2 == 0), parse_target("100%"))
        for i in indices
    ]  # fmt: skip
    rows.append(LampiranRow(ANGGARAN, "076.01.WA", "Program Dukungan Manajemen", anggaran=1000))
    return rows


def pk(code, rows):
    agreement, _ = Agreement.objects.get_or_create(
        unit=Unit.objects.get(code=code), year=YEAR, version=1, defaults={"pk_kind": "g"}
    )
    replace_lampiran(agreement, rows)
    return agreement


def main():
    call_command("migrate", verbosity=0)
    load_demo_officials()  # no demo login is touched
    sekretariat = pk("64.74.sekretariat", rows_for(range(250)))
    subbagian = []
    for n, code in enumerate(["keuangan", "perencanaan", "partisipasi", "teknis"]):
        subbagian.append(pk(f"64.74.sekretariat.{code}", rows_for(range(n, 250, 4), typo=True)))
    for name, agreement in [("Sekretariat (250 indicators, 4 Subbagian)", sekretariat),
                            ("Subbagian (63 indicators)", subbagian[0])]:  # fmt: skip
        timings = []
        for _ in range(7):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                report = run_checks(agreement)
                timings.append((time.perf_counter() - started) * 1000)
        print(f"{name}: median {statistics.median(timings):.1f} ms, {len(queries)} queries, "
              f"{len(report.findings)} findings ({len(report.errors)} errors)")  # fmt: skip
        cached_checks(agreement)  # what a page load uses: computed once per family version
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            cached_checks(agreement)
        print(f"  as a page load (cached): {(time.perf_counter() - started) * 1000:.1f} ms, "
              f"{len(queries)} queries")  # fmt: skip
    print(f"database: {connection.vendor}")


if __name__ == "__main__":
    main()
