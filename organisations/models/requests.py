"""Changes that decide who can sign for an official, each made by two people.

A unit administrator asks (binds an account to an official as signatory, or changes an
official's e-mail of record); an administrator of the superior office (or of the KPU) decides.
The official's address of record hears of the request and of the decision
(organisations.signatory_requests does all of it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    BIND = "ikat", _("Ikat akun sebagai penandatangan pejabat")
    EMAIL = "surel", _("Ganti surel pejabat")


class RequestStatus(models.TextChoices):
    PENDING = "menunggu", _("Menunggu persetujuan")
    APPROVED = "disetujui", _("Disetujui")
    REJECTED = "ditolak", _("Ditolak")


class SignatoryRequest(models.Model):
    kind = models.CharField(_("jenis"), max_length=8, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    official = models.ForeignKey(
        "organisations.Official",
        verbose_name=_("pejabat"),
        on_delete=models.CASCADE,
        related_name="signatory_requests",
    )
    # BIND: the account and the unit of the signatory membership created on approval.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signatory_requests",
    )
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    # EMAIL: the address of record before and the one asked for.
    old_email = models.EmailField(_("surel lama"), blank=True)
    new_email = models.EmailField(_("surel baru"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("diajukan"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("diputuskan"), null=True, blank=True)

    class Meta:
        verbose_name = _("permintaan penandatangan")
        verbose_name_plural = _("permintaan penandatangan")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="ikat") | Q(user__isnull=False),
                name="signatory_request_bind_has_user",
            ),
            models.CheckConstraint(
                condition=~Q(kind="surel") | ~Q(new_email=""),
                name="signatory_request_email_has_address",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.official} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING
