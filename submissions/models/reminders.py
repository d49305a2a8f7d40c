"""DIPA records, the compilation date KPU sets per year, and the reminders sent about deadlines."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# A Bagian/Subbagian has no DIPA of its own: the office above it (its Sekretariat) records it.
SUB_UNIT_KINDS = ("bagian", "subbagian")


class DipaQuerySet(models.QuerySet):
    def governing(self, unit, year: int):
        """The one DIPA that counts for `unit`'s PK of `year` (one query), or None: the unit's
        own, or for a Bagian/Subbagian the nearest office above it with one recorded."""
        codes = [unit.code]
        if unit.kind in SUB_UNIT_KINDS:
            codes += reversed(unit.ancestor_codes)
        depth = {code: index for index, code in enumerate(codes)}
        found = list(self.filter(unit__code__in=codes, year=year).select_related("unit"))
        return min(found, key=lambda dipa: depth[dipa.unit.code], default=None)


class Dipa(models.Model):
    """The ratified budget document (DIPA) of a unit for a year: the signing deadline's start.

    The one place a DIPA is entered (the DIPA page, or KPU's import); a draft PK's statement
    prints a copy of it (submissions.dipa_sync keeps the copy in step)."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="dipas")
    year = models.PositiveSmallIntegerField(
        _("tahun anggaran"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    number = models.CharField(_("nomor DIPA"), max_length=100)
    ratified_on = models.DateField(_("tanggal pengesahan"))

    objects = DipaQuerySet.as_manager()

    class Meta:
        verbose_name = _("DIPA")
        verbose_name_plural = _("DIPA")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="dipa_once_per_year")]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.number}"


class CompilationCalendar(models.Model):
    """The date by which Kab/Kota PKs must reach their KPU Provinsi, set by KPU per year."""

    year = models.PositiveSmallIntegerField(_("tahun"), unique=True)
    compile_by = models.DateField(_("batas penyampaian ke KPU Provinsi"))

    class Meta:
        verbose_name = _("jadwal kompilasi")
        verbose_name_plural = _("jadwal kompilasi")

    def __str__(self):
        return f"{self.year}: {self.compile_by}"


class DeadlineKind(models.TextChoices):
    SIGNING = "tanda_tangan", _("Penandatanganan (30 hari setelah DIPA)")
    COMPILATION = "kompilasi", _("Penyampaian ke KPU Provinsi")
    SUBMISSION = "penyampaian", _("Penyampaian (akhir Januari)")
    # Quarterly reporting of realisations (monitoring.reminders), before each closing date.
    QUARTER_1 = "triwulan-1", _("Pelaporan realisasi Triwulan I")
    QUARTER_2 = "triwulan-2", _("Pelaporan realisasi Triwulan II")
    QUARTER_3 = "triwulan-3", _("Pelaporan realisasi Triwulan III")
    QUARTER_4 = "triwulan-4", _("Pelaporan realisasi Triwulan IV")


class Reminder(models.Model):
    """One reminder about one deadline of one unit at one offset: claimed before it is sent.

    The unique constraint is what makes a reminder go out exactly once, whatever restarts or
    overlapping runs happen: the run that inserts the row sends it; every other run finds it.
    """

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    deadline_kind = models.CharField(max_length=14, choices=DeadlineKind.choices)
    offset_days = models.SmallIntegerField(help_text=_("Negatif: sebelum batas; positif: lewat."))
    escalated = models.BooleanField(default=False)
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    recipients = models.JSONField(default=list, blank=True)  # e-mail addresses
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("pengingat")
        verbose_name_plural = _("pengingat")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "deadline_kind", "offset_days"],
                name="reminder_exactly_once",
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.year} {self.deadline_kind} {self.offset_days:+d}"
