"""Officials (pejabat), the positions of each unit, and who held which position when."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.nip import normalise_nip, validate_nip


class PositionKind(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    ANGGOTA = "anggota", _("Anggota")
    SEKRETARIS_JENDERAL = "sekretaris_jenderal", _("Sekretaris Jenderal")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    KEPALA_BIRO = "kepala_biro", _("Kepala Biro")
    INSPEKTUR = "inspektur", _("Inspektur")
    KEPALA_BAGIAN = "kepala_bagian", _("Kepala Bagian")
    KEPALA_SUBBAGIAN = "kepala_subbagian", _("Kepala Subbagian")


class Acting(models.TextChoices):
    DEFINITIVE = "definitif", _("Definitif")
    PLT = "plt", _("Pelaksana Tugas (Plt)")
    PLH = "plh", _("Pelaksana Harian (Plh)")


class Official(models.Model):
    """A person who holds or held a position. Commissioners usually have no NIP."""

    name = models.CharField(_("nama"), max_length=200)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        help_text=_("18 digit, tanpa spasi. Kosongkan untuk Ketua/Anggota yang tidak ber-NIP."),
    )
    email = models.EmailField(_("surel"), blank=True)

    class Meta:
        verbose_name = _("pejabat")
        verbose_name_plural = _("pejabat")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~Q(nip=""), name="official_nip_unique_when_set"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.nip})" if self.nip else self.name

    def clean(self):
        super().clean()
        if self.nip:
            self.nip = normalise_nip(self.nip)
            validate_nip(self.nip)

    @property
    def nip_display(self) -> str:
        return self.nip


class Position(models.Model):
    """A position of a unit, with its title as documents print it."""

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    kind = models.CharField(_("jenis jabatan"), max_length=32, choices=PositionKind.choices)
    title = models.CharField(
        _("nama jabatan"),
        max_length=255,
        help_text=_("Sebagaimana dicetak, misalnya SEKRETARIS KPU KOTA SORONG."),
    )
    short_title = models.CharField(
        _("nama jabatan singkat"),
        max_length=255,
        blank=True,
        help_text=_(
            "Bentuk singkat yang dapat dipilih operator untuk blok tanda tangan, misalnya "
            "Ketua KPU Kota Bontang (bentuk panjang: Ketua Komisi Pemilihan Umum Kota Bontang)."
        ),
    )

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["unit__path", "kind"]
        constraints = [
            # Anggota are many; every other kind is the one head position of its unit.
            models.UniqueConstraint(
                fields=["unit", "kind"],
                condition=~Q(kind="anggota"),
                name="position_one_head_per_unit",
            )
        ]

    def __str__(self):
        return self.title

    def holders_on(self, day: datetime.date):
        return self.assignments.active_on(day).select_related("official")


class AssignmentQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Assignment(models.Model):
    """An official holding a position from one date to another, definitively or as Plt/Plh."""

    official = models.ForeignKey(
        Official, verbose_name=_("pejabat"), on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("jabatan"), on_delete=models.CASCADE, related_name="assignments"
    )
    acting = models.CharField(
        _("status"), max_length=10, choices=Acting.choices, default=Acting.DEFINITIVE
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"), null=True, blank=True)
    decree = models.CharField(_("nomor keputusan"), max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_it_starts",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            )
        ]

    def __str__(self):
        return f"{self.official} — {self.position}"

    def save(self, *args, **kwargs):
        """Save after re-checking, under a lock on the position, that no definitive term overlaps.

        The lock makes two administrators appointing two definitive holders at the same moment
        wait for each other, so the second one gets the clash message instead of a silent
        double appointment.
        """
        with transaction.atomic():
            Position.objects.select_for_update().filter(pk=self.position_id).first()
            self.clean()
            super().save(*args, **kwargs)

    def overlapping_definitive(self):
        """Other definitive holders of the same position whose terms overlap this one."""
        others = Assignment.objects.filter(
            position_id=self.position_id, acting=Acting.DEFINITIVE
        ).exclude(pk=self.pk)
        if self.end_date:
            others = others.filter(start_date__lte=self.end_date)
        return others.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")}
            )
        if (
            self.acting == Acting.DEFINITIVE
            and self.position_id
            and self.start_date
            and self.position.kind != PositionKind.ANGGOTA
        ):
            clash = self.overlapping_definitive().select_related("official").first()
            if clash:
                raise ValidationError(
                    _(
                        "Jabatan %(position)s sudah dijabat secara definitif oleh %(name)s "
                        "sejak %(start)s. Akhiri penugasan itu terlebih dahulu, atau catat "
                        "penugasan ini sebagai Plt/Plh."
                    )
                    % {
                        "position": self.position.title,
                        "name": clash.official.name,
                        "start": clash.start_date.strftime("%d-%m-%Y"),
                    }
                )
