"""The PK workflow: states and transitions (django-fsm-2), and the history of every transition.

    Draf ◀─withdraw─┐
    Draf ──submit──▶ Diajukan ──approve──▶ Disetujui ──sign──▶ Ditandatangani ──deliver──▶
      ▲                 │                   │  ▲     │                       Disampaikan
      │                 │        upload_scan│  │reject_scan      ▲               │
      │                 │                   ▼  │     │  sign (the last          │
      │                 │       Pindaian diunggah ───┘  confirmation)          │
      └── Dikembalikan ◀┴────── return ───────┴──── return (by a reviewer) ◀──────┤
          (a new revision, editable again)                          accept ──▶ Diterima

A wet-signed PK waits in "Pindaian diunggah" until every party's signatory confirmed the scan
(agreements.scans): an uploaded file alone never makes a PK signed.

submit/approve/return/sign are decided in agreements.workflow; deliver/accept, a reviewer's
return and taking a delivery back (withdraw_delivery: Disampaikan → Ditandatangani) in
submissions (routing, review, withdrawal), which calls the same transitions.

Transition methods change the state only and call no rule: who may make a transition is
decided in agreements.workflow (`refusal`), whose `perform()` is the one caller: it checks who
may act, locks the row, calls the method, saves and writes the history row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition

DRAFT, SUBMITTED, APPROVED, SCAN_UPLOADED, SIGNED, DELIVERED, ACCEPTED, RETURNED = (
    "draf",
    "diajukan",
    "disetujui",
    "pindaian_diunggah",
    "ditandatangani",
    "disampaikan",
    "diterima",
    "dikembalikan",
)


class AgreementStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SUBMITTED = "diajukan", _("Diajukan")
    APPROVED = "disetujui", _("Disetujui")
    # A drafter uploaded the scan of the paper signed by hand; each signatory (or, for one
    # without an account, the approver) confirms it is the paper they signed.
    SCAN_UPLOADED = "pindaian_diunggah", _("Pindaian diunggah, menunggu konfirmasi")
    SIGNED = "ditandatangani", _("Ditandatangani")
    DELIVERED = "disampaikan", _("Disampaikan")
    ACCEPTED = "diterima", _("Diterima")
    RETURNED = "dikembalikan", _("Dikembalikan")


class WorkflowMixin(models.Model):
    class Meta:
        abstract = True

    @transition(field="status", source=[DRAFT, RETURNED], target=SUBMITTED)
    def submit(self, user):
        """Send the draft to its approver (Pihak Kedua, or the Ketua of a single-signatory PK).

        Side effects: records who submitted, so that they cannot approve this revision.
        """
        self.submitted_by = user

    @transition(field="status", source=SUBMITTED, target=RETURN_VALUE(DRAFT, RETURNED))
    def withdraw(self, user):
        """The drafters take back a submission nobody has acted on yet (it is still Diajukan):
        it is editable again, as the draft or the returned revision it was.

        Side effects: forgets who submitted it (they may submit it again).
        """
        self.submitted_by = None
        return RETURNED if self.revision > 1 else DRAFT

    @transition(field="status", source=SUBMITTED, target=APPROVED)
    def approve(self, user):
        """The approver agrees with the content; it is now ready to be signed."""

    @transition(field="status", source=APPROVED, target=SCAN_UPLOADED)
    def upload_scan(self, user):
        """A drafter or signatory uploaded the scan of the paper signed by hand; it waits for
        each party's confirmation (agreements.scans). Called by the scan code only."""

    @transition(field="status", source=SCAN_UPLOADED, target=APPROVED)
    def reject_scan(self, user):
        """A signatory says the scan is not the paper they signed: back to Disetujui, for
        another scan or an electronic signature. Called by the scan code only."""

    @transition(field="status", source=[APPROVED, SCAN_UPLOADED], target=SIGNED)
    def mark_signed(self, user):
        """Every party has signed the current revision (electronically, or on paper and each
        party confirmed the uploaded scan): the PK is now Ditandatangani. Called by the
        signing code only."""

    @transition(field="status", source=SIGNED, target=DELIVERED)
    def deliver(self, user):
        """Sent where the routing rules say (submissions.routing); the caller checks who."""

    @transition(field="status", source=DELIVERED, target=SIGNED)
    def withdraw_delivery(self, user):
        """The sender takes back a delivery its receiver has not acted on yet
        (submissions.withdrawal decides who and when, and removes the submission)."""

    @transition(field="status", source=DELIVERED, target=ACCEPTED)
    def accept(self, user):
        """A reviewer (Biro Perencanaan, Inspektorat, or the receiving office) accepts it."""

    @transition(field="status", source=[SUBMITTED, APPROVED, SCAN_UPLOADED, DELIVERED],
                target=RETURNED)  # fmt: skip
    def return_for_revision(self, user):
        """Send the PK back to its drafters with a note: it becomes editable as a new revision.

        Side effects: the revision number goes up by one.
        """
        self.revision += 1


class AgreementEvent(models.Model):
    """One workflow transition: who, when, from which state to which, and the note."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="events"
    )
    revision = models.PositiveSmallIntegerField(_("revisi"))
    action = models.CharField(_("tindakan"), max_length=40)
    from_status = models.CharField(_("dari"), max_length=20)
    to_status = models.CharField(_("menjadi"), max_length=20)
    note = models.TextField(_("catatan"), blank=True)
    # What the PK said at this moment (statement data and lampiran rows), for comparing
    # revisions: filled when it is submitted.
    snapshot = models.JSONField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat PK")
        verbose_name_plural = _("riwayat PK")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.agreement}: {self.from_status} → {self.to_status}"

    @property
    def from_label(self):
        return AgreementStatus(self.from_status).label

    @property
    def to_label(self):
        return AgreementStatus(self.to_status).label
