"""A realistic national dataset of one year's PKs, for demos and benchmarks.

`generate_national_dataset(year)` loads the national units if they are missing, then gives
every office (KPU, the Setjen and its Eselon II units, each KPU Provinsi and KPU Kab/Kota, their
Sekretariat and its Bagian/Subbagian) a PK of that year in a mixed state: about 3,300 PKs of
~45 indicator rows each (about 150,000 rows), with budget lines, a signed softcopy where the
PK was signed, submissions routed as submissions.routing says, the provinces' compilations
(some submitted to KPU, some not yet) and the reviewers' decisions, and a plausible spread of
cascade check summaries.

Everything is written with bulk inserts in batches, so it takes seconds to a few minutes on
SQLite and PostgreSQL, not hours of single saves (LockedPart's save() guard does not run on
bulk_create; the rows are consistent with the states written). The whole run is one
transaction: all or nothing.

Idempotent per year: a year that already has PKs in the chosen offices is refused
(DatasetExists) unless `replace=True`, which deletes them first, and only if every one of them
was made by this generator (its user, GENERATOR_USERNAME, is their creator): real PKs are
never replaced. One small PDF is stored once per year through the storage API and shared by
every signed document.

The parts: `plan` (each PK's outcome and times), `people` (the generator's users, officials'
names and NIPs), `pks` (the PKs and their lampiran rows), `submitting` (signed documents,
compilations, submissions and their history), `cleanup` (the year's existing PKs and
delete_year). This module runs them in one transaction.
"""

import datetime
import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from organisations.models import Position, PositionKind, Unit, UnitKind
from organisations.national import load_national_units
from submissions.dataset.cleanup import delete_year, existing_agreements, province_scope
from submissions.dataset.people import (
    FIRST_NAMES,
    GENERATOR_USERNAME,
    LAST_NAMES,
    REVIEWERS,
    generator_users,
)
from submissions.dataset.pks import (
    PROGRAMME_CODES,
    TEMPLATE_SEEDS,
    Texts,
    template_rows,
    write_agreements,
    write_lampiran,
)
from submissions.dataset.plan import (
    OUTCOMES,
    PROVINCE_STAGES,
    RETURN_NOTES,
    WEIGHTS,
    Clock,
    PlannedPK,
    PlannedSubmission,
    plan_pks,
    weighted,
)
from submissions.dataset.submitting import (
    sample_pdf,
    write_compilations,
    write_signed_documents,
    write_submissions,
)

__all__ = [
    "BATCH",
    "FIRST_NAMES",
    "GENERATOR_USERNAME",
    "LAST_NAMES",
    "OUTCOMES",
    "PROGRAMME_CODES",
    "PROVINCE_STAGES",
    "RETURN_NOTES",
    "REVIEWERS",
    "TEMPLATE_SEEDS",
    "WEIGHTS",
    "DatasetExists",
    "DatasetReport",
    "PlannedPK",
    "PlannedSubmission",
    "delete_year",
    "generate_national_dataset",
]

BATCH = 250  # PKs per round of bulk inserts


class DatasetExists(Exception):  # noqa: N818 - reads as what happened
    """The year already has PKs in these offices; the message says what to do."""


@dataclass
class DatasetReport:
    agreements: int = 0
    indicators: int = 0
    budget_lines: int = 0
    signed_documents: int = 0
    submissions: int = 0
    compilations: int = 0
    replaced: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)

    def __str__(self):
        states = ", ".join(f"{s} {n}" for s, n in sorted(self.statuses.items()))
        return (
            f"{self.agreements} PK ({states}); {self.indicators} baris indikator, "
            f"{self.budget_lines} baris anggaran, {self.signed_documents} dokumen bertanda "
            f"tangan, {self.submissions} penyampaian, {self.compilations} kompilasi; "
            f"{self.seconds:.1f} detik"
        )


def generate_national_dataset(
    year: int,
    *,
    seed: int = 1,
    provinces=None,
    indicators_per_pk: int = 45,
    replace: bool = False,
    now: datetime.datetime | None = None,
    progress=None,
) -> DatasetReport:
    """Generate the dataset of `year` (see the module docstring).

    `provinces`: province codes ("64", "96") to limit it to the central offices and those
    provinces. Raises DatasetExists when the year already has PKs there and `replace` is
    false, or when some of them were not made by this generator.
    """
    started = time.monotonic()
    rng = random.Random(f"{seed}:{year}")
    now = now or timezone.now()
    say = progress or (lambda message: None)
    report = DatasetReport()
    with transaction.atomic():
        if not Unit.objects.filter(kind=UnitKind.KABKOTA).exists():
            say("Memuat unit nasional…")
            load_national_units()
        scope = province_scope(provinces)
        generator, reviewers = generator_users()
        existing = existing_agreements(year, scope)
        if existing.exists():
            total = existing.count()
            if not replace:
                raise DatasetExists(
                    f"Tahun {year} sudah berisi {total} PK pada unit-unit ini. Jalankan dengan "
                    f"--replace untuk menggantinya dengan data demo baru."
                )
            foreign = existing.exclude(created_by=generator).count()
            if foreign:
                raise DatasetExists(
                    f"Tahun {year} berisi {foreign} PK yang tidak dibuat oleh generator data "
                    f"demo; data itu tidak akan diganti. Pilih tahun lain."
                )
            say(f"Menghapus {total} PK demo tahun {year}…")
            report.replaced = delete_year(year, scope)
        _write(year, scope, rng, now, generator, reviewers, indicators_per_pk, report, say)
        # Fresh planner statistics once the rows are in (run after the commit, when the
        # caller's transaction ends): before them PostgreSQL reads one PK's indicator rows
        # with a sequential scan of the whole table (161 ms instead of 0.5 ms).
        transaction.on_commit(_analyze)
    report.seconds = time.monotonic() - started
    return report


ANALYZED_TABLES = (
    "agreements_agreement",
    "agreements_lampiranprogramme",
    "agreements_lampirankegiatan",
    "agreements_sasaran",
    "agreements_indicatorrow",
    "agreements_budgetline",
    "agreements_signeddocument",
    "submissions_submission",
    "submissions_compilation",
)


def _analyze() -> None:
    """ANALYZE the tables the generator filled (PostgreSQL and SQLite both know it)."""
    with connection.cursor() as cursor:
        for table in ANALYZED_TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _write(year, scope, rng, now, generator, reviewers, indicators_per_pk, report, say):
    clock = Clock(year, now, rng)
    units = list(
        Unit.objects.filter(scope, is_active=True)
        .values(
            "id",
            "code",
            "kind",
            "short_name",
            "parent_id",
            "province_id",
            "satker_id",
            "city",
            "time_zone",
            "region_code",
            "path",
        )
        .order_by("path")
    )
    by_id = {u["id"]: u for u in units}
    kpu = next((u for u in units if u["kind"] == UnitKind.KPU), None)
    heads = dict(
        Position.objects.exclude(kind=PositionKind.ANGGOTA).values_list("unit_id", "title")
    )
    province_ids = sorted(u["id"] for u in units if u["kind"] == UnitKind.PROVINSI)
    stages = {pid: weighted(rng, PROVINCE_STAGES) for pid in province_ids}
    compile_at = {
        pid: clock.between(clock.fraction(0.55), clock.fraction(0.65)) for pid in province_ids
    }
    plans = plan_pks(units, stages, clock, rng, compile_at)
    say(f"{len(plans)} PK direncanakan untuk {len(units)} unit.")

    # One shared softcopy file per year, stored through the storage API.
    pdf = sample_pdf(year)
    pdf_name = f"signed/dataset/pk-contoh-{year}.pdf"
    if not default_storage.exists(pdf_name):
        pdf_name = default_storage.save(pdf_name, ContentFile(pdf))
    pdf_sha = hashlib.sha256(pdf).hexdigest()

    compilations = write_compilations(year, stages, compile_at, plans, generator, clock)
    report.compilations = len(compilations)
    texts = Texts(template_rows())
    for start in range(0, len(plans), BATCH):
        chunk = plans[start : start + BATCH]
        _write_chunk(
            year,
            chunk,
            by_id,
            kpu,
            heads,
            texts,
            rng,
            clock,
            generator,
            reviewers,
            compilations,
            indicators_per_pk,
            pdf_name,
            pdf_sha,
            report,
        )
        say(f"  {min(start + BATCH, len(plans))}/{len(plans)} PK ditulis")
    report.agreements = len(plans)
    report.statuses = Counter(p.status for p in plans)


def _write_chunk(
    year,
    chunk,
    by_id,
    kpu,
    heads,
    texts,
    rng,
    clock,
    generator,
    reviewers,
    compilations,
    indicators_per_pk,
    pdf_name,
    pdf_sha,
    report,
):
    """One round of bulk inserts: the PKs, their lampiran, signed documents and submissions,
    in that order (the order of the random draws, so a seed gives the same dataset)."""
    agreements = write_agreements(year, chunk, by_id, heads, rng, clock, generator)
    write_lampiran(chunk, agreements, by_id, texts, rng, indicators_per_pk, report)
    documents = write_signed_documents(chunk, agreements, generator, pdf_name, pdf_sha, report)
    write_submissions(
        year,
        chunk,
        agreements,
        documents,
        kpu,
        rng,
        clock,
        generator,
        reviewers,
        compilations,
        report,
    )
