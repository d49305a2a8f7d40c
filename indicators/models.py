"""The catalogue PKs draw from: programmes, kegiatan, sasaran strategis, indikator kinerja, IKU."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.text import normalise_text


class Programme(models.Model):
    code = models.CharField(_("kode"), max_length=40, blank=True, help_text="076.01.CQ")
    name = models.CharField(_("nama program"), max_length=300)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["code", "name"], name="programme_code_name_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class Kegiatan(models.Model):
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kegiatan",
    )
    code = models.CharField(_("kode"), max_length=40, blank=True, help_text="3355")
    name = models.CharField(_("nama kegiatan"), max_length=300)

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["code", "name"]

    def __str__(self):
        return f"{self.code} {self.name}".strip()


class NormalisedText(models.Model):
    """A catalogue entry found by its text as people type it: `normalised` is kept on save."""

    normalised = models.CharField(max_length=500, editable=False, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalised = normalise_text(self.text)[:500]
        super().save(*args, **kwargs)


class SasaranStrategis(NormalisedText):
    text = models.TextField(_("sasaran strategis"))

    class Meta:
        verbose_name = _("sasaran strategis")
        verbose_name_plural = _("sasaran strategis")
        ordering = ["text"]

    def __str__(self):
        return self.text


class IndicatorKind(models.TextChoices):
    PERCENTAGE = "persen", _("Persentase")
    COUNT = "jumlah", _("Jumlah dengan satuan")
    SCORE = "nilai", _("Nilai/indeks")
    GRADE = "predikat", _("Predikat (mis. WTP, B)")


class Indicator(NormalisedText):
    """An indikator kinerja of the catalogue. PK rows point to it, or are typed freely."""

    text = models.TextField(_("indikator kinerja"))
    kind = models.CharField(
        _("jenis"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.PERCENTAGE
    )
    unit_of_measure = models.CharField(
        _("satuan"), max_length=60, blank=True, help_text=_("Misalnya %, Lembaga, laporan.")
    )
    higher_is_better = models.BooleanField(
        _("makin tinggi makin baik"),
        default=True,
        help_text=_("Matikan untuk indikator seperti persentase penurunan nilai temuan."),
    )
    sasaran = models.ForeignKey(
        SasaranStrategis,
        verbose_name=_("sasaran strategis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    cascades_from = models.ForeignKey(
        "self",
        verbose_name=_("turunan dari"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cascades_to",
    )

    class Meta:
        verbose_name = _("indikator kinerja")
        verbose_name_plural = _("indikator kinerja")
        ordering = ["text"]

    def __str__(self):
        return self.text


class IKULevel(models.TextChoices):
    KPU = "kpu", _("IKU KPU")
    PROVINSI = "provinsi", _("IKU KPU Provinsi/KIP Aceh")
    KABKOTA = "kabkota", _("IKU KPU/KIP Kabupaten/Kota")


class IKUDesignation(models.Model):
    """An indicator set as IKU for a level over a period (by Keputusan), with a national target."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="iku"
    )
    level = models.CharField(_("tingkat"), max_length=10, choices=IKULevel.choices)
    first_year = models.PositiveSmallIntegerField(_("tahun awal"))
    last_year = models.PositiveSmallIntegerField(_("tahun akhir"), null=True, blank=True)
    national_target = models.CharField(
        _("target nasional"), max_length=60, blank=True, help_text=_("Misalnya 100% atau WTP.")
    )
    decree = models.CharField(_("dasar penetapan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("penetapan IKU")
        verbose_name_plural = _("penetapan IKU")
        ordering = ["level", "first_year"]

    def __str__(self):
        return f"{self.get_level_display()}: {self.indicator}"

    def clean(self):
        super().clean()
        if self.last_year and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("Tahun akhir tidak boleh sebelum tahun awal.")})

    @classmethod
    def for_year(cls, level, year):
        return cls.objects.filter(level=level, first_year__lte=year).filter(
            Q(last_year__isnull=True) | Q(last_year__gte=year)
        )
