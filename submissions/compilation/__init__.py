"""What a KPU Provinsi sees of its PKs for a year, and the bundle it compiles for KPU.

DOMAIN.md, "Submission rules": the PKs f (KPU Kab/Kota) and g (its Sekretariat) go to KPU
through their KPU Provinsi, which compiles them, by the end of January in the unit's time zone;
the Provinsi's own PKs d and e go to KPU directly. So for a year a Provinsi expects its own d
and e and, for each Kab/Kota, an f and a g.

    province_overview(province, year, now) -> Overview                      (overview.py)
        every expected PK with its state (no PK / status / submitted / decision), what is
        missing, who is late. Four queries whatever the number of regencies; the Provinsi page
        and the completeness report of the bundle read the same answer.
    build_compilation(compilation, on_progress) -> None                     (below)
        the bundle of the Kab/Kota submissions not yet sent to KPU: a reading PDF (cover, table
        of contents, completeness report (front_matter.py), then every signed file, merged with
        pikepdf) and a ZIP of the signed files, untouched, with a manifest (bundle.py). Merging
        breaks the electronic signatures (LIBRARIES.md), so the ZIP is the copy that counts;
        the reading PDF says so. current_step(compilation) names the step (progress.py).
    submit_compilation(compilation, user)                                   (submitting.py)
        the compiler sends a finished bundle to KPU: its submissions join it, and from then on
        national reviewers may decide them (services.reviewer_refusal).
"""

import datetime
import tempfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone

from submissions.compilation.bundle import (
    CHUNK,
    MANIFEST_COLUMNS,
    README_TEXT,
    BundleEntry,
    CompilationError,
    bundle_file_name,
    completeness_report,
    copy_from_storage,
    merge_reading_pdf,
    write_zip,
)
from submissions.compilation.front_matter import (
    FRONT_MATTER_TEMPLATE,
    front_matter_context,
    render_front_matter,
)
from submissions.compilation.overview import (
    EXPECTED_KINDS,
    OWN_KINDS,
    SIGNED_STATUSES,
    SUBMITTED_STATUSES,
    ExpectedPK,
    Overview,
    RegencyRow,
    province_overview,
)
from submissions.compilation.progress import FIXED_STEPS, ProgressCallback, current_step
from submissions.compilation.submitting import CompilationRefused, submit_compilation
from submissions.models import Compilation

__all__ = [
    "CHUNK",
    "EXPECTED_KINDS",
    "FIXED_STEPS",
    "FRONT_MATTER_TEMPLATE",
    "MANIFEST_COLUMNS",
    "OWN_KINDS",
    "README_TEXT",
    "SIGNED_STATUSES",
    "SUBMITTED_STATUSES",
    "BundleEntry",
    "CompilationError",
    "CompilationRefused",
    "ExpectedPK",
    "Overview",
    "ProgressCallback",
    "RegencyRow",
    "build_compilation",
    "current_step",
    "province_overview",
    "render_front_matter",
    "submit_compilation",
]


# The build itself lives here, not in bundle.py: it calls each step by its name in this
# package, the one other code (and the tests that watch a step) knows.
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
            name = bundle_file_name(number, pk)
            entry = BundleEntry(number, pk, name, work_dir / "asli" / name)
            copy_from_storage(entry)
            entries.append(entry)
            report_progress(1 + number, total)

        context = front_matter_context(compilation, overview, entries, now)
        front_pdf, front_pages = render_front_matter(context, entries)
        front_path = work_dir / "depan.pdf"
        front_path.write_bytes(front_pdf)
        report_progress(len(entries) + 2, total)

        title = f"Kompilasi Perjanjian Kinerja {province} Tahun {compilation.year}"
        reading_path = work_dir / "baca.pdf"
        total_pages = merge_reading_pdf(front_path, entries, title, reading_path)
        report_progress(len(entries) + 3, total)

        zip_path = work_dir / "asli.zip"
        write_zip(entries, compilation, zip_path)
        base = f"kompilasi-pk-{province.code}-{compilation.year}-{compilation.pk}"
        with open(reading_path, "rb") as handle:
            compilation.reading_pdf.save(f"{base}-baca.pdf", File(handle), save=False)
        with open(zip_path, "rb") as handle:
            compilation.originals_zip.save(f"{base}-asli.zip", File(handle), save=False)
        compilation.report = completeness_report(overview, entries, front_pages, total_pages, now)
        compilation.progress = compilation.total = total
        report_progress(total, total)
