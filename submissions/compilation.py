"""What a KPU Provinsi sees of its PKs for a year, and the bundle it compiles for KPU.

DOMAIN.md, "Submission rules": the PKs f (KPU Kab/Kota) and g (its Sekretariat) go to KPU
through their KPU Provinsi, which compiles them, by the end of January in the unit's time zone;
the Provinsi's own PKs d and e go to KPU directly. So for a year a Provinsi expects its own d
and e and, for each Kab/Kota, an f and a g.

    province_overview(province, year, now) -> Overview
        every expected PK with its state (no PK / status / submitted / decision), what is
        missing, who is late. Four queries whatever the number of regencies; the Provinsi page
        and the completeness report of the bundle read the same answer.
    build_compilation(compilation, on_progress) -> None
        the bundle of the Kab/Kota submissions not yet sent to KPU: a reading PDF (cover, table
        of contents, completeness report, then every signed file, merged with pikepdf) and a
        ZIP of the signed files, untouched, with a manifest. Merging breaks the electronic
        signatures (LIBRARIES.md), so the ZIP is the copy that counts; the reading PDF says so.
    submit_compilation(compilation, user)
        the compiler sends a finished bundle to KPU: its submissions join it, and from then on
        national reviewers may decide them (services.reviewer_refusal).
"""

import contextlib
import csv
import datetime
import hashlib
import io
import re
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.documents.content import letterhead
from agreements.models import Agreement, AgreementStatus
from organisations.models import PaperSize, Unit, UnitKind
from organisations.signatories import PKKind
from submissions.deadlines import TIME_ZONE_NAMES, submission_deadline
from submissions.models import Compilation, CompilationStatus, Decision, Submission
from submissions.routing import Channel

# The PK each unit of a province owes, by the unit's kind (organisations.signatories).
EXPECTED_KINDS = {
    UnitKind.PROVINSI: PKKind.PROVINSI,
    UnitKind.SEKRETARIAT_PROVINSI: PKKind.SEKRETARIAT_PROVINSI,
    UnitKind.KABKOTA: PKKind.KABKOTA,
    UnitKind.SEKRETARIAT_KABKOTA: PKKind.SEKRETARIAT_KABKOTA,
}
OWN_KINDS = {UnitKind.PROVINSI, UnitKind.SEKRETARIAT_PROVINSI}
SIGNED_STATUSES = {AgreementStatus.SIGNED, AgreementStatus.DELIVERED, AgreementStatus.ACCEPTED}
SUBMITTED_STATUSES = {AgreementStatus.DELIVERED, AgreementStatus.ACCEPTED}

FRONT_MATTER_TEMPLATE = "compilation/bundle.html"
# Steps counted in `Compilation.progress` besides one per signed file: listing the PKs, the
# cover/contents/report, merging the reading PDF, the ZIP (see `current_step`).
FIXED_STEPS = 4
CHUNK = 1024 * 1024

ProgressCallback = Callable[[int, int], None]


class CompilationError(Exception):
    """The bundle cannot be built; the message says why, in Indonesian."""


class CompilationRefused(Exception):  # noqa: N818 - reads as what happened
    """The compilation may not be submitted (not finished, already sent, …); says why."""


# --- the overview ----------------------------------------------------------------------------
@dataclass
class ExpectedPK:
    """One PK a unit of the province owes for the year, and how far it got."""

    unit: Unit
    kind: str
    agreement: Agreement | None
    submission: Submission | None  # the latest submission of that PK
    deadline: datetime.datetime  # the end of January in the unit's time zone
    now: datetime.datetime

    @property
    def kind_label(self) -> str:
        return PKKind(self.kind).label

    @property
    def is_signed(self) -> bool:
        return self.agreement is not None and self.agreement.status in SIGNED_STATUSES

    @property
    def is_submitted(self) -> bool:
        return self.agreement is not None and self.agreement.status in SUBMITTED_STATUSES

    @property
    def is_missing(self) -> bool:
        return not self.is_submitted

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return self.submission.submitted_at if self.is_submitted and self.submission else None

    @property
    def submitted_at_local(self) -> datetime.datetime | None:
        if self.submitted_at is None:
            return None
        return timezone.localtime(self.submitted_at, ZoneInfo(self.unit.time_zone))

    @property
    def is_late(self) -> bool:
        """Submitted after the end of January in the unit's time zone, or still not
        submitted once it has passed."""
        if self.is_submitted:
            return self.submitted_at is not None and self.submitted_at > self.deadline
        return self.now > self.deadline

    @property
    def sent_to_kpu(self) -> bool:
        """Already part of a compilation the Provinsi submitted to KPU."""
        compilation = self.submission.compilation if self.submission else None
        return compilation is not None and compilation.submitted_at is not None

    @property
    def ready_to_compile(self) -> bool:
        """A Kab/Kota PK at its Provinsi, waiting for KPU: what the next bundle carries."""
        return (
            self.is_submitted
            and self.submission is not None
            and self.submission.channel == Channel.PROVINSI
            and self.submission.decision == Decision.PENDING
            and not self.sent_to_kpu
        )

    @property
    def state(self) -> str:
        """A short code for pages: none, progress (drafting/approving), returned, signed,
        submitted, accepted."""
        if self.agreement is None:
            return "none"
        status = self.agreement.status
        if status == AgreementStatus.ACCEPTED:
            return "accepted"
        if status == AgreementStatus.DELIVERED:
            return "submitted"
        if status == AgreementStatus.SIGNED:
            return "signed"
        if status == AgreementStatus.RETURNED:
            return "returned"
        return "progress"

    @property
    def tone(self) -> str:
        """The Bootstrap colour of the state's badge."""
        return {
            "none": "secondary",
            "progress": "warning",
            "returned": "danger",
            "signed": "info",
            "submitted": "primary",
            "accepted": "success",
        }[self.state]

    @property
    def zone(self) -> str:
        return TIME_ZONE_NAMES.get(self.unit.time_zone, "")

    @property
    def status_label(self) -> str:
        if self.agreement is None:
            return _("Belum ada PK")
        return str(self.agreement.get_status_display())

    @property
    def decision_label(self) -> str:
        if not self.submission:
            return ""
        return str(self.submission.get_decision_display())


@dataclass
class RegencyRow:
    """A KPU Kab/Kota with its PK f and its Sekretariat's PK g."""

    unit: Unit
    pks: list[ExpectedPK] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return len(self.pks) == 2 and all(pk.is_submitted for pk in self.pks)


@dataclass
class Overview:
    province: Unit
    year: int
    now: datetime.datetime
    own: list[ExpectedPK]
    regencies: list[RegencyRow]

    @cached_property
    def regency_pks(self) -> list[ExpectedPK]:
        return [pk for row in self.regencies for pk in row.pks]

    @property
    def deadline(self) -> datetime.datetime:
        return submission_deadline(self.year, self.province.time_zone)

    @property
    def zone(self) -> str:
        return TIME_ZONE_NAMES.get(self.province.time_zone, "")

    @property
    def missing(self) -> list[ExpectedPK]:
        return [pk for pk in self.regency_pks if pk.is_missing]

    @property
    def not_signed(self) -> list[ExpectedPK]:
        """PKs that exist but are not signed yet (drafting, approving, returned)."""
        return [pk for pk in self.regency_pks if pk.agreement is not None and not pk.is_signed]

    @property
    def late(self) -> list[ExpectedPK]:
        return [pk for pk in self.regency_pks if pk.is_late]

    @property
    def ready_to_compile(self) -> list[ExpectedPK]:
        return [pk for pk in self.regency_pks if pk.ready_to_compile]

    @cached_property
    def counts(self) -> dict[str, int]:
        pks = self.regency_pks
        return {
            "regencies": len(self.regencies),
            "expected": len(pks),
            "submitted": sum(pk.is_submitted for pk in pks),
            "accepted": sum(pk.state == "accepted" for pk in pks),
            "missing": len(self.missing),
            "not_signed": len(self.not_signed),
            "no_pk": sum(pk.agreement is None for pk in pks),
            "late": len(self.late),
            "ready": len(self.ready_to_compile),
            "sent_to_kpu": sum(pk.sent_to_kpu for pk in pks),
        }


def province_overview(province: Unit, year: int, now: datetime.datetime) -> Overview:
    """Every PK the province expects for `year`, in three queries (units, PKs, submissions)."""
    units = list(
        Unit.objects.filter(province=province, kind__in=EXPECTED_KINDS, is_active=True).order_by(
            "path"
        )
    )
    latest_submissions = Submission.objects.select_related("compilation", "softcopy").order_by(
        "-submitted_at", "-pk"
    )
    agreements = (
        Agreement.objects.filter(unit__province=province, unit__kind__in=EXPECTED_KINDS, year=year)
        .order_by("unit_id", "-version")
        .prefetch_related(Prefetch("submissions", queryset=latest_submissions))
    )
    latest: dict[int, Agreement] = {}
    for agreement in agreements:
        latest.setdefault(agreement.unit_id, agreement)  # the highest version of each unit

    def expected(unit: Unit) -> ExpectedPK:
        agreement = latest.get(unit.pk)
        if agreement is not None:
            agreement.unit = unit  # already loaded: templates and links need no query
        submissions = list(agreement.submissions.all()) if agreement else []
        return ExpectedPK(
            unit=unit,
            kind=EXPECTED_KINDS[unit.kind],
            agreement=agreement,
            submission=submissions[0] if submissions else None,
            deadline=submission_deadline(year, unit.time_zone),
            now=now,
        )

    own = [expected(u) for u in units if u.kind in OWN_KINDS]
    regencies = {u.pk: RegencyRow(u) for u in units if u.kind == UnitKind.KABKOTA}
    for unit in units:
        if unit.kind == UnitKind.KABKOTA:
            regencies[unit.pk].pks.insert(0, expected(unit))
        elif unit.kind == UnitKind.SEKRETARIAT_KABKOTA and unit.parent_id in regencies:
            regencies[unit.parent_id].pks.append(expected(unit))
    return Overview(province, year, now, own, list(regencies.values()))


# --- progress --------------------------------------------------------------------------------
def current_step(compilation: Compilation) -> str:
    """What the compilation is doing, for the progress bar, from its progress and total."""
    if compilation.status == CompilationStatus.QUEUED:
        return _("Menunggu giliran di antrean")
    if compilation.status == CompilationStatus.DONE:
        return _("Selesai")
    if compilation.status == CompilationStatus.FAILED:
        return _("Gagal")
    files = max(compilation.total - FIXED_STEPS, 0)
    done = compilation.progress
    if compilation.total == 0 or done < 1:
        return _("Menyusun daftar PK")
    if done < 1 + files:
        return _("Membaca berkas bertanda tangan %(n)s dari %(total)s") % {
            "n": done,
            "total": files,
        }
    if done == 1 + files:
        return _("Menyusun sampul, daftar isi dan laporan kelengkapan")
    if done == 2 + files:
        return _("Menggabungkan PDF baca")
    return _("Menyusun arsip ZIP berkas asli")


# --- the bundle ------------------------------------------------------------------------------
@dataclass
class BundleEntry:
    number: int
    pk: ExpectedPK
    file_name: str
    path: Path
    sha256: str = ""
    pages: int | None = None  # None: the file is not a PDF pikepdf can read
    start_page: int | None = None

    @property
    def submission(self) -> Submission:
        return self.pk.submission

    @property
    def document(self):
        return self.pk.submission.softcopy

    @property
    def recorded_sha256_matches(self) -> bool:
        return self.document.sha256 == self.sha256

    @property
    def sha256_lines(self) -> tuple[str, str]:
        return self.sha256[:32], self.sha256[32:]


def _ascii_slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")


def _bundle_file_name(number: int, pk: ExpectedPK) -> str:
    """ "03_64.71_f_KPU-Kota-Balikpapan.pdf": sorted as in the contents, safe in any ZIP tool."""
    suffix = Path(pk.submission.softcopy.file.name).suffix.lower() or ".pdf"
    return f"{number:02d}_{pk.unit.code}_{pk.kind}_{_ascii_slug(str(pk.unit))}{suffix}"


def _copy_from_storage(entry: BundleEntry) -> None:
    """Copy the signed file out of storage into the work folder, hashing it on the way."""
    import pikepdf

    stored = entry.document.file
    digest = hashlib.sha256()
    try:
        with stored.storage.open(stored.name, "rb") as source, open(entry.path, "wb") as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                copy.write(chunk)
    except FileNotFoundError:
        raise CompilationError(
            _("Berkas bertanda tangan %(pk)s (%(name)s) tidak ditemukan di penyimpanan.")
            % {"pk": entry.pk.agreement, "name": stored.name}
        ) from None
    entry.sha256 = digest.hexdigest()
    try:
        with pikepdf.open(entry.path) as pdf:
            entry.pages = len(pdf.pages)
    except pikepdf.PdfError:
        entry.pages = None  # kept in the ZIP, left out of the reading PDF, named in the report


def _number_pages(entries: list[BundleEntry], front_pages: int) -> int:
    """Give each readable file its first page in the reading PDF; returns the page count."""
    page = front_pages + 1
    for entry in entries:
        entry.start_page = page if entry.pages else None
        page += entry.pages or 0
    return page - 1


def _front_matter_context(compilation: Compilation, overview: Overview, entries, now) -> dict:
    province = compilation.province
    local_now = timezone.localtime(now, ZoneInfo(province.time_zone))
    with translation.override("id"):
        generated = f"{date_format(local_now, 'j F Y')} pukul {local_now:%H.%M} {overview.zone}"
        deadline = date_format(overview.deadline, "j F Y")
    short = province.short_name.strip()
    return {
        "doc": {"letterhead": letterhead(province)},
        # "KPU … SE-PROVINSI KALIMANTAN TIMUR"; in Aceh "KIP … SE-ACEH".
        "body": "KIP" if short.startswith("KIP") else "KPU",
        "region": short.removeprefix("KPU ").removeprefix("KIP "),
        "paper": PaperSize.F4.value if province.paper_size == PaperSize.F4 else PaperSize.A4.value,
        "compilation": compilation,
        "province": province,
        "year": compilation.year,
        "overview": overview,
        "counts": overview.counts,
        "entries": entries,
        "unreadable": [e for e in entries if e.pages is None],
        "mismatched": [e for e in entries if not e.recorded_sha256_matches],
        "generated": generated,
        "deadline": deadline,
    }


def render_front_matter(context: dict, entries: list[BundleEntry]) -> tuple[bytes, int]:
    """The cover, the contents and the completeness report as one PDF, and its page count.

    The contents print where each PK starts, which depends on how many pages the front matter
    itself takes: lay it out with a guess, and again with the count found until it holds
    (once more at most, in practice).
    """
    from agreements.documents.rendering import layout

    front_pages = 3  # the cover, the contents and the report start on a page each
    for _attempt in range(4):
        context["front_pages"] = front_pages
        context["total_pages"] = _number_pages(entries, front_pages)
        with translation.override("id"):
            html = render_to_string(FRONT_MATTER_TEMPLATE, context)
        document = layout(html)
        if len(document.pages) == front_pages:
            return document.write_pdf(), front_pages
        front_pages = len(document.pages)
    raise CompilationError(_("Halaman daftar isi tidak dapat dinomori secara tetap."))


def _merge_reading_pdf(front: Path, entries: list[BundleEntry], title: str, out: Path) -> int:
    """Front matter then every readable signed file, with a bookmark per PK; page count."""
    import pikepdf

    with contextlib.ExitStack() as stack:
        merged = stack.enter_context(pikepdf.new())
        # The contents' links into the report are named destinations: keep them.
        merged.add_pages_from(stack.enter_context(pikepdf.open(front)))
        with warnings.catch_warnings():
            # Plain page copies on purpose: the signature fields must not come back to life
            # as form fields of the reading copy (viewers would show them as broken
            # signatures); their stamps stay visible as the pages' annotations.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            for entry in entries:
                if entry.pages:
                    # Sources stay open until the merged file is written: pikepdf copies
                    # lazily.
                    merged.pages.extend(stack.enter_context(pikepdf.open(entry.path)).pages)
        with merged.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Sampul, daftar isi dan laporan", 0))
            for entry in entries:
                if entry.start_page:
                    label = f"{entry.number}. {entry.pk.unit} ({entry.pk.kind})"
                    outline.root.append(pikepdf.OutlineItem(label, entry.start_page - 1))
        merged.docinfo["/Title"] = title
        merged.docinfo["/Producer"] = "PK Portal (pikepdf)"
        merged.save(out)
        return len(merged.pages)


MANIFEST_COLUMNS = [
    "no", "berkas", "kode_unit", "unit", "jenis_pk", "status_pk", "revisi",
    "cara_tanda_tangan", "disampaikan_pada", "sha256", "jumlah_halaman", "halaman_pdf_baca",
]  # fmt: skip

README_TEXT = """Kompilasi Perjanjian Kinerja {province} tahun {year}

Berkas PDF dalam arsip ini adalah berkas bertanda tangan sebagaimana disampaikan oleh
masing-masing KPU/KIP Kabupaten/Kota, tanpa perubahan apa pun. Tanda tangan elektroniknya
hanya berlaku pada berkas-berkas ini, tidak pada PDF baca gabungan.

manifest.csv  : daftar berkas, unit, jenis PK dan SHA-256 masing-masing.
SHA256SUMS    : periksa keutuhan berkas dengan `sha256sum -c SHA256SUMS`.
"""


def _write_zip(entries: list[BundleEntry], compilation: Compilation, out: Path) -> None:
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(MANIFEST_COLUMNS)
    for e in entries:
        submitted = e.pk.submitted_at_local
        writer.writerow([
            e.number, e.file_name, e.pk.unit.code, str(e.pk.unit), e.pk.kind,
            e.pk.agreement.status, e.submission.revision, e.document.method,
            submitted.isoformat() if submitted else "", e.sha256,
            "" if e.pages is None else e.pages, e.start_page or "",
        ])  # fmt: skip
    sums = "".join(f"{e.sha256}  {e.file_name}\n" for e in entries)
    readme = README_TEXT.format(province=compilation.province, year=compilation.year)
    with zipfile.ZipFile(out, "w") as archive:
        for entry in entries:
            # Stored, not deflated: a PDF is compressed already, and each file stays whole.
            archive.write(entry.path, entry.file_name, compress_type=zipfile.ZIP_STORED)
        deflated = zipfile.ZIP_DEFLATED
        # UTF-8 with a byte-order mark, so that spreadsheet programs read the names right.
        archive.writestr("manifest.csv", "\ufeff" + manifest.getvalue(), compress_type=deflated)
        archive.writestr("SHA256SUMS", sums, compress_type=deflated)
        archive.writestr("BACA-SAYA.txt", readme, compress_type=deflated)


def _pk_summary(pk: ExpectedPK) -> dict:
    submitted = pk.submitted_at_local
    return {
        "unit": str(pk.unit),
        "unit_code": pk.unit.code,
        "kind": pk.kind,
        "status": pk.status_label,
        "submitted_at": submitted.isoformat() if submitted else None,
        "deadline": pk.deadline.isoformat(),
    }


def _report(overview: Overview, entries: list[BundleEntry], front_pages, total_pages, now):
    """The completeness report kept on the compilation (JSON): the page shows it too."""
    return {
        "generated_at": now.isoformat(),
        "counts": overview.counts,
        "front_pages": front_pages,
        "total_pages": total_pages,
        "submission_ids": [e.submission.pk for e in entries],
        "entries": [
            {
                **_pk_summary(e.pk),
                "number": e.number,
                "file": e.file_name,
                "sha256": e.sha256,
                "pages": e.pages,
                "start_page": e.start_page,
                "recorded_sha256_matches": e.recorded_sha256_matches,
            }
            for e in entries
        ],
        "missing": [_pk_summary(pk) for pk in overview.missing],
        "not_signed": [_pk_summary(pk) for pk in overview.not_signed],
        "late": [_pk_summary(pk) for pk in overview.late],
        "unreadable": [e.file_name for e in entries if e.pages is None],
        "sha256_mismatch": [e.file_name for e in entries if not e.recorded_sha256_matches],
    }


def build_compilation(
    compilation: Compilation,
    on_progress: ProgressCallback | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """Build the bundle and attach it to `compilation` (the caller saves the row).

    Side effects: the reading PDF and the ZIP are saved through the storage API into
    `reading_pdf` and `originals_zip`; `report`, `progress` and `total` are set on the
    instance; `on_progress(done, total)` is called after each step. Raises CompilationError
    with a message for the user when a signed file is missing from storage.
    """
    now = now or timezone.now()
    report_progress = on_progress or (lambda done, total: None)
    province = compilation.province
    overview = province_overview(province, compilation.year, now)
    ready = overview.ready_to_compile
    total = len(ready) + FIXED_STEPS
    report_progress(1, total)

    with tempfile.TemporaryDirectory(prefix="kompilasi-") as work:
        work_dir = Path(work)
        (work_dir / "asli").mkdir()
        entries = []
        for number, pk in enumerate(ready, start=1):
            name = _bundle_file_name(number, pk)
            entry = BundleEntry(number, pk, name, work_dir / "asli" / name)
            _copy_from_storage(entry)
            entries.append(entry)
            report_progress(1 + number, total)

        context = _front_matter_context(compilation, overview, entries, now)
        front_pdf, front_pages = render_front_matter(context, entries)
        front_path = work_dir / "depan.pdf"
        front_path.write_bytes(front_pdf)
        report_progress(len(entries) + 2, total)

        title = f"Kompilasi Perjanjian Kinerja {province} Tahun {compilation.year}"
        reading_path = work_dir / "baca.pdf"
        total_pages = _merge_reading_pdf(front_path, entries, title, reading_path)
        report_progress(len(entries) + 3, total)

        zip_path = work_dir / "asli.zip"
        _write_zip(entries, compilation, zip_path)
        base = f"kompilasi-pk-{province.code}-{compilation.year}-{compilation.pk}"
        with open(reading_path, "rb") as handle:
            compilation.reading_pdf.save(f"{base}-baca.pdf", File(handle), save=False)
        with open(zip_path, "rb") as handle:
            compilation.originals_zip.save(f"{base}-asli.zip", File(handle), save=False)
        compilation.report = _report(overview, entries, front_pages, total_pages, now)
        compilation.progress = compilation.total = total
        report_progress(total, total)


# --- submitting to KPU -----------------------------------------------------------------------
@transaction.atomic
def submit_compilation(compilation: Compilation, user) -> int:
    """A finished compilation goes to KPU; returns how many submissions it carries.

    Side effects: `submitted_at`/`submitted_by` set by a conditional update (a second click
    finds nothing to claim), and the bundle's Kab/Kota submissions still pending and not yet
    sent with another compilation now point at this one. The caller checks the user is a
    compiler of the province. Raises CompilationRefused with the reason.
    """
    now = timezone.now()
    claimed = Compilation.objects.filter(
        pk=compilation.pk, status=CompilationStatus.DONE, submitted_at__isnull=True
    ).update(submitted_at=now, submitted_by=user)
    if not claimed:
        current = Compilation.objects.get(pk=compilation.pk)
        if current.submitted_at:
            raise CompilationRefused(_("Kompilasi ini sudah disampaikan ke KPU."))
        raise CompilationRefused(_("Hanya kompilasi yang sudah selesai yang dapat disampaikan."))
    attached = (
        Submission.objects.filter(
            pk__in=compilation.report.get("submission_ids", []),
            channel=Channel.PROVINSI,
            destination_id=compilation.province_id,
            agreement__year=compilation.year,
            decision=Decision.PENDING,
        )
        .filter(Q(compilation__isnull=True) | Q(compilation__submitted_at__isnull=True))
        .update(compilation=compilation)
    )
    if not attached:
        raise CompilationRefused(
            _("Kompilasi ini tidak memuat PK yang masih menunggu untuk disampaikan ke KPU. "
              "Susun kompilasi baru.")
        )  # fmt: skip
    compilation.submitted_at, compilation.submitted_by = now, user
    return attached
