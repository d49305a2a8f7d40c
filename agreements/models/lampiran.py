"""The lampiran of a PK: programme → kegiatan → sasaran → indikator rows, and budget lines.

Programme and kegiatan levels are optional in the documents (the Sorong Ketua PK has neither):
a level that a PK does not have is one row with an empty name, which the document does not
print. That keeps one shape for every layout, so editing, import and rendering have one path.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agreements.models.agreement import EDITABLE_STATUSES, Agreement, LockedAgreement
from indicators.targets import Target


class LockedPart(models.Model):
    """A part of a PK's content: saving or deleting it is refused once the PK is locked."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)

    def _agreement_id(self):
        raise NotImplementedError

    def _refuse_if_locked(self):
        agreement = Agreement.objects.filter(pk=self._agreement_id()).only("status").first()
        if agreement is not None and agreement.status not in EDITABLE_STATUSES:
            raise LockedAgreement(agreement)


class LampiranProgramme(LockedPart):
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="programmes"
    )
    position = models.PositiveIntegerField(default=0)
    code = models.CharField(_("kode program"), max_length=40, blank=True)
    name = models.CharField(_("program"), max_length=300, blank=True)
    catalogue = models.ForeignKey(
        "indicators.Programme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("program")
        verbose_name_plural = _("program")

    def __str__(self):
        return self.name or _("(tanpa program)")

    def _agreement_id(self):
        return self.agreement_id


class LampiranKegiatan(LockedPart):
    programme = models.ForeignKey(
        LampiranProgramme, on_delete=models.CASCADE, related_name="kegiatan"
    )
    position = models.PositiveIntegerField(default=0)
    code = models.CharField(_("kode kegiatan"), max_length=40, blank=True)
    name = models.CharField(_("kegiatan"), max_length=300, blank=True)
    catalogue = models.ForeignKey(
        "indicators.Kegiatan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")

    def __str__(self):
        return self.name or _("(tanpa kegiatan)")

    def _agreement_id(self):
        return LampiranProgramme.objects.values_list("agreement_id", flat=True).get(
            pk=self.programme_id
        )


class Sasaran(LockedPart):
    kegiatan = models.ForeignKey(LampiranKegiatan, on_delete=models.CASCADE, related_name="sasaran")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("sasaran strategis"))
    catalogue = models.ForeignKey(
        "indicators.SasaranStrategis",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("sasaran")
        verbose_name_plural = _("sasaran")

    def __str__(self):
        return self.text

    def _agreement_id(self):
        return LampiranKegiatan.objects.values_list("programme__agreement_id", flat=True).get(
            pk=self.kegiatan_id
        )


class IndicatorRow(LockedPart):
    sasaran = models.ForeignKey(Sasaran, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("indikator kinerja"))
    catalogue = models.ForeignKey(
        "indicators.Indicator",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreement_rows",
    )
    target_text = models.CharField(_("target"), max_length=60)
    target_value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    target_unit = models.CharField(max_length=60, blank=True)
    target_grade = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")

    def __str__(self):
        return self.text

    def _agreement_id(self):
        return Sasaran.objects.values_list("kegiatan__programme__agreement_id", flat=True).get(
            pk=self.sasaran_id
        )

    def set_target(self, target: Target | None) -> None:
        """None: not filled in (a seed whose source shows no target); the completeness check
        reports it until the operator fills it in."""
        if target is None:
            self.target_value, self.target_unit, self.target_grade, self.target_text = (
                None,
                "",
                "",
                "",
            )
            return
        self.target_value = target.value
        self.target_unit = target.unit
        self.target_grade = target.grade
        self.target_text = target.printed

    @property
    def target(self) -> Target | None:
        if not self.target_text:
            return None
        value = Decimal(self.target_value) if self.target_value is not None else None
        return Target(value=value, unit=self.target_unit, grade=self.target_grade)


class BudgetLine(LockedPart):
    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveIntegerField(default=0)
    programme_code = models.CharField(_("kode program"), max_length=40, blank=True)
    programme_name = models.CharField(_("program"), max_length=300, blank=True)
    kegiatan_code = models.CharField(_("kode kegiatan"), max_length=40, blank=True)
    kegiatan_name = models.CharField(_("kegiatan"), max_length=300, blank=True)
    amount = models.BigIntegerField(_("anggaran (Rp)"), validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("baris anggaran")
        verbose_name_plural = _("baris anggaran")

    def __str__(self):
        return f"{self.kegiatan_name or self.programme_name}: {self.amount}"

    def _agreement_id(self):
        return self.agreement_id
