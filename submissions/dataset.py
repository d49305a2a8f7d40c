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
"""

import datetime
import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementEvent,
    BudgetLine,
    CheckAcceptance,
    IndicatorRow,
    LampiranKegiatan,
    LampiranProgramme,
    Notification,
    Sasaran,
    Signature,
    SignatureMethod,
    SignedDocument,
)
from organisations.models import Membership, Position, PositionKind, Role, Unit, UnitKind
from organisations.national import load_national_units
from organisations.signatories import RULES, PKKind
from submissions.models import (
    Compilation,
    CompilationStatus,
    Decision,
    OutgoingDelivery,
    Submission,
)
from submissions.routing import MINISTRIES, Channel, route_for

GENERATOR_USERNAME = "generator.dataset"
REVIEWERS = (
    ("dataset.perencanaan", "setjen.biro-perencanaan", Role.REVIEWER_PERENCANAAN),
    ("dataset.inspektorat", "setjen.inspektorat", Role.REVIEWER_INSPEKTORAT),
)
BATCH = 250  # PKs per round of bulk inserts
TEMPLATE_SEEDS = ("bontang-2026-sekretariat.csv", "sorong-2024-sekretariat.csv")
PROGRAMME_CODES = {
    "Program Penyelenggaraan Pemilihan Umum": "076.01.CQ",
    "Program Penyelenggaraan Pemilu Dalam Proses Konsolidasi Demokrasi": "076.01.CQ",
    "Program Dukungan Manajemen": "076.01.WA",
}
RETURN_NOTES = (
    "Target IKU di bawah target nasional untuk indikator yang sama.",
    "Anggaran pada lampiran tidak sama dengan pagu DIPA.",
    "Pindaian halaman tanda tangan tidak terbaca; unggah ulang pindaian yang jelas.",
    "Indikator PK Subbagian belum seluruhnya tercantum pada PK Sekretariat.",
    "Tanggal PK lebih dari 30 hari setelah pengesahan DIPA; mohon dijelaskan.",
    "Satuan target tidak konsisten dengan IKU yang ditetapkan.",
)
FIRST_NAMES = (
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Oktaviani",
    "Putu",
    "Rahmat",
    "Sri",
    "Teguh",
    "Umar",
    "Wayan",
    "Yohanes",
    "Zainal",
    "Maria",
    "Abdul",
    "Siti",
    "Bambang",
    "Ratna",
    "Hendra",
    "Yuliana",
)
LAST_NAMES = (
    "Saputra",
    "Wijaya",
    "Siregar",
    "Nasution",
    "Lubis",
    "Pratama",
    "Hidayat",
    "Kurniawan",
    "Santoso",
    "Wibowo",
    "Rumbiak",
    "Kambuaya",
    "Manurung",
    "Daulay",
    "Setiawan",
    "Harahap",
    "Sinaga",
    "Tanjung",
    "Lestari",
    "Rahman",
    "Mandagi",
    "Pattipeilohy",
    "Ginting",
    "Purba",
    "Suryani",
    "Halim",
)


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


# --- what each PK will be -------------------------------------------------------------------
# An outcome is a PK's story: its final status, and its submissions as (decision) per revision.
OUTCOMES = {
    "draf": ("draf", ()),
    "diajukan": ("diajukan", ()),
    "disetujui": ("disetujui", ()),
    "ditandatangani": ("ditandatangani", ()),
    "kembali_penyetuju": ("dikembalikan", ()),  # returned by its approver, never submitted
    "disampaikan": ("disampaikan", (Decision.PENDING,)),
    "disampaikan_ulang": ("disampaikan", (Decision.RETURNED, Decision.PENDING)),
    "diterima": ("diterima", (Decision.ACCEPTED,)),
    "diterima_ulang": ("diterima", (Decision.RETURNED, Decision.ACCEPTED)),
    "kembali_reviu": ("dikembalikan", (Decision.RETURNED,)),
}
# Weights per group. Kab/Kota PKs depend on how far their province is: a reviewer decides
# them only once the province's compilation was submitted to KPU.
WEIGHTS = {
    "kpu": {
        "draf": 6,
        "diajukan": 4,
        "disetujui": 4,
        "ditandatangani": 8,
        "disampaikan": 22,
        "disampaikan_ulang": 4,
        "diterima": 34,
        "diterima_ulang": 6,
        "kembali_reviu": 9,
        "kembali_penyetuju": 3,
    },
    "kabkota:submitted": {
        "tanpa": 1.5,
        "draf": 4,
        "diajukan": 3,
        "disetujui": 3,
        "ditandatangani": 6,
        "disampaikan": 14,
        "diterima": 50,
        "kembali_reviu": 15,
        "kembali_penyetuju": 3,
    },
    "kabkota:compiled": {
        "tanpa": 1.5,
        "draf": 5,
        "diajukan": 5,
        "disetujui": 5,
        "ditandatangani": 12,
        "disampaikan": 68,
        "kembali_penyetuju": 4,
    },
    "kabkota:collecting": {
        "tanpa": 2,
        "draf": 20,
        "diajukan": 14,
        "disetujui": 12,
        "ditandatangani": 20,
        "disampaikan": 28,
        "kembali_penyetuju": 4,
    },
    "internal": {
        "tanpa": 1,
        "draf": 10,
        "diajukan": 8,
        "disetujui": 8,
        "ditandatangani": 14,
        "disampaikan": 14,
        "diterima": 36,
        "diterima_ulang": 4,
        "kembali_reviu": 4,
        "kembali_penyetuju": 2,
    },
}
PROVINCE_STAGES = {"submitted": 45, "compiled": 25, "collecting": 30}


@dataclass
class PlannedSubmission:
    revision: int
    decision: str
    submitted_at: datetime.datetime
    decided_at: datetime.datetime | None = None
    note: str = ""


@dataclass
class PlannedPK:
    unit: dict
    pk_kind: str
    outcome: str
    status: str
    revision: int
    submissions: list[PlannedSubmission]
    stage: str = ""


def _weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Clock:
    """Times inside the window the dataset pretends to be at: never after now."""

    def __init__(self, year: int, now: datetime.datetime, rng: random.Random):
        wib = self.wib = ZoneInfo("Asia/Jakarta")
        end = min(now, datetime.datetime(year, 2, 28, 16, tzinfo=wib))
        self.end = end
        self.start = end - datetime.timedelta(days=70)
        self.rng = rng

    def between(self, start, end) -> datetime.datetime:
        start, end = max(start, self.start), min(end, self.end)
        if end <= start:
            return end
        seconds = int((end - start).total_seconds())
        moment = start + datetime.timedelta(seconds=self.rng.randrange(seconds))
        # Office hours in Jakarta, on the hour: plausible, and few distinct values.
        moment = moment.astimezone(self.wib).replace(
            hour=self.rng.choice((9, 10, 11, 13, 14, 15)), minute=0, second=0, microsecond=0
        )
        return min(max(moment, start), end)

    def fraction(self, share: float) -> datetime.datetime:
        return self.start + (self.end - self.start) * share


def _group(unit: dict) -> str:
    kind = RULES[unit["kind"]].pk_kind
    if kind == PKKind.SUBUNIT:
        return "internal"
    if kind in {PKKind.KABKOTA, PKKind.SEKRETARIAT_KABKOTA}:
        return "kabkota"
    return "kpu"


def _plan(
    units: list[dict], stages: dict, clock: _Clock, rng: random.Random, compile_at: dict
) -> list[PlannedPK]:
    plans = []
    for unit in units:
        group = _group(unit)
        stage = stages.get(unit["province_id"], "") if group == "kabkota" else ""
        weights = WEIGHTS[f"{group}:{stage}" if stage else group]
        outcome = _weighted(rng, weights)
        if outcome == "tanpa":
            continue
        plans.append(_planned(unit, outcome, stage, clock, rng, compile_at))
    # Small subsets must still show every state: give a missing one to a KPU-routed PK.
    present = {p.status for p in plans}
    flexible = [p for p in plans if _group(p.unit) == "kpu"]
    for outcome, (status, _) in OUTCOMES.items():
        if status not in present and flexible:
            chosen = flexible.pop(rng.randrange(len(flexible)))
            plans[plans.index(chosen)] = _planned(chosen.unit, outcome, "", clock, rng, compile_at)
            present.add(status)
    return plans


def _planned(unit, outcome, stage, clock: _Clock, rng, compile_at) -> PlannedPK:
    status, decisions = OUTCOMES[outcome]
    submissions = []
    if stage:  # Kab/Kota: submitted before the compilation, decided after it was submitted
        compiled = compile_at[unit["province_id"]]
        latest = compiled - datetime.timedelta(days=1) if stage != "collecting" else clock.end
        moment = clock.between(clock.start, latest)
        for revision, decision in enumerate(decisions, start=1):
            planned = PlannedSubmission(revision, decision, moment)
            if decision != Decision.PENDING:
                planned.decided_at = clock.between(compiled + datetime.timedelta(days=2), clock.end)
            submissions.append(planned)
    else:
        moment = clock.between(clock.start, clock.fraction(0.7 if len(decisions) < 2 else 0.4))
        for revision, decision in enumerate(decisions, start=1):
            planned = PlannedSubmission(revision, decision, moment)
            if decision != Decision.PENDING:
                planned.decided_at = clock.between(
                    moment + datetime.timedelta(days=1), moment + datetime.timedelta(days=12)
                )
                moment = clock.between(
                    planned.decided_at + datetime.timedelta(days=2),
                    planned.decided_at + datetime.timedelta(days=14),
                )
            submissions.append(planned)
    for planned in submissions:
        if planned.decision == Decision.RETURNED:
            planned.note = rng.choice(RETURN_NOTES)
    returned = sum(s.decision == Decision.RETURNED for s in submissions)
    revision = 1 + returned + (outcome == "kembali_penyetuju")
    return PlannedPK(
        unit, RULES[unit["kind"]].pk_kind, outcome, status, revision, submissions, stage
    )


def _checks(rng: random.Random, status: str) -> tuple[int | None, int | None]:
    """A plausible check summary: drafts carry errors; submitted PKs rarely do (a later change
    in their family can still raise one)."""
    roll = rng.random()
    if status in {"draf", "dikembalikan"}:
        if roll < 0.2:
            return None, None
        if roll < 0.45:
            return rng.randint(1, 5), rng.randint(0, 6)
        return (0, rng.randint(1, 6)) if roll < 0.75 else (0, 0)
    if roll < 0.02:
        return None, None
    if roll < 0.06:
        return rng.randint(1, 2), rng.randint(0, 3)
    return (0, rng.randint(1, 4)) if roll < 0.38 else (0, 0)


# --- people and text ------------------------------------------------------------------------
def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _nip(rng: random.Random) -> str:
    born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(9000))
    appointed = (rng.randint(1990, 2018), rng.randint(1, 12))
    return (
        f"{born:%Y%m%d}{appointed[0]:04d}{appointed[1]:02d}{rng.choice('12')}"
        f"{rng.randint(1, 999):03d}"
    )


def _sample_pdf(year: int) -> bytes:
    """A one-page PDF that says it is demo data (valid enough for any PDF reader)."""
    text = f"Contoh softcopy PK {year} - data demo PK Portal".encode()
    stream = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def _template_rows():
    """The indicator rows of the two Sekretariat seeds: the pool each PK draws from."""
    from agreements.seeds import SEED_DIR
    from agreements.spreadsheet import parse_lampiran

    rows, seen = [], set()
    for name in TEMPLATE_SEEDS:
        parsed = parse_lampiran((SEED_DIR / name).read_bytes(), name)
        for row in parsed.rows:
            if row.indikator and row.indikator not in seen:
                seen.add(row.indikator)
                rows.append(row)
    return rows


class _Texts:
    """The seed texts with the seed office's names replaced by each office's own."""

    def __init__(self, pool):
        self.pool = pool
        self.cache: dict[int, list[tuple]] = {}

    def for_satker(self, satker: dict | None) -> list[tuple]:
        key = satker["id"] if satker else 0
        if key not in self.cache:
            body = satker["short_name"] if satker else "KPU"
            region = body.split(" ", 1)[1] if " " in body else "Indonesia"
            city = (satker or {}).get("city") or "Jakarta"
            pairs = [
                ("KPU Kota Bontang", body),
                ("KPU Kota Sorong", body),
                ("Kota Bontang", region),
                ("Kota Sorong", region),
                ("Bontang", city),
                ("Sorong", city),
            ]

            def local(text: str) -> str:
                for old, new in pairs:
                    text = text.replace(old, new)
                return text

            self.cache[key] = [
                (
                    row.program,
                    row.kegiatan_kode,
                    local(row.kegiatan),
                    local(row.sasaran),
                    local(row.indikator),
                    row.target,
                )
                for row in self.pool
            ]
        return self.cache[key]


# --- the generator --------------------------------------------------------------------------
def _scope(province_codes) -> Q:
    if not province_codes:
        return Q()
    return Q(province__isnull=True) | Q(province__code__in=list(province_codes))


def _generator_users():
    users = get_user_model().objects
    generator, _ = users.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"first_name": "Generator", "last_name": "data demo", "is_active": False},
    )
    reviewers = []
    for username, unit_code, role in REVIEWERS:
        reviewer, created = users.get_or_create(
            username=username, defaults={"first_name": "Reviewer", "last_name": "(data demo)"}
        )
        if created:
            reviewer.set_unusable_password()
            reviewer.save(update_fields=["password"])
        unit = Unit.objects.filter(code=unit_code).first()
        if unit:
            Membership.objects.get_or_create(user=reviewer, unit=unit, role=role)
        reviewers.append(reviewer)
    return generator, reviewers


def _existing(year: int, scope: Q):
    return Agreement.objects.filter(year=year).filter(
        unit__in=Unit.objects.filter(scope).values("pk")
    )


def delete_year(year: int, scope: Q | None = None) -> int:
    """Delete the PKs of `year` in `scope` (all offices by default) and everything hanging
    from them, bottom up so that each step is one DELETE. Returns the number of PKs deleted."""
    from auditlog.context import disable_auditlog

    scope = scope if scope is not None else Q()
    agreements = _existing(year, scope)
    ids = agreements.values("pk")
    count = agreements.count()
    AgreementEvent.objects.filter(agreement__in=ids).delete()
    OutgoingDelivery.objects.filter(submission__agreement__in=ids).delete()
    compilations = list(
        Submission.objects.filter(agreement__in=ids, compilation__isnull=False)
        .values_list("compilation_id", flat=True)
        .distinct()
    )
    Submission.objects.filter(agreement__in=ids).delete()
    Compilation.objects.filter(pk__in=compilations, submissions__isnull=True).delete()
    Signature.objects.filter(document__agreement__in=ids).delete()
    SignedDocument.objects.filter(agreement__in=ids).delete()
    IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement__in=ids).delete()
    Sasaran.objects.filter(kegiatan__programme__agreement__in=ids).delete()
    LampiranKegiatan.objects.filter(programme__agreement__in=ids).delete()
    LampiranProgramme.objects.filter(agreement__in=ids).delete()
    BudgetLine.objects.filter(agreement__in=ids).delete()
    CheckAcceptance.objects.filter(agreement__in=ids).delete()
    Notification.objects.filter(agreement__in=ids).delete()
    with disable_auditlog():
        agreements.delete()
    return count


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
        scope = _scope(provinces)
        generator, reviewers = _generator_users()
        existing = _existing(year, scope)
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
    report.seconds = time.monotonic() - started
    return report


def _write(year, scope, rng, now, generator, reviewers, indicators_per_pk, report, say):
    clock = _Clock(year, now, rng)
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
    stages = {pid: _weighted(rng, PROVINCE_STAGES) for pid in province_ids}
    compile_at = {
        pid: clock.between(clock.fraction(0.55), clock.fraction(0.65)) for pid in province_ids
    }
    plans = _plan(units, stages, clock, rng, compile_at)
    say(f"{len(plans)} PK direncanakan untuk {len(units)} unit.")

    # One shared softcopy file per year, stored through the storage API.
    pdf = _sample_pdf(year)
    pdf_name = f"signed/dataset/pk-contoh-{year}.pdf"
    if not default_storage.exists(pdf_name):
        pdf_name = default_storage.save(pdf_name, ContentFile(pdf))
    pdf_sha = hashlib.sha256(pdf).hexdigest()

    compilations = _compilations(year, stages, compile_at, plans, generator, clock)
    report.compilations = len(compilations)
    texts = _Texts(_template_rows())
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


def _compilations(year, stages, compile_at, plans, generator, clock) -> dict[int, Compilation]:
    """One compilation per province that has compiled: done, and submitted to KPU or not."""
    counts = Counter(
        p.unit["province_id"]
        for p in plans
        if p.stage in {"submitted", "compiled"} and p.submissions
    )
    made = []
    for province_id, stage in stages.items():
        if stage not in {"submitted", "compiled"}:
            continue
        compiled = compile_at[province_id]
        made.append(
            Compilation(
                province_id=province_id,
                year=year,
                status=CompilationStatus.DONE,
                progress=counts[province_id],
                total=counts[province_id],
                report={"dataset": True},
                requested_by=generator,
                finished_at=compiled,
                submitted_at=compiled + datetime.timedelta(hours=20)
                if stage == "submitted"
                else None,
                submitted_by=generator if stage == "submitted" else None,
            )
        )
    Compilation.objects.bulk_create(made)
    return {c.province_id: c for c in made}


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
    agreements = []
    for plan in chunk:
        unit = plan.unit
        parent = by_id.get(unit["parent_id"])
        single = plan.pk_kind in {PKKind.KPU, PKKind.PROVINSI, PKKind.KABKOTA}
        # Commissioners (every Ketua) usually have no NIP; civil servants do.
        ketua_approves = plan.pk_kind in {
            PKKind.SETJEN,
            PKKind.SEKRETARIAT_PROVINSI,
            PKKind.SEKRETARIAT_KABKOTA,
        }
        errors, warnings = _checks(rng, plan.status)
        signed = plan.status in {"ditandatangani", "disampaikan", "diterima"} or plan.submissions
        first_sent = plan.submissions[0].submitted_at if plan.submissions else clock.end
        agreements.append(
            Agreement(
                unit_id=unit["id"],
                year=year,
                version=1,
                status=plan.status,
                revision=plan.revision,
                pk_kind=plan.pk_kind,
                pihak_pertama_name=_name(rng),
                pihak_pertama_position=heads.get(unit["id"], ""),
                pihak_pertama_nip="" if single else _nip(rng),
                pihak_kedua_name="" if single else _name(rng),
                pihak_kedua_position="" if single or not parent else heads.get(parent["id"], ""),
                pihak_kedua_nip="" if single or ketua_approves else _nip(rng),
                place=unit["city"] or (by_id.get(unit["satker_id"]) or {}).get("city", ""),
                sign_date=(first_sent - datetime.timedelta(days=rng.randint(1, 6))).date()
                if signed
                else None,
                renstra_reference="Renstra KPU 2025–2029",
                rkt_reference=f"RKT {year}",
                rka_reference=f"RKA-K/L {year}",
                dipa_number=f"SP DIPA-076.01.2.{unit['id']:06d}/{year}",
                dipa_date=datetime.date(year - 1, 12, rng.randint(2, 20)),
                check_errors=errors,
                check_warnings=warnings,
                created_by=generator,
            )
        )
    Agreement.objects.bulk_create(agreements, batch_size=500)

    # The lampiran: programme → kegiatan → sasaran → indicator rows, and a budget per kegiatan.
    programmes, kegiatan, sasaran, indicators, budgets = [], [], [], [], []
    for plan, agreement in zip(chunk, agreements, strict=True):
        satker = by_id.get(plan.unit["satker_id"])
        pool = texts.for_satker(satker)
        size = max(1, min(len(pool), round(indicators_per_pk * rng.uniform(0.85, 1.15))))
        picked = sorted(rng.sample(range(len(pool)), size))
        tree: dict = {}
        for index in picked:
            programme_name, kegiatan_code, kegiatan_name, sasaran_text, text, target = pool[index]
            branch = tree.setdefault(programme_name, {}).setdefault(
                (kegiatan_code, kegiatan_name), {}
            )
            branch.setdefault(sasaran_text, []).append((text, target))
        for p_pos, (programme_name, kegiatan_tree) in enumerate(tree.items()):
            programme = LampiranProgramme(
                agreement=agreement,
                position=p_pos,
                name=programme_name,
                code=PROGRAMME_CODES.get(programme_name, ""),
            )
            programmes.append(programme)
            for k_pos, ((code, name), sasaran_tree) in enumerate(kegiatan_tree.items()):
                item = LampiranKegiatan(programme=programme, position=k_pos, code=code, name=name)
                kegiatan.append(item)
                budgets.append(
                    BudgetLine(
                        agreement=agreement,
                        position=len(budgets),
                        programme_name=programme_name,
                        programme_code=programme.code,
                        kegiatan_code=code,
                        kegiatan_name=name,
                        amount=rng.randrange(2_000, 900_000) * 1000,
                    )
                )
                for s_pos, (text, rows) in enumerate(sasaran_tree.items()):
                    goal = Sasaran(kegiatan=item, position=s_pos, text=text)
                    sasaran.append(goal)
                    for i_pos, (indicator, target) in enumerate(rows):
                        row = IndicatorRow(sasaran=goal, position=i_pos, text=indicator)
                        row.set_target(target)
                        indicators.append(row)
    LampiranProgramme.objects.bulk_create(programmes, batch_size=1000)
    LampiranKegiatan.objects.bulk_create(kegiatan, batch_size=1000)
    Sasaran.objects.bulk_create(sasaran, batch_size=1000)
    IndicatorRow.objects.bulk_create(indicators, batch_size=1000)
    BudgetLine.objects.bulk_create(budgets, batch_size=1000)
    report.indicators += len(indicators)
    report.budget_lines += len(budgets)

    # Signed documents: one per signed revision, all sharing the stored file.
    documents: dict[tuple[int, int], SignedDocument] = {}
    for plan, agreement in zip(chunk, agreements, strict=True):
        revisions = {s.revision for s in plan.submissions}
        if plan.status == "ditandatangani":
            revisions.add(plan.revision)
        method = (
            SignatureMethod.WET
            if route_for(plan.pk_kind).needs_scan
            else SignatureMethod.ELECTRONIC
        )
        for revision in sorted(revisions):
            documents[(agreement.pk, revision)] = SignedDocument(
                agreement=agreement,
                revision=revision,
                method=method,
                file=pdf_name,
                sha256=pdf_sha,
                page_count=1,
                is_complete=True,
                created_by=generator,
            )
    SignedDocument.objects.bulk_create(documents.values(), batch_size=1000)
    report.signed_documents += len(documents)

    # Submissions, their decisions, hardcopies and the history rows of each transition.
    submissions, sent_times, events, event_times, deliveries = [], [], [], [], []
    for plan, agreement in zip(chunk, agreements, strict=True):
        route = route_for(plan.pk_kind)
        unit = plan.unit
        destination = {
            Channel.KPU: kpu["id"] if kpu else None,
            Channel.PROVINSI: unit["province_id"],
            Channel.INTERNAL: unit["parent_id"],
        }.get(route.channel)
        compilation = compilations.get(unit["province_id"]) if route.compiled_by_province else None
        if plan.outcome == "kembali_penyetuju":
            events.append(
                AgreementEvent(
                    agreement=agreement,
                    revision=plan.revision,
                    action="return",
                    from_status="diajukan",
                    to_status="dikembalikan",
                    note=rng.choice(RETURN_NOTES),
                    actor=generator,
                )
            )
            event_times.append(clock.between(clock.start, clock.end))
        for planned in plan.submissions:
            decided = planned.decision != Decision.PENDING
            reviewer = rng.choice(reviewers) if decided and route.reviewed_nationally else None
            sent_on = planned.submitted_at.date()
            submission = Submission(
                agreement=agreement,
                revision=planned.revision,
                channel=route.channel,
                destination_id=destination,
                softcopy=documents[(agreement.pk, planned.revision)],
                submitted_by=generator,
                compilation=compilation,
                decision=planned.decision,
                decided_by=reviewer or (generator if decided else None),
                decided_at=planned.decided_at,
                decision_note=planned.note,
            )
            if route.needs_hardcopy and rng.random() < 0.85:
                submission.hardcopy_sent_on = sent_on + datetime.timedelta(days=rng.randint(0, 3))
                if rng.random() < 0.7:
                    submission.hardcopy_received_on = min(
                        submission.hardcopy_sent_on + datetime.timedelta(days=rng.randint(2, 7)),
                        clock.end.date(),
                    )
                    if route.compiled_by_province:
                        submission.archive_location = (
                            f"Lemari arsip PK {year}, rak {rng.randint(1, 6)}"
                        )
            submissions.append(submission)
            sent_times.append(planned.submitted_at)
            events.append(
                AgreementEvent(
                    agreement=agreement,
                    revision=planned.revision,
                    action="deliver",
                    from_status="ditandatangani",
                    to_status="disampaikan",
                    actor=generator,
                )
            )
            event_times.append(planned.submitted_at)
            if decided:
                accepted = planned.decision == Decision.ACCEPTED
                events.append(
                    AgreementEvent(
                        agreement=agreement,
                        revision=planned.revision + (0 if accepted else 1),
                        action="accept" if accepted else "review_return",
                        from_status="disampaikan",
                        to_status="diterima" if accepted else "dikembalikan",
                        note=planned.note,
                        actor=reviewer or generator,
                    )
                )
                event_times.append(planned.decided_at)
            if route.channel == Channel.MINISTRIES:
                for number, ministry in enumerate(MINISTRIES, start=1):
                    deliveries.append((submission, ministry, sent_on, f"TT/{year}/{number:02d}"))
    Submission.objects.bulk_create(submissions, batch_size=500)
    for submission, moment in zip(submissions, sent_times, strict=True):
        submission.submitted_at = moment  # auto_now_add set it to now on insert
    Submission.objects.bulk_update(submissions, ["submitted_at"], batch_size=500)
    AgreementEvent.objects.bulk_create(events, batch_size=1000)
    for event, moment in zip(events, event_times, strict=True):
        event.at = moment
    AgreementEvent.objects.bulk_update(events, ["at"], batch_size=500)
    OutgoingDelivery.objects.bulk_create(
        [
            OutgoingDelivery(submission=s, recipient=r, sent_on=d, receipt_number=n)
            for s, r, d, n in deliveries
        ]
    )
    report.submissions += len(submissions)
