"""The pieces of a compilation's bundle: the signed files copied out of storage, the reading
PDF they are merged into with pikepdf, the ZIP of the untouched files with its manifest, and
the completeness report kept on the compilation.

Merging breaks the electronic signatures (LIBRARIES.md), so the ZIP is the copy that counts;
the reading PDF says so. `build_compilation` (the package) runs these steps in order.
"""

import contextlib
import csv
import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from django.utils.translation import gettext as _

from submissions.compilation.overview import ExpectedPK, Overview
from submissions.models import Compilation, Submission

CHUNK = 1024 * 1024


class CompilationError(Exception):
    """The bundle cannot be built; the message says why, in Indonesian."""


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


def bundle_file_name(number: int, pk: ExpectedPK) -> str:
    """ "03_64.71_f_KPU-Kota-Balikpapan.pdf": sorted as in the contents, safe in any ZIP tool."""
    suffix = Path(pk.submission.softcopy.file.name).suffix.lower() or ".pdf"
    return f"{number:02d}_{pk.unit.code}_{pk.kind}_{_ascii_slug(str(pk.unit))}{suffix}"


def copy_from_storage(entry: BundleEntry) -> None:
    """Copy the signed file out of storage into the work folder, hashing it on the way."""

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


def merge_reading_pdf(front: Path, entries: list[BundleEntry], title: str, out: Path) -> int:
    """Front matter then every readable signed file, with a bookmark per PK; page count."""

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


def write_zip(entries: list[BundleEntry], compilation: Compilation, out: Path) -> None:
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


def completeness_report(
    overview: Overview, entries: list[BundleEntry], front_pages, total_pages, now
):
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
