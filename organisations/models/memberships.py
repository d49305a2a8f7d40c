from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models.roles import Role
from organisations.models.units import UnitKind


class Membership(models.Model):
    """A user's role in a unit. A user may hold several (e.g. operator of two Subbagian)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    official = models.ForeignKey(
        "organisations.Official",
        verbose_name=_("pejabat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("Wajib untuk peran Penandatangan: pejabat yang diwakili akun ini."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    def clean(self):
        super().clean()
        if self.role == Role.SIGNATORY and not self.official_id:
            raise ValidationError(
                {"official": _("Peran Penandatangan harus terhubung ke pejabat.")}
            )
        if (
            self.role == Role.COMPILER
            and self.unit_id
            and self.unit.kind
            not in {
                UnitKind.PROVINSI,
                UnitKind.SEKRETARIAT_PROVINSI,
            }
        ):
            raise ValidationError(
                {"unit": _("Operator kompilasi hanya untuk KPU Provinsi atau sekretariatnya.")}
            )

    @property
    def is_reviewer(self) -> bool:
        return self.role in Role.national_roles()

    @property
    def can_draft(self) -> bool:
        return self.role in {Role.OPERATOR, Role.ADMINISTRATOR}

    @property
    def can_sign(self) -> bool:
        return self.role == Role.SIGNATORY


def active_memberships(user) -> list[Membership]:
    """The user's active memberships with their units (User.active_memberships: read once
    per request); none for an anonymous or inactive user."""
    if not user.is_authenticated or not user.is_active:
        return []
    return user.active_memberships()
