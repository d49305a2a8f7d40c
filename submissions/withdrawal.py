"""Taking back a delivery ("Tarik kembali") that its receiver has not acted on yet.

Two deliveries can be taken back:

- a signed PK delivered where its route says (submissions.services.submit): by those who may
  deliver it (services.sender_refusal). The PK is Ditandatangani again and can be corrected by
  an amendment or delivered again; the Submission row is deleted, so that every queue built
  from submissions (the province page, the review board, "Tugas Anda") no longer shows it;
- a compilation a KPU Provinsi sent to KPU (compilation.submitting): by a compiler of that
  province. It is a finished, unsent compilation again and its PKs wait for the next one.

"Acted on" is anything the receiving side recorded, after which taking back would pull the
ground from under them:
- a decision (accepted or returned) on the submission, or on any PK of the compilation;
- the hardcopy received or archived by the receiving office;
- a Kab/Kota PK sent on to KPU in a compilation (the Provinsi passed it on);
- a PK a–c already recorded as sent to a ministry (the paper left the building).
A compilation the Provinsi has built but not sent is not acted on: sending it is refused until
it is built again (compilation.submitting), and its compilers are told.

Each withdrawal leaves a history row on every PK concerned, and the people who were notified
of the delivery are told it was taken back (their notice of the delivery is marked read).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import AgreementEvent
from agreements.workflow import WorkflowRefused, record_transition
from submissions.models import Compilation, Decision, Submission
from submissions.notifications import notify_compilation_withdrawn, notify_delivery_withdrawn
from submissions.routing import Channel
from submissions.services import SubmissionRefused, is_compiler_of, sender_refusal


def delivery_acted_on(submission: Submission) -> str | None:
    """What the receiver has done with `submission`, as the refusal to show; None if nothing."""
    if submission.decision == Decision.ACCEPTED:
        return _("PK ini sudah diterima oleh %(who)s.") % {"who": _receiver_name(submission)}
    if submission.decision == Decision.RETURNED:
        return _("PK ini sudah dikembalikan oleh %(who)s.") % {"who": _receiver_name(submission)}
    if submission.compilation_id:
        return _("KPU Provinsi sudah meneruskan PK ini ke KPU dalam kompilasinya.")
    if submission.hardcopy_received_on or submission.archive_location:
        return _("Penerima sudah mencatat hardcopy PK ini.")
    if submission.channel == Channel.MINISTRIES and submission.deliveries.exists():
        return _("Pengiriman PK ini ke kementerian sudah dicatat.")
    return None


def _receiver_name(submission: Submission) -> str:
    if submission.channel == Channel.INTERNAL and submission.destination:
        return str(submission.destination)
    return _("reviewer KPU")


def delivery_withdrawal_refusal(user, submission: Submission) -> str | None:
    """Why `user` may not take `submission` back now, or None when they may."""
    reason = sender_refusal(user, submission.agreement)
    if reason:
        return reason
    acted = delivery_acted_on(submission)
    if acted:
        return _("Penyampaian tidak dapat ditarik kembali: %(why)s") % {"why": acted}
    return None


@transaction.atomic
def withdraw_delivery(submission: Submission, user) -> AgreementEvent:
    """Disampaikan → Ditandatangani, as if it had not been delivered.

    Side effects: the submission row (and nothing the receiver made: they made nothing) is
    deleted under a lock, the workflow transition writes the PK's history row, and whoever was
    told of the delivery is told it was taken back. Raises SubmissionRefused with the reason.
    """
    try:
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("agreement__unit", "destination")
            .get(pk=submission.pk)
        )
    except Submission.DoesNotExist:
        raise SubmissionRefused(_("Penyampaian ini sudah ditarik kembali.")) from None
    reason = delivery_withdrawal_refusal(user, submission)
    if reason:
        raise SubmissionRefused(reason)
    agreement = submission.agreement
    try:
        event = record_transition(agreement, "withdraw_delivery", "withdraw_delivery", user)
    except WorkflowRefused as exc:
        raise SubmissionRefused(str(exc)) from None
    notify_delivery_withdrawn(submission, user)
    submission.delete()
    return event


def compilation_withdrawal_refusal(user, compilation: Compilation) -> str | None:
    if not is_compiler_of(user, compilation.province_id):
        return _("Hanya operator kompilasi KPU Provinsi ini yang dapat menarik kembali kompilasi.")
    if compilation.submitted_at is None:
        return _("Kompilasi ini belum disampaikan ke KPU.")
    decided = compilation.submissions.exclude(decision=Decision.PENDING).count()
    if decided:
        return _(
            "Kompilasi tidak dapat ditarik kembali: reviewer KPU sudah memutuskan %(n)s PK di "
            "dalamnya. PK yang perlu diperbaiki dikembalikan oleh reviewer."
        ) % {"n": decided}
    return None


@transaction.atomic
def withdraw_compilation(compilation: Compilation, user) -> int:
    """A compilation sent to KPU goes back to the Provinsi; returns how many PKs it carried.

    Side effects: `submitted_at`/`submitted_by` cleared under a lock, its submissions no longer
    point at it (they wait for a compilation again), a history row on each of their PKs, and
    the national reviewers who were told of its arrival are told it was taken back.
    Raises SubmissionRefused with the reason.
    """
    compilation = (
        Compilation.objects.select_for_update().select_related("province").get(pk=compilation.pk)
    )
    reason = compilation_withdrawal_refusal(user, compilation)
    if reason:
        raise SubmissionRefused(reason)
    submissions = list(compilation.submissions.select_related("agreement"))
    note = _("Kompilasi %(province)s #%(number)s ditarik kembali dari KPU.") % {
        "province": compilation.province,
        "number": compilation.pk,
    }
    AgreementEvent.objects.bulk_create(
        AgreementEvent(agreement=s.agreement, revision=s.agreement.revision,
                       action="compilation_withdraw", from_status=s.agreement.status,
                       to_status=s.agreement.status, note=note, actor=user)
        for s in submissions
    )  # fmt: skip
    Submission.objects.filter(compilation=compilation).update(compilation=None)
    sent_at = compilation.submitted_at
    compilation.submitted_at, compilation.submitted_by = None, None
    compilation.save(update_fields=["submitted_at", "submitted_by"])
    notify_compilation_withdrawn(compilation, sent_at, user)
    return len(submissions)
