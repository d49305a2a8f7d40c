"""A signed PK sent where the routing says, its hardcopy, the compilation and the review."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.routing import Channel


class Decision(models.TextChoices):
    PENDING = "menunggu", _("Menunggu reviu")
    ACCEPTED = "diterima", _("Diterima")
    RETURNED = "dikembalikan", _("Dikembalikan")


class Submission(models.Model):
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="submissions"
    )
    revision = models.PositiveSmallIntegerField(_("revisi"))
    channel = models.CharField(_("jalur"), max_length=12, choices=Channel.choices)
    destination = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("tujuan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_submissions",
    )
    softcopy = models.ForeignKey(
        "agreements.SignedDocument", on_delete=models.PROTECT, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("waktu penyampaian"), auto_now_add=True)

    # Hardcopy: sent, received, and for Kab/Kota PKs where the KPU Provinsi keeps it.
    hardcopy_sent_on = models.DateField(_("hardcopy dikirim"), null=True, blank=True)
    hardcopy_received_on = models.DateField(_("hardcopy diterima"), null=True, blank=True)
    archive_location = models.CharField(_("lokasi arsip"), max_length=200, blank=True)
    kpu_requested_on = models.DateField(_("diminta KPU"), null=True, blank=True)
    sent_to_kpu_on = models.DateField(_("dikirim ke KPU"), null=True, blank=True)

    compilation = models.ForeignKey(
        "submissions.Compilation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    decision = models.CharField(
        _("keputusan"), max_length=14, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("catatan reviu"), blank=True)

    class Meta:
        verbose_name = _("penyampaian PK")
        verbose_name_plural = _("penyampaian PK")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "revision"], name="submission_once_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.agreement} → {self.get_channel_display()}"


class OutgoingDelivery(models.Model):
    """For PKs a–c: the sending to one ministry, with its proof (receipt number or file)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.CharField(_("penerima"), max_length=200)
    sent_on = models.DateField(_("tanggal kirim"))
    receipt_number = models.CharField(_("nomor tanda terima"), max_length=100, blank=True)
    proof = models.FileField(_("bukti"), upload_to="proofs/%Y/", blank=True)

    class Meta:
        verbose_name = _("pengiriman ke kementerian")
        verbose_name_plural = _("pengiriman ke kementerian")

    def __str__(self):
        return f"{self.recipient} ({self.sent_on})"


class CompilationStatus(models.TextChoices):
    QUEUED = "antre", _("Menunggu")
    RUNNING = "berjalan", _("Sedang dikompilasi")
    DONE = "selesai", _("Selesai")
    FAILED = "gagal", _("Gagal")


class Compilation(models.Model):
    """A KPU Provinsi's bundle of its regencies' PKs for a year, built by a Celery task."""

    province = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="compilations"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(
        max_length=10, choices=CompilationStatus.choices, default=CompilationStatus.QUEUED
    )
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    reading_pdf = models.FileField(upload_to="compilations/%Y/", blank=True)
    originals_zip = models.FileField(upload_to="compilations/%Y/", blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("disampaikan ke KPU"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("kompilasi provinsi")
        verbose_name_plural = _("kompilasi provinsi")
        ordering = ["-created_at"]
        constraints = [
            # The claim that makes "Susun kompilasi" idempotent across processes: a second click
            # (or a second worker of the web server) cannot start a second build; it joins.
            models.UniqueConstraint(
                fields=["province", "year"],
                condition=models.Q(status__in=["antre", "berjalan"]),
                name="one_unfinished_compilation_per_province_year",
            )
        ]

    def __str__(self):
        return f"{self.province} {self.year} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.progress / self.total) if self.total else 0
