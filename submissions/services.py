"""Submitting signed PKs where the routing says, recording hardcopies, and the review decision.

Who may do what:
- submit a signed PK: a drafter of its unit (agreements.permissions) or one of its signatories;
- record a ministry delivery or the hardcopy sending: the same people;
- record receipt, archive place, KPU's request: the receiving office (the KPU Provinsi's
  compiler for Kab/Kota PKs, a national reviewer for the rest);
- accept or return: a national reviewer (Biro Perencanaan, Inspektorat) for everything that
  goes to KPU or the ministries — for Kab/Kota PKs only once their Provinsi has compiled and
  submitted them — and the Sekretariat's signatory for a Subbagian PK.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from agreements.models import Agreement, SignatureMethod, SignedDocument
from agreements.permissions import drafting_refusal
from agreements.workflow import WorkflowRefused, record_transition
from organisations.models import Membership, Role, active_memberships
from submissions.models import Decision, OutgoingDelivery, Submission
from submissions.notifications import notify_delivered
from submissions.routing import MINISTRIES, Channel, destination_unit, route_for


class SubmissionRefused(Exception):  # noqa: N818 - reads as what happened
    """The submission step is not allowed; the message says why, in Indonesian."""


def _is_signatory_of(user, unit_ids) -> bool:
    return any(m.can_sign and m.unit_id in unit_ids for m in active_memberships(user))


def is_national_reviewer(user) -> bool:
    return user.is_superuser or any(m.is_reviewer for m in active_memberships(user))


def is_compiler_of(user, province_id) -> bool:
    return Membership.objects.filter(
        user=user, role=Role.COMPILER, is_active=True, unit__province_id=province_id
    ).exists()


def sender_refusal(user, agreement: Agreement) -> str | None:
    if drafting_refusal(user, agreement.unit) is None:
        return None
    if _is_signatory_of(user, [agreement.unit_id]):
        return None
    return _("Hanya penyusun atau penandatangan PK ini yang dapat menyampaikannya.")


def softcopy_for(agreement: Agreement) -> SignedDocument | None:
    """The signed file to send: the scan where the rules ask for one, else any complete one.

    The rules (DOMAIN.md) ask PKs d–g for "a scan of the signed hardcopy" because the signed
    original was paper. A PK both parties signed electronically is itself the original (PAdES,
    checked on /verifikasi/), so it goes when there is no scan: refusing it would leave a PK
    signed in the portal with no way to be sent (a scan can only be uploaded before signing).
    """
    documents = agreement.signed_documents.filter(
        revision=agreement.revision, is_complete=True
    ).order_by("-created_at")
    if route_for(agreement.pk_kind).needs_scan:
        scan = documents.filter(method=SignatureMethod.WET).first()
        if scan is not None:
            return scan
    return documents.first()


@transaction.atomic
def submit(agreement: Agreement, user) -> Submission:
    """Ditandatangani → Disampaikan: record where it goes, with its softcopy.

    Side effects: a Submission row and the workflow transition (with its history row).
    """
    agreement = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
    if agreement.status != "ditandatangani":
        raise SubmissionRefused(
            _("Hanya PK yang sudah ditandatangani yang dapat disampaikan (status: %(s)s).")
            % {"s": agreement.get_status_display()}
        )
    reason = sender_refusal(user, agreement)
    if reason:
        raise SubmissionRefused(reason)
    route = route_for(agreement.pk_kind)
    softcopy = softcopy_for(agreement)
    if softcopy is None:
        raise SubmissionRefused(
            _("PK ini harus disampaikan dengan pindaian dokumen bertanda tangan basah "
              "atau dokumen bertanda tangan elektronik lengkap: unggah pindaiannya terlebih "
              "dahulu.")
            if route.needs_scan
            else _("Dokumen bertanda tangan lengkap belum ada.")
        )  # fmt: skip
    submission = Submission.objects.create(
        agreement=agreement,
        revision=agreement.revision,
        channel=route.channel,
        destination=destination_unit(agreement),
        softcopy=softcopy,
        submitted_by=user,
    )
    try:
        record_transition(agreement, "deliver", "deliver", user)
    except WorkflowRefused as exc:
        raise SubmissionRefused(str(exc)) from None
    notify_delivered(submission)
    return submission


def record_delivery(submission: Submission, user, recipient: str, sent_on: datetime.date,
                    receipt_number: str = "", proof=None) -> OutgoingDelivery:  # fmt: skip
    """A PK a–c sent to one of the three ministries, with its proof."""
    if submission.channel != Channel.MINISTRIES:
        raise SubmissionRefused(_("PK ini tidak disampaikan ke kementerian."))
    if recipient not in MINISTRIES:
        raise SubmissionRefused(_("Penerima harus salah satu dari tiga kementerian."))
    reason = sender_refusal(user, submission.agreement)
    if reason:
        raise SubmissionRefused(reason)
    if not receipt_number and proof is None:
        raise SubmissionRefused(_("Isi nomor tanda terima atau unggah bukti pengiriman."))
    delivery = OutgoingDelivery(
        submission=submission, recipient=recipient, sent_on=sent_on, receipt_number=receipt_number
    )
    if proof is not None:
        delivery.proof.save(proof.name, proof, save=False)
    delivery.save()
    return delivery


def reviewer_refusal(user, submission: Submission) -> str | None:
    if submission.channel == Channel.INTERNAL:
        if _is_signatory_of(user, [submission.destination_id]):
            return None
        return _("Hanya Sekretaris yang menerima PK Subbagian ini yang dapat memutuskannya.")
    if not is_national_reviewer(user):
        return _("Hanya reviewer Biro Perencanaan atau Inspektorat yang dapat memutuskannya.")
    if submission.channel == Channel.PROVINSI and not (
        submission.compilation_id and submission.compilation.submitted_at
    ):
        return _("PK Kabupaten/Kota ini belum dikompilasi dan disampaikan oleh KPU Provinsi.")
    return None


@transaction.atomic
def decide(submission: Submission, user, accept: bool, note: str = "") -> Submission:
    """Accept (Disampaikan → Diterima) or return with a note (→ Dikembalikan, a new revision).

    Side effects: the decision on the submission, and the transition with its history row.
    """
    # Lock only the submission row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # outer join to the compilation.
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("agreement__unit", "compilation")
        .get(pk=submission.pk)
    )
    if submission.decision != Decision.PENDING:
        raise SubmissionRefused(_("Penyampaian ini sudah diputuskan."))
    reason = reviewer_refusal(user, submission)
    if reason:
        raise SubmissionRefused(reason)
    if not accept and not note.strip():
        raise SubmissionRefused(_("Tuliskan catatan saat mengembalikan PK."))
    try:
        if accept:
            record_transition(submission.agreement, "accept", "accept", user, note)
        else:
            record_transition(
                submission.agreement, "return_for_revision", "review_return", user, note
            )
    except WorkflowRefused as exc:
        raise SubmissionRefused(str(exc)) from None
    submission.decision = Decision.ACCEPTED if accept else Decision.RETURNED
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.decision_note = note.strip()
    submission.save()
    return submission


def national_reviewer_flag(request):
    """Context processor: `is_national_reviewer`, `is_compiler` and `fills_quarters` for the
    navigation, computed only if a template uses them."""

    def compiles():
        user = request.user
        return any(m.role == Role.COMPILER for m in active_memberships(user))

    def fills_quarters():  # drafters report their PKs' quarters (monitoring.permissions)
        return any(m.can_draft for m in active_memberships(request.user))

    return {
        "is_national_reviewer": SimpleLazyObject(lambda: is_national_reviewer(request.user)),
        "is_compiler": SimpleLazyObject(compiles),
        "fills_quarters": SimpleLazyObject(fills_quarters),
    }
