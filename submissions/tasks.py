"""Background work of the submissions app: building a KPU Provinsi's compilation.

WeasyPrint and pikepdf run here, in the worker, never in a web process (LIBRARIES.md: the
WeasyPrint import alone costs ~0.65 s). On the embedded default (no Redis) the task runs
eagerly in the process that queued it.
"""

import contextlib
import logging

from celery import shared_task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from submissions.compilation import CompilationError, build_compilation
from submissions.models import Compilation, CompilationStatus

logger = logging.getLogger(__name__)

SKIPPED, DONE, FAILED = "dilewati", CompilationStatus.DONE.value, CompilationStatus.FAILED.value


def _save_progress(compilation_id: int):
    def save(done: int, total: int) -> None:
        # A plain UPDATE, committed at once: the progress endpoint reads it while we work.
        Compilation.objects.filter(pk=compilation_id).update(progress=done, total=total)

    return save


def _readable_error(exc: Exception) -> str:
    if isinstance(exc, CompilationError):
        return str(exc)
    detail = f"{type(exc).__name__}: {exc}"[:300]
    return _(
        "Kompilasi gagal karena kesalahan tak terduga (%(detail)s). Coba susun ulang; bila "
        "terulang, hubungi administrator."
    ) % {"detail": detail}


@shared_task(acks_late=True, soft_time_limit=30 * 60)
def compile_province(compilation_id: int) -> str:
    """Build the compilation `compilation_id` once, whatever redeliveries or double clicks.

    Side effects: claims the row with a conditional update from 'antre' to 'berjalan' (a second
    run finds nothing to claim and returns "dilewati"); saves progress after each step; on
    success the reading PDF and the ZIP in storage, the report, status 'selesai' and
    finished_at; on any exception status 'gagal' with a readable error, files already saved
    deleted. Never raises: the row is the outcome.
    """
    claimed = Compilation.objects.filter(pk=compilation_id, status=CompilationStatus.QUEUED).update(
        status=CompilationStatus.RUNNING, progress=0, total=0, error=""
    )
    if not claimed:
        logger.info("Compilation %s was claimed before or does not exist: skipped", compilation_id)
        return SKIPPED
    compilation = Compilation.objects.select_related("province", "requested_by").get(
        pk=compilation_id
    )
    with translation.override("id"):
        try:
            build_compilation(compilation, on_progress=_save_progress(compilation_id))
            compilation.status = CompilationStatus.DONE
            compilation.finished_at = timezone.now()
            compilation.save(update_fields=[
                "status", "finished_at", "progress", "total", "report", "reading_pdf",
                "originals_zip",
            ])  # fmt: skip
        except Exception as exc:
            logger.exception("Compilation %s failed", compilation_id)
            for stored in (compilation.reading_pdf, compilation.originals_zip):
                if stored:
                    with contextlib.suppress(OSError):
                        stored.delete(save=False)
            Compilation.objects.filter(pk=compilation_id).update(
                status=CompilationStatus.FAILED,
                error=_readable_error(exc),
                finished_at=timezone.now(),
            )
            return FAILED
    logger.info("Compilation %s done: %s", compilation_id, compilation.reading_pdf.name)
    return DONE
