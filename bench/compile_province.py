"""How long a KPU Provinsi's compilation takes, how big it is, and what its page costs.

Run:  .venv/bin/python bench/compile_province.py [--runs 3]   (or with DATABASE_URL=postgres://…)

Jawa Barat (27 regencies and cities), each with its two PKs (f and g) signed and submitted to
the Provinsi. The signed file of every PK is a real rendered PK (the Bontang Sekretariat seed,
statement and lampiran, through agreements.documents.render_pdf), the same bytes for all 54.
Prints the median time of the compilation task run in-process (WeasyPrint already imported,
as in a warm worker), the size of the reading PDF and of the ZIP, then the median server time
and the query count of the Provinsi page.
"""

import argparse
import hashlib
import io
import statistics
import time

import common

common.start("compile", media=True)

import pikepdf
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.documents import LENGKAP, render_pdf
from agreements.drafting import start_agreement
from agreements.models import Agreement, SignedDocument
from agreements.seeds import load_seed, manifest
from organisations.demo import load_demo_officials
from organisations.models import Membership, Role, Unit, UnitKind
from submissions.models import Compilation, Submission
from submissions.services import submit
from submissions.tasks import compile_province

PROVINCE = "32"  # Jawa Barat: 27 regencies and cities
YEAR = 2099  # never a real year: a shared database keeps its own PKs untouched
SEED_FILE = "bontang-2026-sekretariat.csv"


def signed_file() -> bytes:
    """A real PK as printed: the Bontang Sekretariat seed, statement and lampiran."""
    seed = next(s for s in manifest() if s.file == SEED_FILE)
    seeded = Agreement.objects.filter(unit__code=seed.unit_code, year=seed.year)
    seeded.update(status="draf")  # a rerun reloads its rows, which only a draft allows
    agreement = load_seed(seed)
    seeded.update(status="ditandatangani")  # printed as signed: no DRAF watermark
    agreement.refresh_from_db()
    return render_pdf(agreement, LENGKAP)


def clear_year(province: Unit) -> None:
    """Forget an earlier run: its rows and the files they kept in storage."""
    compilations = Compilation.objects.filter(province=province, year=YEAR)
    for compilation in compilations:
        for stored in (compilation.reading_pdf, compilation.originals_zip):
            if stored:
                stored.delete(save=False)
    compilations.delete()
    agreements = Agreement.objects.filter(unit__province=province, year=YEAR)
    Submission.objects.filter(agreement__in=agreements).delete()
    documents = SignedDocument.objects.filter(agreement__in=agreements)
    for document in documents:
        document.file.delete(save=False)
    documents.delete()
    agreements.delete()


def user_with_role(username: str, unit: Unit, role: str):
    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.get_or_create(user=user, unit=unit, role=role)
    return user


def submit_every_pk(province: Unit, content: bytes) -> int:
    """Both PKs of every regency signed (a scan of the same PK) and submitted to the Provinsi."""
    digest = hashlib.sha256(content).hexdigest()
    count = 0
    for regency in Unit.objects.filter(province=province, kind=UnitKind.KABKOTA):
        operator = user_with_role(f"bench.op.{regency.code}", regency, Role.OPERATOR)
        for unit in (regency, Unit.objects.get(parent=regency, kind=UnitKind.SEKRETARIAT_KABKOTA)):
            agreement = start_agreement(unit, YEAR)
            Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
            agreement.refresh_from_db()
            document = SignedDocument(agreement=agreement, revision=agreement.revision,
                                      method="basah", sha256=digest, is_complete=True)  # fmt: skip
            document.file.save("pk.pdf", ContentFile(content), save=True)
            submit(agreement, operator)
            count += 1
    return count


def median_ms(timings: list[float]) -> float:
    return statistics.median(timings) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    # Paid once per worker process, not per compilation.
    print(f"import weasyprint: {common.import_cost_ms('weasyprint'):.0f} ms (once per process)")
    call_command("migrate", verbosity=0)
    load_demo_officials()  # no demo login is touched
    content = signed_file()
    with pikepdf.open(io.BytesIO(content)) as pdf:
        pages_each = len(pdf.pages)
    province = Unit.objects.get(code=PROVINCE)
    clear_year(province)
    regencies = Unit.objects.filter(province=province, kind=UnitKind.KABKOTA).count()
    pks = submit_every_pk(province, content)
    compiler = user_with_role("bench.kompilasi", province, Role.COMPILER)
    print(f"database: {connection.vendor}; {province}: {regencies} regencies, {pks} signed PKs "
          f"submitted, each {pages_each} pages, {len(content) / 1024:.0f} KiB")  # fmt: skip

    timings, compilation = [], None
    for _ in range(args.runs):
        compilation = Compilation.objects.create(
            province=province, year=YEAR, requested_by=compiler
        )
        started = time.perf_counter()
        outcome = compile_province(compilation.pk)
        timings.append(time.perf_counter() - started)
        assert outcome == "selesai", Compilation.objects.get(pk=compilation.pk).error
    compilation.refresh_from_db()
    report = compilation.report
    print(
        f"compile (task, in-process): median {median_ms(timings):7.0f} ms over {args.runs} runs "
        f"(min {min(timings) * 1000:.0f}, max {max(timings) * 1000:.0f})"
    )
    print(
        f"  reading PDF: {report['total_pages']} pages ({report['front_pages']} front matter), "
        f"{compilation.reading_pdf.size / 1024 / 1024:.2f} MiB"
    )
    print(
        f"  originals ZIP: {len(report['entries'])} files + manifest, "
        f"{compilation.originals_zip.size / 1024 / 1024:.2f} MiB"
    )

    client = Client()
    client.force_login(compiler)
    url = reverse("submissions:province", args=[PROVINCE, YEAR])
    response = client.get(url)  # warm: templates compiled, connection open
    assert response.status_code == 200, response.status_code
    page_timings = []
    for _ in range(max(args.runs, 5) * 2):
        started = time.perf_counter()
        client.get(url)
        page_timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(
        f"Provinsi page ({regencies} regencies, {regencies * 2} PKs): median "
        f"{median_ms(page_timings):6.1f} ms, {len(queries)} queries, "
        f"{len(response.content) / 1024:.0f} KiB of HTML"
    )


if __name__ == "__main__":
    main()
