from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    """What a notification is about: each kind's e-mail can be switched off on the profile page
    (the notice in the app always stays)."""

    WORKFLOW = "alur", _("PK diajukan, disetujui atau ditandatangani")
    RETURNED = "pengembalian", _("PK dikembalikan untuk diperbaiki")
    DELIVERY = "penyampaian", _("PK atau kompilasi disampaikan kepada Anda")
    REVIEW = "reviu", _("Hasil reviu PK")
    MONITORING = "pemantauan", _("Pelaporan realisasi triwulan")


class User(AbstractUser):
    """A person who logs in. What they may see and do comes from their unit memberships."""

    email_muted = models.JSONField(
        _("pemberitahuan yang tidak dikirim lewat surel"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def active_memberships(self) -> list:
        """The active memberships with their units: read once per request and kept on the
        user object, as Django keeps its `_perm_cache` (one page asks who may see, draft,
        review, compile and send several times)."""
        found = getattr(self, "_active_memberships", None)
        if found is None:
            memberships = self.memberships.filter(is_active=True).select_related("unit")
            found = self._active_memberships = list(memberships)
        return found

    def remember_memberships(self, memberships: list) -> None:
        """Use `memberships` (as active_memberships read them, kept in a cache whose key
        changes with every membership or unit saved) for the rest of this request."""
        self._active_memberships = memberships

    def __str__(self):
        return self.get_full_name() or self.username

    def wants_email(self, kind: str | None) -> bool:
        """Whether a notice of `kind` also goes to the user's e-mail address."""
        return bool(self.email) and (kind is None or kind not in (self.email_muted or []))
