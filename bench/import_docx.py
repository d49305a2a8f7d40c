"""How long importing last year's PK takes: a 250-indicator .docx (the Bontang Sekretariat
layout, merged sasaran and heading rows) and the same PK as an office's own .xlsx (merged
cells, a budget block), through the users' import code (agreements.importing).

Run:  .venv/bin/python bench/import_docx.py
Prints the median of each step: reading and mapping the file (what the mapping page and the
preview do) and replacing a PK's lampiran with the rows (what the confirmation does).
"""

import os

import common

common.start("import_docx")

from django.core.management import call_command
from django.db import connection
from import_seed import timed

from agreements.importing.upload import analyse, parse_upload
from agreements.lampiran import replace_lampiran
from agreements.models import Agreement
from organisations.demo import load_organisation_demo
from organisations.models import Unit
from tests.import_files import enlarged_rows, seed_docx, shape_merged_sasaran_xlsx

FILE = "bontang-2026-sekretariat.csv"
INDICATORS = 250


def main():
    call_command("migrate", verbosity=0)
    load_organisation_demo()
    rows = enlarged_rows(FILE, INDICATORS)
    files = {
        "docx": seed_docx(FILE, rows=rows),
        "xlsx": shape_merged_sasaran_xlsx(FILE, rows=rows),
    }
    agreement, _ = Agreement.objects.get_or_create(
        unit=Unit.objects.get(code="64.74.sekretariat"), year=2099, version=1,
        defaults={"pk_kind": "g"},
    )  # fmt: skip
    load = os.getloadavg()
    print(f"database: {connection.vendor}; load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f} on {os.cpu_count()} cores")  # fmt: skip
    for kind, content in files.items():
        name = f"PK.{kind}"
        parsed, _analysis = parse_upload(content, name)
        assert not parsed.problems, parsed.problems[:3]
        print(f".{kind}: {len(content) / 1024:.0f} kB, {parsed.indicator_count} indicators, "
              f"{len(parsed.rows) - parsed.indicator_count} budget lines")  # fmt: skip
        print(f"  upload → mapping page (read, find header, guess): "
              f"{timed(lambda c=content, n=name: analyse(c, n)):7.1f} ms")  # fmt: skip
        print(f"  mapping → preview (read and map every row):       "
              f"{timed(lambda c=content, n=name: parse_upload(c, n)):7.1f} ms")  # fmt: skip
        saving = timed(lambda r=parsed.rows: replace_lampiran(agreement, r), runs=3)
        print(f"  confirm (replace the lampiran, {connection.vendor}):       {saving:7.1f} ms")


if __name__ == "__main__":
    main()
