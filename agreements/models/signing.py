"""Signed documents of a PK: the electronically signed PDF or the scan of the signed paper."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models.statement import StatementTemplate


class SignatureMethod(models.TextChoices):
    ELECTRONIC = "elektronik", _("Tanda tangan elektronik")
    WET = "basah", _("Pindaian dokumen bertanda tangan basah")


class Party(models.TextChoices):
    PIHAK_PERTAMA = "pihak_pertama", _("Pihak Pertama")
    PIHAK_KEDUA = "pihak_kedua", _("Pihak Kedua")


def _verification_code() -> str:
    return secrets.token_urlsafe(18)


class SignedDocument(models.Model):
    """One signed file of one revision of a PK, kept through the storage API, never a path.

    An electronic document collects one signature per party (Pihak Pertama first, then Pihak
    Kedua, as incremental PDF signatures of the same file); a wet-signature scan carries both
    at once. `verification_code` is the public address that lets anyone check the file.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.PROTECT, related_name="signed_documents"
    )
    revision = models.PositiveSmallIntegerField(_("revisi"))
    method = models.CharField(
        _("cara penandatanganan"), max_length=12, choices=SignatureMethod.choices
    )
    file = models.FileField(_("berkas"), upload_to="signed/%Y/", max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    page_count = models.PositiveIntegerField(_("jumlah halaman"), default=0)
    verification_code = models.CharField(
        max_length=32, unique=True, default=_verification_code, editable=False
    )
    is_complete = models.BooleanField(_("lengkap"), default=False)
    # The wording the PK was signed with: its later edits make new versions, never this one.
    statement_template = models.ForeignKey(
        "agreements.StatementTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_documents",
        verbose_name=_("templat pernyataan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dokumen bertanda tangan")
        verbose_name_plural = _("dokumen bertanda tangan")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.agreement} r{self.revision} ({self.get_method_display()})"

    def save(self, *args, **kwargs):
        """Side effect: the first save records the statement wording the document prints
        (the newest template covering the PK's year and kind), which it keeps from then on."""
        if self.statement_template_id is None:
            agreement = self.agreement
            self.statement_template = StatementTemplate.objects.for_pk(
                agreement.year, agreement.is_single_signatory
            )
        super().save(*args, **kwargs)


class Signature(models.Model):
    """A party's signature on a signed document, with the party as printed when they signed."""

    document = models.ForeignKey(
        SignedDocument, on_delete=models.CASCADE, related_name="signatures"
    )
    party = models.CharField(_("pihak"), max_length=16, choices=Party.choices)
    signer_name = models.CharField(_("nama"), max_length=200)
    signer_position = models.CharField(_("jabatan"), max_length=255)
    signer_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    certificate_subject = models.CharField(_("sertifikat"), max_length=500, blank=True)
    signed_at = models.DateTimeField(_("waktu tanda tangan"))

    class Meta:
        verbose_name = _("tanda tangan")
        verbose_name_plural = _("tanda tangan")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["document", "party"], name="signature_one_per_party")
        ]

    def __str__(self):
        return f"{self.get_party_display()}: {self.signer_name}"


class KeyEnrolment(models.Model):
    """A single-use link, sent to an official's e-mail of record, at which the official sets
    their signing secret and gets a new key (agreements.signing.enrolment). Only the SHA-256
    of the link's token is kept: the database alone opens no link."""

    official = models.ForeignKey(
        "organisations.Official", on_delete=models.CASCADE, related_name="key_enrolments"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    sent_to = models.EmailField(_("dikirim ke"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("pendaftaran kunci tanda tangan")
        verbose_name_plural = _("pendaftaran kunci tanda tangan")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.official} ({self.created_at:%Y-%m-%d %H:%M})"


class Notification(models.Model):
    """An in-app notice to a user (the e-mail copy goes out through Celery)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(_("pesan"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.message
