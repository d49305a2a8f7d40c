"""The units of the KPU hierarchy, as a tree with a materialised path.

Every unit stores its `path` (the codes of its ancestors and itself joined by "/"), its
`province` (the KPU Provinsi it belongs to, if any) and its `satker` (the office it is part of:
the KPU, KPU Provinsi or KPU Kab/Kota). With those three, "all units of a province",
"everything under this unit" and "the ancestors of this unit" are one query each at national
scale, never a query per node.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from organisations.models.roles import Role

PATH_SEPARATOR = "/"


class UnitKind(models.TextChoices):
    KPU = "kpu", _("KPU")
    SETJEN = "setjen", _("Sekretariat Jenderal KPU")
    ESELON_II = "eselon_ii", _("Unit Eselon II Sekretariat Jenderal")
    PROVINSI = "provinsi", _("KPU Provinsi/KIP Aceh")
    SEKRETARIAT_PROVINSI = "sekretariat_provinsi", _("Sekretariat KPU Provinsi/KIP Aceh")
    KABKOTA = "kabkota", _("KPU/KIP Kabupaten/Kota")
    SEKRETARIAT_KABKOTA = "sekretariat_kabkota", _("Sekretariat KPU/KIP Kabupaten/Kota")
    BAGIAN = "bagian", _("Bagian")
    SUBBAGIAN = "subbagian", _("Subbagian")


# Which kinds may sit under which: the shape of the hierarchy in DOMAIN.md.
ALLOWED_PARENT_KINDS = {
    UnitKind.KPU: set(),
    UnitKind.SETJEN: {UnitKind.KPU},
    UnitKind.ESELON_II: {UnitKind.SETJEN},
    UnitKind.PROVINSI: {UnitKind.KPU},
    UnitKind.SEKRETARIAT_PROVINSI: {UnitKind.PROVINSI},
    UnitKind.KABKOTA: {UnitKind.PROVINSI},
    UnitKind.SEKRETARIAT_KABKOTA: {UnitKind.KABKOTA},
    UnitKind.BAGIAN: {UnitKind.SEKRETARIAT_PROVINSI, UnitKind.ESELON_II},
    UnitKind.SUBBAGIAN: {
        UnitKind.SEKRETARIAT_KABKOTA,
        UnitKind.SEKRETARIAT_PROVINSI,
        UnitKind.BAGIAN,
    },
}

# The commission bodies: each is the `satker` of itself and of everything under it that is not
# another commission body.
SATKER_KINDS = {UnitKind.KPU, UnitKind.PROVINSI, UnitKind.KABKOTA}


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


# Kemendagri province code -> time zone (Keppres 41/1987 and later provinces).
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def time_zone_for_province(province_code: str) -> str:
    if province_code in WIT_PROVINCES:
        return TimeZone.WIT
    if province_code in WITA_PROVINCES:
        return TimeZone.WITA
    return TimeZone.WIB


class PaperSize(models.TextChoices):
    A4 = "A4", _("A4 (210 × 297 mm)")
    F4 = "F4", _("F4/Folio (215 × 330 mm)")


def visibility_scope(user) -> tuple[bool, set, set] | None:
    """The one place that decides which units a user may see (and so their PKs), as
    (every unit, provinces, satkers); None: none at all.

    - superusers and KPU reviewers (Perencanaan, Inspektorat): every unit;
    - a provincial compiler: every unit of their province;
    - anyone else: the units of the office (satker) of each of their memberships, e.g. a
      Bontang operator sees KPU Kota Bontang, its Sekretariat and Subbagian.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return True, set(), set()
    memberships = user.active_memberships()
    if any(m.role in Role.national_roles() for m in memberships):
        return True, set(), set()
    # Without None: SQL's `IN (NULL)` matches nothing, and the two readings must agree.
    provinces = {m.unit.province_id for m in memberships if m.role == Role.COMPILER} - {None}
    satkers = {m.unit.satker_id for m in memberships if m.role != Role.COMPILER} - {None}
    return False, provinces, satkers


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The units `user` may see (visibility_scope), as a queryset."""
        scope = visibility_scope(user)
        if scope is None:
            return self.none()
        everything, provinces, satkers = scope
        if everything:
            return self.all()
        return self.filter(models.Q(province_id__in=provinces) | models.Q(satker_id__in=satkers))

    def in_province(self, province):
        return self.filter(province=province)

    def descendants_of(self, unit, include_self=False):
        descendants = self.filter(path__startswith=unit.path + PATH_SEPARATOR)
        if include_self:
            return descendants | self.filter(pk=unit.pk)
        return descendants


class Unit(models.Model):
    code = models.CharField(
        _("kode"),
        max_length=120,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9.\-]*$",
                _("Kode hanya boleh berisi huruf kecil, angka, titik dan tanda hubung."),
            )
        ],
        help_text=_("Kode tetap unit, misalnya 64.74 atau 64.74.sekretariat."),
    )
    kind = models.CharField(_("jenis"), max_length=32, choices=UnitKind.choices)
    name = models.CharField(
        _("nama resmi"),
        max_length=255,
        help_text=_("Misalnya Komisi Pemilihan Umum Kota Bontang."),
    )
    short_name = models.CharField(
        _("nama singkat"), max_length=160, help_text=_("Misalnya KPU Kota Bontang.")
    )
    region_code = models.CharField(
        _("kode wilayah Kemendagri"), max_length=13, blank=True, db_index=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Derived on save (see the module docstring): never edited by hand.
    path = models.CharField(max_length=1000, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    province = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="province_units",
        verbose_name=_("provinsi"),
    )
    satker = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="satker_units",
        verbose_name=_("satuan kerja"),
    )
    order = models.PositiveIntegerField(_("urutan"), default=0)

    # Letterhead (kop surat) and document settings.
    address = models.CharField(_("alamat"), max_length=500, blank=True)
    telephone = models.CharField(_("telepon"), max_length=100, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    website = models.CharField(_("laman"), max_length=200, blank=True)
    city = models.CharField(
        _("tempat penandatanganan"),
        max_length=100,
        blank=True,
        help_text=_("Kota yang dicetak sebelum tanggal, misalnya Bontang."),
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    time_zone = models.CharField(
        _("zona waktu"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    paper_size = models.CharField(
        _("ukuran kertas"), max_length=2, choices=PaperSize.choices, default=PaperSize.A4
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("unit")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["kind", "province"]),
            models.Index(fields=["satker", "kind"]),
        ]

    def __str__(self):
        # A Subbagian's short name is the same in 514 offices: say which office it is in.
        if self.kind in {UnitKind.BAGIAN, UnitKind.SUBBAGIAN}:
            return self.name
        return self.short_name

    def save(self, *args, **kwargs):
        """Derive path, depth, province, satker and time zone; move the subtree with the unit.

        Side effects: when the path changes, every descendant's path is rewritten in one UPDATE.
        A unit that is its own province or satker is saved twice (it must exist first).
        """
        with transaction.atomic():
            old = None
            if self.pk:
                old = (
                    Unit.objects.filter(pk=self.pk)
                    .values("path", "depth", "province_id", "satker_id")
                    .first()
                )
            if self.pk is None and self.kind in SATKER_KINDS:
                # The row must exist before it can point at itself.
                self.path = self.code
                self.province = None
                self.satker = None
                super().save(*args, **kwargs)
                kwargs = {k: v for k, v in kwargs.items() if k != "force_insert"}
            self._derive_tree_fields()
            super().save(*args, **kwargs)
            if old and old["path"] != self.path:
                self._move_descendants(old)

    def is_visible_to(self, user) -> bool:
        """Whether `user` may see this unit (visibility_scope), without a query: for a page
        that has the unit already (the same answer as Unit.objects.visible_to)."""
        scope = visibility_scope(user)
        if scope is None:
            return False
        everything, provinces, satkers = scope
        return everything or self.province_id in provinces or self.satker_id in satkers

    # --- tree --------------------------------------------------------------------------
    @property
    def ancestor_codes(self) -> list[str]:
        return self.path.split(PATH_SEPARATOR)[:-1]

    def ancestors(self):
        """All ancestors, root first, in one query."""
        return Unit.objects.filter(code__in=self.ancestor_codes).order_by("depth")

    def descendants(self, include_self=False):
        return Unit.objects.descendants_of(self, include_self=include_self)

    @property
    def province_code(self) -> str:
        return self.region_code.split(".")[0] if self.region_code else ""

    def clean(self):
        super().clean()
        errors = {}
        allowed = ALLOWED_PARENT_KINDS.get(self.kind, set())
        if self.parent_id is None and allowed:
            errors["parent"] = _("Unit jenis ini harus berada di bawah unit induk.")
        if self.parent_id is not None:
            parent = self.parent
            if self.pk and (
                parent.pk == self.pk
                or (self.path and parent.path.startswith(self.path + PATH_SEPARATOR))
            ):
                errors["parent"] = _(
                    "Unit tidak dapat dipindahkan ke bawah dirinya sendiri atau unit turunannya."
                )
            elif parent.kind not in allowed:
                errors["parent"] = _("%(kind)s tidak dapat berada di bawah %(parent_kind)s.") % {
                    "kind": self.get_kind_display(),
                    "parent_kind": parent.get_kind_display(),
                }
        if errors:
            raise ValidationError(errors)

    def _derive_tree_fields(self):
        parent = self.parent
        self.path = f"{parent.path}{PATH_SEPARATOR}{self.code}" if parent else self.code
        self.depth = parent.depth + 1 if parent else 0
        if self.kind == UnitKind.PROVINSI:
            self.province = self
        else:
            self.province = parent.province if parent else None
        if self.kind in SATKER_KINDS:
            self.satker = self
        else:
            self.satker = parent.satker if parent else None
        if self.province is not None and self.province_code:
            self.time_zone = time_zone_for_province(self.province_code)

    def _move_descendants(self, old):
        prefix = old["path"] + PATH_SEPARATOR
        Unit.objects.filter(path__startswith=prefix).update(
            path=Concat(Value(self.path + PATH_SEPARATOR), Substr("path", len(prefix) + 1)),
            depth=F("depth") + (self.depth - old["depth"]),
        )
        descendants = Unit.objects.filter(path__startswith=self.path + PATH_SEPARATOR)
        # Province and satker follow the new place, unless a descendant is one itself.
        if old["province_id"] != self.province_id:
            descendants.filter(province_id=old["province_id"]).exclude(
                kind=UnitKind.PROVINSI
            ).update(province_id=self.province_id)
        if old["satker_id"] != self.satker_id:
            descendants.filter(satker_id=old["satker_id"]).exclude(kind__in=SATKER_KINDS).update(
                satker_id=self.satker_id
            )
