"""The roles a user holds in a unit: what a Membership grants, and what the scoping rule
(`Unit.objects.visible_to`) reads. Plain choices, below both units and memberships."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator (penyusun PK)")
    SIGNATORY = "signatory", _("Penandatangan")
    COMPILER = "compiler", _("Operator kompilasi provinsi")
    REVIEWER_PERENCANAAN = "reviewer_perencanaan", _("Reviewer Biro Perencanaan")
    REVIEWER_INSPEKTORAT = "reviewer_inspektorat", _("Reviewer Inspektorat")
    ADMINISTRATOR = "administrator", _("Administrator unit")

    @classmethod
    def national_roles(cls):
        """Roles that see every unit of the country."""
        return [cls.REVIEWER_PERENCANAAN, cls.REVIEWER_INSPEKTORAT]
