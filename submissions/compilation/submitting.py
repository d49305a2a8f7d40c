"""A compilation submitted to KPU: the compiler sends a finished bundle, its submissions join
it, and from then on national reviewers may decide them (services.reviewer_refusal)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import Compilation, CompilationStatus, Decision, Submission
from submissions.notifications import notify_compilation_sent
from submissions.routing import Channel


class CompilationRefused(Exception):  # noqa: N818 - reads as what happened
    """The compilation may not be submitted (not finished, already sent, …); says why."""


@transaction.atomic
def submit_compilation(compilation: Compilation, user) -> int:
    """A finished compilation goes to KPU; returns how many submissions it carries.

    Side effects: `submitted_at`/`submitted_by` set by a conditional update (a second click
    finds nothing to claim), and the bundle's Kab/Kota submissions still pending and not yet
    sent with another compilation now point at this one. The caller checks the user is a
    compiler of the province. Raises CompilationRefused with the reason.
    """
    bundled = compilation.report.get("submission_ids", [])
    if Submission.objects.filter(pk__in=bundled).count() < len(set(bundled)):
        # A PK in the bundle was taken back by its sender (submissions.withdrawal) after it
        # was built: the reading PDF would carry a PK that is no longer delivered.
        raise CompilationRefused(
            _("Sebuah PK dalam kompilasi ini sudah ditarik kembali oleh pengirimnya. Susun "
              "kompilasi baru.")
        )  # fmt: skip
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
            pk__in=bundled,
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
    notify_compilation_sent(compilation, attached)
    return attached
