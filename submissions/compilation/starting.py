"""Starting a compilation, idempotently: a second "Susun kompilasi" joins the first.

The claim is the database's, not a process's memory: a partial unique constraint allows one
queued or running compilation per province and year, so two clicks (or two web workers) that
race both try to insert and one of them finds the other's row. A build that finished moments
ago and would hold the same PKs as a new one is joined too: that is a double click in the
embedded set-up, where the first build runs inside the first request. A build lost by a dead
worker (still unfinished after STALE_AFTER) is failed, so that it no longer holds the claim.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.compilation.overview import province_overview
from submissions.models import Compilation, CompilationStatus

UNFINISHED = (CompilationStatus.QUEUED, CompilationStatus.RUNNING)
STALE_AFTER = datetime.timedelta(minutes=30)
JOIN_FINISHED_WITHIN = datetime.timedelta(minutes=2)


def _joinable(province, year: int) -> Compilation | None:
    now = timezone.now()
    current = Compilation.objects.filter(province=province, year=year, status__in=UNFINISHED)
    found = current.first()
    if found is not None:
        return found
    recent = (
        Compilation.objects.filter(
            province=province,
            year=year,
            status=CompilationStatus.DONE,
            created_at__gte=now - JOIN_FINISHED_WITHIN,
        )
        .order_by("-created_at")
        .first()
    )
    if recent is None:
        return None
    # Nothing delivered or returned since: it holds what a new build would hold.
    ready = province_overview(province, year, now).ready_to_compile
    same = sorted(pk.submission.pk for pk in ready) == sorted(
        recent.report.get("submission_ids", [])
    )
    return recent if same else None


def start_compilation(province, year: int, user) -> tuple[Compilation, bool]:
    """(the compilation, True if this call created it). The caller queues the build of a
    created one once the transaction commits.

    Side effects: fails a lost build of this province and year; inserts the claimed row."""
    Compilation.objects.filter(
        province=province,
        year=year,
        status__in=UNFINISHED,
        created_at__lt=timezone.now() - STALE_AFTER,
    ).update(
        status=CompilationStatus.FAILED,
        error=_("Kompilasi ini tidak selesai (prosesnya terhenti)."),
        finished_at=timezone.now(),
    )
    joined = _joinable(province, year)
    if joined is not None:
        return joined, False
    try:
        with transaction.atomic():
            return Compilation.objects.create(province=province, year=year, requested_by=user), True
    except IntegrityError:
        # The other click inserted first: join its build.
        found = _joinable(province, year)
        if found is None:
            raise
        return found, False
