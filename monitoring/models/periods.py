"""The quarters KPU reports on, their closing dates, and the capaian rules KPU configures."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from monitoring import capaian

# A closing date not set by KPU: the 15th of the month after the quarter.
DEFAULT_CLOSING_DAY = 15


class Quarter(models.IntegerChoices):
    Q1 = 1, _("Triwulan I")
    Q2 = 2, _("Triwulan II")
    Q3 = 3, _("Triwulan III")
    Q4 = 4, _("Triwulan IV")


def quarter_start(year: int, quarter: int) -> datetime.date:
    return datetime.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> datetime.date:
    if quarter == 4:
        return datetime.date(year, 12, 31)
    return quarter_start(year, quarter + 1) - datetime.timedelta(days=1)


def default_closing_date(year: int, quarter: int) -> datetime.date:
    """The 15th of the month after the quarter (Triwulan IV: 15 January of the next year)."""
    end = quarter_end(year, quarter)
    following = end + datetime.timedelta(days=1)
    return following.replace(day=DEFAULT_CLOSING_DAY)


class ReportingPeriodQuerySet(models.QuerySet):
    def closing_dates(self, years: Iterable[int]) -> dict[tuple[int, int], datetime.date | None]:
        """{(year, quarter): when entry closes} for every quarter of `years`, in one query:
        KPU's date, the default when KPU set no row, None when KPU left the quarter open (a
        row without a date)."""
        years = list(years)
        set_by_kpu = {
            (year, quarter): closes_on
            for year, quarter, closes_on in self.filter(year__in=years).values_list(
                "year", "quarter", "closes_on"
            )
        }
        return {
            (year, quarter): set_by_kpu[(year, quarter)]
            if (year, quarter) in set_by_kpu
            else default_closing_date(year, quarter)
            for year in years
            for quarter in Quarter.values
        }

    def closing_date(self, year: int, quarter: int) -> datetime.date | None:
        """When entry for the quarter closes (see closing_dates), in one query."""
        return self.filter(quarter=quarter).closing_dates([year])[(year, quarter)]


class ReportingPeriod(models.Model):
    """A quarter of a year and the last day its realisations may be entered (in each unit's
    own time zone, up to 23:59:59). Without a row the default date applies; a row without a
    date keeps the quarter open. After the date, realisations are locked."""

    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(_("triwulan"), choices=Quarter.choices)
    closes_on = models.DateField(
        _("batas pengisian"),
        null=True,
        blank=True,
        help_text=_(
            "Hari terakhir pengisian realisasi (pukul 23.59 waktu setempat). Kosongkan agar "
            "triwulan tetap terbuka. Tanpa baris ini berlaku tanggal 15 bulan berikutnya."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("periode pelaporan")
        verbose_name_plural = _("periode pelaporan")
        ordering = ["-year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="reporting_period_unique")
        ]

    def __str__(self):
        return f"{Quarter(self.quarter).label} {self.year}"

    def clean(self):
        super().clean()
        known = self.closes_on and self.year and self.quarter in Quarter.values
        if known and self.closes_on <= quarter_end(self.year, self.quarter):
            raise ValidationError(
                {"closes_on": _("Batas pengisian harus sesudah triwulan berakhir.")}
            )


RULES_CACHE_KEY = "monitoring:capaian-rules"


class CapaianRule(models.Model):
    """The capaian settings KPU may change (one row; without it the defaults apply)."""

    cap = models.DecimalField(
        _("batas atas capaian (%)"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(120),
        validators=[MinValueValidator(Decimal(100))],
    )
    achieved_from = models.DecimalField(
        _("tercapai mulai (%)"), max_digits=6, decimal_places=2, default=Decimal(100)
    )
    nearly_from = models.DecimalField(
        _("hampir tercapai mulai (%)"), max_digits=6, decimal_places=2, default=Decimal(80)
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aturan capaian")
        verbose_name_plural = _("aturan capaian")

    def __str__(self):
        return str(_("Aturan capaian"))

    # After the commit: deleting inside the admin's transaction would let another process
    # cache the old rules again, for an hour, before the new row is visible to it.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        transaction.on_commit(lambda: cache.delete(RULES_CACHE_KEY))

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        transaction.on_commit(lambda: cache.delete(RULES_CACHE_KEY))
        return result

    def clean(self):
        super().clean()
        if None in (self.cap, self.achieved_from, self.nearly_from):
            return  # the field errors say what is missing
        if not (Decimal(0) <= self.nearly_from < self.achieved_from <= self.cap):
            raise ValidationError(
                _(
                    "Urutan ambang harus: 0 ≤ hampir tercapai < tercapai ≤ batas atas "
                    "(misalnya 80, 100, 120)."
                )
            )

    def as_rules(self) -> capaian.Rules:
        return capaian.Rules(
            cap=self.cap, achieved_from=self.achieved_from, nearly_from=self.nearly_from
        )

    @classmethod
    def current(cls) -> capaian.Rules:
        """The rules in force (cached until the row changes)."""
        rules = cache.get(RULES_CACHE_KEY)
        if rules is None:
            row = cls.objects.order_by("pk").first()
            rules = row.as_rules() if row else capaian.DEFAULT_RULES
            cache.set(RULES_CACHE_KEY, rules, 3600)
        return rules
