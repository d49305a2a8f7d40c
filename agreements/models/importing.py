from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMapping(models.Model):
    """What each column of a unit's own spreadsheet holds, as its operator last confirmed it:
    {normalised header text: role}. The next upload of the unit starts from it."""

    unit = models.OneToOneField(
        "organisations.Unit", on_delete=models.CASCADE, related_name="import_mapping"
    )
    columns = models.JSONField(_("kolom"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pemetaan kolom impor")
        verbose_name_plural = _("pemetaan kolom impor")

    def __str__(self):
        return str(self.unit)

    @classmethod
    def remembered_for(cls, unit) -> dict:
        return cls.objects.filter(unit=unit).values_list("columns", flat=True).first() or {}

    @classmethod
    def remember(cls, unit, columns: dict) -> None:
        """Side effect: merges `columns` into the unit's mapping (one upsert)."""
        known = cls.remembered_for(unit)
        cls.objects.update_or_create(unit=unit, defaults={"columns": {**known, **columns}})
