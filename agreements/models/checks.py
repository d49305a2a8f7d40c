from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckAcceptance(models.Model):
    """A person accepted a check's warning on a PK, with a reason (the audit record of it).

    Keyed by the finding's `row_key`, which names the row by its text, so an acceptance
    survives saves of the lampiran but not a change of the row it was about.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="check_acceptances"
    )
    check_name = models.CharField(_("pemeriksaan"), max_length=40)
    row_key = models.CharField(max_length=600)
    message = models.TextField(_("temuan yang diterima"))
    reason = models.TextField(_("alasan"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penerimaan peringatan")
        verbose_name_plural = _("penerimaan peringatan")
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "check_name", "row_key"], name="check_acceptance_unique"
            )
        ]

    def __str__(self):
        return f"{self.agreement}: {self.message}"
