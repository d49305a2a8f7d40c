"""Who may move a PK through the workflow, and the one function that does it.

Rules (DOMAIN.md, "Who signs which PK"):
- submit: a drafter of the PK (the same rule as editing: agreements.permissions), and the
  cascade checks have no error;
- approve: the approver, i.e. a signatory account of Pihak Kedua (or, for a single-signatory
  PK, of its Pihak Pertama, the Ketua) — never the user who submitted this revision;
- return: the approver, with a note;
- withdraw: a drafter of the PK, while it is Diajukan (nobody has approved or returned it);
- upload_scan: a drafter of the PK or one of its signatories uploads the scan of the paper
  signed by hand (agreements.scans checks the file);
- reject_scan: a signatory of the PK, or its approver, says the scan is not what they signed;
- sign: once a complete signed document of the current revision exists (electronic: every
  party signed; wet: every party confirmed the scan), by one of the signatories or the
  approver (the last confirmation) or, electronically, a drafter.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from agreements.checks import report_for_page
from agreements.lampiran import flatten
from agreements.models import Agreement, Party
from agreements.models.workflow import AgreementEvent
from agreements.permissions import can_edit_agreement, drafting_refusal
from agreements.signals import transition_recorded
from agreements.signing.rules import parties_of, party_memberships
from organisations.models import Membership, Role

ACTIONS = {
    "submit": ("submit", gettext_lazy("Ajukan untuk disetujui")),
    "approve": ("approve", gettext_lazy("Setujui")),
    "return": ("return_for_revision", gettext_lazy("Kembalikan untuk perbaikan")),
    "withdraw": ("withdraw", gettext_lazy("Tarik kembali pengajuan")),
    # No buttons: the scan and signing code perform them.
    "upload_scan": ("upload_scan", gettext_lazy("Unggah pindaian bertanda tangan basah")),
    "reject_scan": ("reject_scan", gettext_lazy("Tolak pindaian")),
    "sign": ("mark_signed", gettext_lazy("Tandai ditandatangani")),
}
BUTTON_ACTIONS = ("submit", "approve", "return", "withdraw")


class WorkflowRefused(Exception):  # noqa: N818 - reads as what happened
    """The transition does not apply or the user may not make it; the message says why."""


def approver_memberships(agreement: Agreement):
    """Signatory accounts that approve this PK (Pihak Kedua, or the Ketua when single)."""
    party = Party.PIHAK_PERTAMA if agreement.is_single_signatory else Party.PIHAK_KEDUA
    return party_memberships(agreement, party)


def refusal(action: str, agreement: Agreement, user, report=None) -> str | None:
    """Why `user` may not do `action` on `agreement` now, or None when they may. `report`:
    the PK's check report when the caller already has it (the PK page).

    The guard of every transition the PK page offers (the model's transition methods check
    only the state): `perform` asks it before calling the model."""
    if not user.is_authenticated:
        return _("Silakan masuk terlebih dahulu.")
    if action == "submit":
        reason = drafting_refusal(user, agreement.unit)
        if reason:
            return reason
        errors = (report or report_for_page(agreement)).errors
        if errors:
            return _(
                "PK belum dapat diajukan: %(n)d kesalahan pemeriksaan harus diperbaiki dahulu "
                "(misalnya: %(first)s)"
            ) % {"n": len(errors), "first": errors[0].message}
        if not agreement.pihak_pertama_name:
            return _("PK belum dapat diajukan: Pihak Pertama belum diisi.")
        return None
    if action == "withdraw":
        return drafting_refusal(user, agreement.unit)
    if action in {"approve", "return"}:
        if action == "return" and agreement.status == "disampaikan":
            return _(
                "PK yang sudah disampaikan hanya dapat dikembalikan oleh reviewer penerimanya."
            )
        if not approver_memberships(agreement).filter(user=user).exists():
            return _("Hanya pejabat penyetuju PK ini (%(who)s) yang dapat melakukannya.") % {
                "who": agreement.pihak_pertama_name
                if agreement.is_single_signatory
                else agreement.pihak_kedua_name or _("Pihak Kedua")
            }
        if action == "approve" and agreement.submitted_by_id == user.pk:
            return _("Anda mengajukan revisi ini sehingga tidak dapat menyetujuinya sendiri.")
        return None
    if action in {"upload_scan", "reject_scan"}:
        is_party = any(
            party_memberships(agreement, party).filter(user=user).exists()
            for party in parties_of(agreement)
        )
        if is_party or approver_memberships(agreement).filter(user=user).exists():
            return None
        if action == "upload_scan" and drafting_refusal(user, agreement.unit) is None:
            return None
        if action == "upload_scan":
            return _("Hanya penyusun atau penandatangan PK ini yang dapat mengunggah pindaiannya.")
        return _("Hanya penandatangan PK ini yang dapat menolak pindaiannya.")
    if action == "sign":
        complete = agreement.signed_documents.filter(
            revision=agreement.revision, is_complete=True
        ).exists()
        if not complete:
            return _("Dokumen bertanda tangan lengkap untuk revisi ini belum ada.")
        is_signatory = Membership.objects.filter(
            user=user, role=Role.SIGNATORY, is_active=True, unit_id__in=[
                agreement.unit_id, agreement.unit.parent_id]
        ).exists()  # fmt: skip
        if is_signatory or drafting_refusal(user, agreement.unit) is None:
            return None
        return _("Hanya penandatangan atau penyusun PK ini yang dapat melakukannya.")
    return _("Tindakan tidak dikenal.")


def available_actions(agreement: Agreement, user, report=None) -> list[tuple[str, str]]:
    """[(action, label)] the user may take now: one button each on the PK page."""
    return [
        (action, label)
        for action, (method, label) in ACTIONS.items()
        if action in BUTTON_ACTIONS
        and can_proceed(getattr(agreement, method), check_conditions=True)
        and refusal(action, agreement, user, report) is None
    ]


MAX_NOTE_LENGTH = 2000


@transaction.atomic
def perform(agreement: Agreement, action: str, user, note: str = "") -> AgreementEvent:
    """Do `action` on `agreement` as `user`, or raise WorkflowRefused with the reason.

    Side effects: locks the PK row, changes its state, saves it and writes one history row
    (AgreementEvent) with the note. A return needs a note.
    """
    if action not in ACTIONS:
        raise WorkflowRefused(_("Tindakan tidak dikenal."))
    locked = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
    method = getattr(locked, ACTIONS[action][0])
    if not can_proceed(method):
        raise WorkflowRefused(
            _("Tindakan “%(action)s” tidak berlaku untuk PK berstatus %(status)s.")
            % {"action": ACTIONS[action][1], "status": locked.get_status_display()}
        )
    reason = refusal(action, locked, user)
    if reason:
        raise WorkflowRefused(reason)
    # Control characters (a NUL pasted from a PDF) cannot be stored by PostgreSQL.
    note = "".join(c for c in note if c in "\n\t" or c.isprintable())
    if action == "return" and not note.strip():
        raise WorkflowRefused(_("Tuliskan catatan perbaikan saat mengembalikan PK."))
    if len(note) > MAX_NOTE_LENGTH:
        raise WorkflowRefused(
            _("Catatan terlalu panjang (%(n)s karakter); paling banyak %(max)s karakter.")
            % {"n": len(note), "max": MAX_NOTE_LENGTH}
        )
    event = record_transition(locked, ACTIONS[action][0], action, user, note)
    agreement.refresh_from_db()
    return event


@transaction.atomic
def record_transition(
    agreement: Agreement, method_name: str, action: str, user, note: str = ""
) -> AgreementEvent:
    """Make the transition `method_name` and write its history row; the caller has checked
    who may. Used by `perform` and by the submissions app (deliver, accept, a reviewer's
    return), so every state change leaves the same trace.

    Side effects: locks the row, saves the PK, writes an AgreementEvent (with a snapshot of
    the content when it is submitted). Raises WorkflowRefused if the state does not allow it.
    """
    locked = Agreement.objects.select_for_update().select_related("unit").get(pk=agreement.pk)
    method = getattr(locked, method_name)
    if not can_proceed(method):
        raise WorkflowRefused(
            _("Tindakan ini tidak berlaku untuk PK berstatus %(status)s.")
            % {"status": locked.get_status_display()}
        )
    from_status = locked.status
    method(user)
    locked.save()
    snapshot = snapshot_of(locked) if action == "submit" else None
    event = AgreementEvent.objects.create(
        snapshot=snapshot,
        agreement=locked,
        revision=locked.revision,
        action=action,
        from_status=from_status,
        to_status=locked.status,
        note=note.strip(),
        actor=user,
    )
    # The next actor hears of it (agreements.notifications: in-app now, e-mail after commit).
    transition_recorded.send(sender=Agreement, event=event)
    if agreement is not locked:
        agreement.refresh_from_db()
    return event


def snapshot_of(agreement: Agreement) -> dict:
    """The PK's content as plain data: kept with each submission to compare revisions."""
    statement = {name: agreement.serializable_value(name) for name in (
        "place", "sign_date", "renstra_reference", "rkt_reference", "rka_reference",
        "dipa_number", "dipa_date", "pihak_pertama_name", "pihak_pertama_position",
        "pihak_pertama_nip", "pihak_kedua_name", "pihak_kedua_position", "pihak_kedua_nip",
    )}  # fmt: skip
    statement = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in statement.items()}
    rows = [{k: str(v) for k, v in row.as_cells().items()} for row in flatten(agreement)]
    return {"revision": agreement.revision, "statement": statement, "rows": rows}


def submit_refusal(agreement: Agreement, user, report=None, can_edit=None) -> str | None:
    """For a drafter on the PK page: why the PK cannot be submitted yet (None if it can).
    `report` and `can_edit`: what the caller already knows (the PK page)."""
    if can_edit is None:
        can_edit = can_edit_agreement(user, agreement)
    if not agreement.is_editable or not can_edit:
        return None
    return refusal("submit", agreement, user, report)
