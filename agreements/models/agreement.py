"""The Perjanjian Kinerja: one unit, one year, one version, and its signatories as printed."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from agreements.models.workflow import AgreementStatus, WorkflowMixin
from organisations.models import Unit
from organisations.signatories import PKKind, SignatoryPair, signatories_for

# The content (statement data, rows, budgets, parties) may change only in these states.
EDITABLE_STATUSES = {AgreementStatus.DRAFT, AgreementStatus.RETURNED}


class AmendmentReason(models.TextChoices):
    OFFICIAL = "pejabat", _("Pejabat diganti atau dimutasi")
    BUDGET = "anggaran", _("Program, kegiatan atau anggaran berubah")
    PRIORITIES = "prioritas", _("Prioritas atau asumsi berubah")


class StaleAgreement(Exception):  # noqa: N818 - reads as what happened
    """Someone else saved the PK since this user opened it (optimistic locking)."""


class LockedAgreement(Exception):  # noqa: N818 - reads as what happened
    """The PK has left the draft states: its content can no longer change."""

    def __init__(self, agreement=None):
        super().__init__(
            _("PK ini berstatus %(status)s sehingga isinya terkunci dan tidak dapat diubah.")
            % {"status": agreement.get_status_display() if agreement else _("terkunci")}
        )


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """PKs of the units the user may see: the one scoping rule of organisations."""
        return self.filter(unit__in=Unit.objects.visible_to(user))

    def matching(self, words: str):
        """PKs whose unit name, signatory names or an indicator contain `words` (any case):
        the search of the PK list and of the national review."""
        words = " ".join(words.split())
        if not words:
            return self
        from_indicators = self.model.objects.filter(
            programmes__kegiatan__sasaran__indicators__text__icontains=words
        ).values("pk")
        return self.filter(
            models.Q(unit__name__icontains=words)
            | models.Q(unit__short_name__icontains=words)
            | models.Q(pihak_pertama_name__icontains=words)
            | models.Q(pihak_kedua_name__icontains=words)
            | models.Q(pk__in=from_indicators)
        )


class Agreement(WorkflowMixin, models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agreements"
    )
    year = models.PositiveSmallIntegerField(
        _("tahun"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    status = FSMField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    # A return sends the PK back for a new revision of the same version.
    revision = models.PositiveSmallIntegerField(_("revisi"), default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Yang mengajukan revisi ini; tidak boleh menyetujuinya sendiri."),
    )
    pk_kind = models.CharField(_("jenis PK"), max_length=3, choices=PKKind.choices)

    # The signatories as the PK prints them, frozen when they were set.
    pihak_pertama_name = models.CharField(_("nama Pihak Pertama"), max_length=200, blank=True)
    pihak_pertama_position = models.CharField(
        _("jabatan Pihak Pertama"), max_length=255, blank=True
    )
    pihak_pertama_nip = models.CharField(_("NIP Pihak Pertama"), max_length=18, blank=True)
    pihak_pertama_official = models.ForeignKey(
        "organisations.Official",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pihak_kedua_name = models.CharField(_("nama Pihak Kedua"), max_length=200, blank=True)
    pihak_kedua_position = models.CharField(_("jabatan Pihak Kedua"), max_length=255, blank=True)
    pihak_kedua_nip = models.CharField(_("NIP Pihak Kedua"), max_length=18, blank=True)
    pihak_kedua_official = models.ForeignKey(
        "organisations.Official",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The position lines of each signature block, as the office prints them (the long or the
    # short form, its casing; a line break for an institution line above the position, as
    # "KOMISI PEMILIHAN UMUM KOTA SORONG" above "KETUA"). Empty: the Jabatan of the statement.
    pihak_pertama_signature_position = models.CharField(
        _("jabatan pada blok tanda tangan Pihak Pertama"), max_length=255, blank=True
    )
    pihak_kedua_signature_position = models.CharField(
        _("jabatan pada blok tanda tangan Pihak Kedua"), max_length=255, blank=True
    )

    place = models.CharField(_("tempat"), max_length=100, blank=True)
    sign_date = models.DateField(_("tanggal"), null=True, blank=True)

    renstra_reference = models.CharField(_("Renstra"), max_length=255, blank=True)
    rkt_reference = models.CharField(_("RKT"), max_length=255, blank=True)
    rka_reference = models.CharField(_("RKA"), max_length=255, blank=True)
    dipa_number = models.CharField(_("nomor DIPA"), max_length=100, blank=True)
    dipa_date = models.DateField(_("tanggal DIPA"), null=True, blank=True)

    # A PK Perubahan: a new version of a signed PK, which stays signed and readable.
    amends = models.ForeignKey(
        "self",
        verbose_name=_("mengubah PK"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    amendment_reason = models.CharField(
        _("alasan perubahan"), max_length=12, choices=AmendmentReason.choices, blank=True
    )
    amendment_note = models.TextField(_("keterangan perubahan"), blank=True)
    amendment_date = models.DateField(_("tanggal perubahan"), null=True, blank=True)

    # The last cascade check result, kept for list pages and the national dashboard (which
    # cannot run the checks of 3,300 PKs per request); None until the checks first ran.
    check_errors = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    check_warnings = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    # Bumped by every save of the PK or its rows; a save carrying an older number is refused.
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("perjanjian kinerja")
        verbose_name_plural = _("perjanjian kinerja")
        ordering = ["-year", "unit__path", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "version"], name="agreement_unit_year_version_unique"
            )
        ]

    def __str__(self):
        return f"PK {self.unit} {self.year}" + (f" (v{self.version})" if self.version > 1 else "")

    # The statement data: frozen, like the rows, once the PK leaves the draft states.
    CONTENT_FIELDS = (
        "unit_id", "year", "version", "pk_kind", "place", "sign_date",
        "renstra_reference", "rkt_reference", "rka_reference", "dipa_number", "dipa_date",
        "pihak_pertama_name", "pihak_pertama_position", "pihak_pertama_nip",
        "pihak_pertama_official_id", "pihak_kedua_name", "pihak_kedua_position",
        "pihak_kedua_nip", "pihak_kedua_official_id",
        "pihak_pertama_signature_position", "pihak_kedua_signature_position",
    )  # fmt: skip

    def save(self, *args, **kwargs):
        """Refuse (LockedAgreement) a change of content while the stored PK is locked.

        Transitions still save: they change the state, never the content.
        """
        if self.pk:
            stored = (
                Agreement.objects.filter(pk=self.pk).values("status", *self.CONTENT_FIELDS).first()
            )
            locked = stored is not None and stored["status"] not in EDITABLE_STATUSES
            if locked and any(stored[f] != getattr(self, f) for f in self.CONTENT_FIELDS):
                raise LockedAgreement(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.sign_date and self.year and self.sign_date.year not in (self.year - 1, self.year):
            raise ValidationError(
                {
                    "sign_date": _(
                        "Tanggal penandatanganan PK tahun %(year)s harus pada tahun %(year)s "
                        "(atau akhir tahun sebelumnya)."
                    )
                    % {"year": self.year}
                }
            )
        if self.dipa_date and self.year and self.dipa_date.year not in (self.year - 1, self.year):
            raise ValidationError(
                {"dipa_date": _("Tanggal DIPA harus pada tahun anggaran atau tahun sebelumnya.")}
            )

    @property
    def is_single_signatory(self) -> bool:
        return self.pk_kind in {PKKind.KPU, PKKind.PROVINSI, PKKind.KABKOTA}

    @property
    def is_amendment(self) -> bool:
        return self.amends_id is not None

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def apply_signatories(self, pair: SignatoryPair) -> None:
        """Snapshot the pair's names, positions and NIP onto the PK (the caller saves)."""
        self.pk_kind = pair.pk_kind
        first, second = pair.pihak_pertama, pair.pihak_kedua
        self.pihak_pertama_name = first.name
        self.pihak_pertama_position = first.printed_position
        self.pihak_pertama_nip = first.nip
        self.pihak_pertama_official_id = first.official_id
        self.pihak_kedua_name = second.name if second else ""
        self.pihak_kedua_position = second.printed_position if second else ""
        self.pihak_kedua_nip = second.nip if second else ""
        self.pihak_kedua_official_id = second.official_id if second else None

    def refresh_signatories(self, day: datetime.date | None = None) -> None:
        """Look up who signs on `day` (the PK date, else 1 January); raises VacantPosition."""
        day = day or self.sign_date or datetime.date(self.year, 1, 1)
        self.apply_signatories(signatories_for(self.unit, day))

    def touch(self, expected_lock_version: int | None = None) -> None:
        """Claim the next lock version, refusing if someone saved since `expected_lock_version`.

        Side effects: one conditional UPDATE; raises LockedAgreement when the PK has left the
        draft states, StaleAgreement when someone else saved first. Every change to the PK or
        its rows calls this inside the same transaction, which is what locks the content at
        the model level.
        """
        rows = Agreement.objects.filter(pk=self.pk, status__in=EDITABLE_STATUSES)
        if expected_lock_version is not None:
            rows = rows.filter(lock_version=expected_lock_version)
        if not rows.update(lock_version=F("lock_version") + 1):
            current = Agreement.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if current not in EDITABLE_STATUSES:
                self.status = current or self.status
                raise LockedAgreement(self)
            raise StaleAgreement
        self.lock_version = Agreement.objects.values_list("lock_version", flat=True).get(pk=self.pk)

    # --- lampiran summaries -------------------------------------------------------------
    def budget_by_programme(self) -> list[tuple[str, str, int]]:
        """[(code, name, total)] in the order the budget lines list them."""
        totals: dict[tuple[str, str], int] = {}
        for line in self.budget_lines.order_by("position"):
            key = (line.programme_code, line.programme_name)
            totals[key] = totals.get(key, 0) + line.amount
        return [(code, name, total) for (code, name), total in totals.items()]

    def indicator_count(self) -> int:
        # Through the reverse relations: the lampiran models build on this one, not the
        # other way round.
        return self.programmes.aggregate(n=Count("kegiatan__sasaran__indicators"))["n"]

    @transaction.atomic
    def save_with_lock(self, expected_lock_version: int, *args, **kwargs):
        self.touch(expected_lock_version)
        super().save(*args, **kwargs)
