"""How long importing the Bontang Sekretariat seed file takes, through the users' import code.

Run:  .venv/bin/python bench/import_seed.py     (or with DATABASE_URL=postgres://…)
Prints the median of parsing the file and of replacing a PK's lampiran with it.
"""

import statistics
import time

import common

common.start("import")

from django.core.management import call_command
from django.db import connection

from agreements.lampiran import replace_lampiran
from agreements.models import Agreement
from agreements.seeds import SEED_DIR, manifest
from agreements.spreadsheet import export_xlsx, parse_lampiran
from organisations.demo import load_demo_officials
from organisations.models import Unit

FILE = "bontang-2026-sekretariat.csv"


def timed(fn, runs=9):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    call_command("migrate", verbosity=0)
    load_demo_officials()  # no demo login is touched
    seed = next(s for s in manifest() if s.file == FILE)
    content = (SEED_DIR / FILE).read_bytes()
    parsed = parse_lampiran(content, FILE)
    assert not parsed.problems, parsed.problems
    xlsx = export_xlsx(parsed.rows)
    agreement, _ = Agreement.objects.get_or_create(
        unit=Unit.objects.get(code=seed.unit_code), year=2099, version=1,
        defaults={"pk_kind": "g"},
    )  # fmt: skip
    print(f"database: {connection.vendor}; {FILE}: {parsed.indicator_count} indicators, "
          f"{len(parsed.rows) - parsed.indicator_count} budget lines")  # fmt: skip
    print(f"parse .csv:           {timed(lambda: parse_lampiran(content, FILE)):7.1f} ms")
    print(f"parse .xlsx:          {timed(lambda: parse_lampiran(xlsx, 'x.xlsx')):7.1f} ms")
    print(
        f"replace lampiran:     {timed(lambda: replace_lampiran(agreement, parsed.rows)):7.1f} ms"
    )

    def whole_import():
        replace_lampiran(agreement, parse_lampiran(content, FILE).rows)

    print(f"whole import (.csv):  {timed(whole_import):7.1f} ms")


if __name__ == "__main__":
    main()
