"""What a unit achieved per indicator and quarter, its evidence, and the history of each
quarter's report (submitted, verified, returned).

    Draf ──submit──▶ Diajukan untuk verifikasi ──verify──▶ Terverifikasi
      ▲                         │
      └──── Dikembalikan ◀──return (with a note)

Transitions are methods on Realisation that change the state only; monitoring.services is the
one caller: it checks who may act and that the quarter is open, applies the transition to
every realisation of the PK's quarter at once, saves them and writes one QuarterEvent.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from monitoring.models.periods import Quarter

# Realisations exist only for PKs in these states (signed or later).
MONITORED_STATUSES = ("ditandatangani", "disampaikan", "diterima")


class RealisationStatus(models.TextChoices):
    DRAFT = "draf", _("Draf")
    SUBMITTED = "diajukan", _("Diajukan untuk verifikasi")
    VERIFIED = "terverifikasi", _("Terverifikasi")
    RETURNED = "dikembalikan", _("Dikembalikan")


# The operator may change a realisation only in these states (and while the quarter is open).
EDITABLE_REALISATION_STATUSES = {RealisationStatus.DRAFT, RealisationStatus.RETURNED}


class StaleRealisation(Exception):  # noqa: N818 - reads as what happened
    """Someone else saved the quarter since this user opened it (optimistic locking)."""


class Realisation(models.Model):
    """One indicator row of a signed PK in one quarter: the value entered for that quarter
    (a count: what was achieved in the quarter; anything else: the figure at its end, see
    monitoring.capaian), or the grade for a grade indicator, with the explanation."""

    # SET_NULL, not CASCADE: when a returned PK's lampiran is rebuilt (its rows deleted and
    # created anew) the realisations follow their indicator to the new row
    # (monitoring/carry_over.py); only within that transaction is `row` ever empty.
    row = models.ForeignKey(
        "agreements.IndicatorRow",
        verbose_name=_("indikator"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="realisations",
    )
    # Always the row's PK (set by monitoring.services): lets lists and dashboards filter by
    # PK and quarter without joining through the lampiran tree.
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="realisations"
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=Quarter.choices)
    value = models.DecimalField(
        _("realisasi"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    grade = models.CharField(_("predikat"), max_length=10, blank=True)
    explanation = models.TextField(_("penjelasan"), blank=True)
    obstacles = models.TextField(_("kendala"), blank=True)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    status = FSMField(
        _("status"),
        max_length=20,
        choices=RealisationStatus.choices,
        default=RealisationStatus.DRAFT,
        protected=False,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diisi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verifikator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every save; a save carrying an older number is refused (StaleRealisation).
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["agreement_id", "quarter", "row_id"]
        constraints = [
            models.UniqueConstraint(fields=["row", "quarter"], name="realisation_row_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="realisation_quarter_1_to_4",
            ),
        ]
        indexes = [models.Index(fields=["agreement", "quarter", "status"])]

    def __str__(self):
        return f"{self.row} ({Quarter(self.quarter).label})"

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.grade and not self.explanation.strip()

    @transition(field="status", source=[RealisationStatus.DRAFT, RealisationStatus.RETURNED],
                target=RealisationStatus.SUBMITTED)  # fmt: skip
    def submit(self, user, at):
        """Sent to the PK's Pihak Kedua for verification. Side effects: records who and when,
        clears the last return note."""
        self.submitted_by = user
        self.submitted_at = at
        self.return_note = ""

    @transition(field="status", source=RealisationStatus.SUBMITTED,
                target=RealisationStatus.VERIFIED)  # fmt: skip
    def verify(self, user, at):
        """Pihak Kedua confirms the figures. Side effects: records the verifier and when."""
        self.verifier = user
        self.verified_at = at

    @transition(field="status", source=[RealisationStatus.SUBMITTED, RealisationStatus.VERIFIED],
                target=RealisationStatus.RETURNED)  # fmt: skip
    def return_for_correction(self, user, at, note):
        """Sent back to the operator with a note; editable again. Side effects: records who
        returned it (as verifier, with the time) and the note."""
        self.verifier = user
        self.verified_at = at
        self.return_note = note


def evidence_path(instance, filename):
    # The stored name never uses the uploaded one (kept in `original_name`).
    return f"monitoring/evidence/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Evidence(models.Model):
    """A file proving a realisation (PDF or image), kept through the storage API and served
    only by the permission-checking view (monitoring.views.evidence_file)."""

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("berkas"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def extension(self) -> str:
        return self.EXTENSIONS.get(self.content_type, "")


@receiver(post_delete, sender=Evidence)
def _delete_stored_evidence(sender, instance, **kwargs):
    """The stored file leaves with its row (also when a realisation, an indicator row or a PK
    is deleted), once the deletion is committed: a rolled-back deletion keeps it."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


class QuarterEvent(models.Model):
    """One step of a PK's quarterly report: saved, submitted, verified or returned."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="quarter_events"
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=Quarter.choices)
    action = models.CharField(_("tindakan"), max_length=20)  # save, submit, verify, return
    from_status = models.CharField(_("dari"), max_length=20, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=20, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    # What a save changed, in words (indicator: before → after). The quarter form saves all
    # its rows in bulk, so this, not auditlog, is the history of the figures.
    changes = models.JSONField(_("perubahan"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat pelaporan triwulan")
        verbose_name_plural = _("riwayat pelaporan triwulan")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["agreement", "quarter"])]

    def __str__(self):
        return f"{self.agreement} TW{self.quarter}: {self.action}"
