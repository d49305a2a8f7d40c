"""Housekeeping: files nobody will download again, deleted through the storage API.

- Superseded compilations: a KPU Provinsi may rebuild its compilation many times in January;
  each build stores a reading PDF and a ZIP of originals (tens of MB). Kept: the newest finished
  build of each province and year, every build that was submitted to KPU or that a submission
  points to, and anything younger than a week. The rows stay (who compiled when); only the
  files go, and the page says so.
- Import uploads never confirmed (agreements/housekeeping.py).
Runs daily from Celery beat (migration 0004) or with `manage.py housekeeping`.
"""

import datetime
import logging
from dataclasses import dataclass, field

from celery import shared_task
from django.db.models import Max, Q
from django.utils import timezone

from agreements.housekeeping import purge_abandoned_imports
from submissions.models import Compilation, CompilationStatus

logger = logging.getLogger(__name__)

COMPILATION_MAX_AGE = datetime.timedelta(days=7)


@dataclass
class Report:
    compilations: list[int] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)


def superseded_compilations(now: datetime.datetime):
    """Compilations whose files may go (see the module docstring)."""
    newest_done = (
        Compilation.objects.filter(status=CompilationStatus.DONE)
        .values("province_id", "year")
        .annotate(newest=Max("created_at"))
    )
    keep = Q(submitted_at__isnull=False) | Q(submissions__isnull=False)
    for group in newest_done:
        keep |= Q(province_id=group["province_id"], year=group["year"], created_at=group["newest"])
    return (
        Compilation.objects.filter(created_at__lt=now - COMPILATION_MAX_AGE)
        .exclude(reading_pdf="", originals_zip="")
        .exclude(keep)
        .distinct()
    )


def purge_superseded_compilations(now: datetime.datetime, *, dry_run=False) -> list[int]:
    """Side effects: deletes the files of superseded compilations and empties their fields."""
    purged = []
    for compilation in superseded_compilations(now):
        purged.append(compilation.pk)
        if dry_run:
            continue
        for stored in (compilation.reading_pdf, compilation.originals_zip):
            if stored:
                stored.storage.delete(stored.name)
        Compilation.objects.filter(pk=compilation.pk).update(reading_pdf="", originals_zip="")
    if purged and not dry_run:
        logger.info("Deleted the files of %s superseded compilations", len(purged))
    return purged


def run(now: datetime.datetime | None = None, *, dry_run=False) -> Report:
    now = now or timezone.now()
    return Report(
        compilations=purge_superseded_compilations(now, dry_run=dry_run),
        imports=purge_abandoned_imports(now, dry_run=dry_run),
    )


@shared_task(name="submissions.housekeeping.run_housekeeping", ignore_result=True)
def run_housekeeping():
    report = run()
    return {"compilations": len(report.compilations), "imports": len(report.imports)}
