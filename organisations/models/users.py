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

    # What other pages show of a user: their names (a PK's history, the menu), the admin link,
    # whether they may log in at all. Not the password, the muted e-mails or the last login.
    SHOWN_FIELDS = ("username", "first_name", "last_name", "is_active", "is_staff", "is_superuser")

    email_muted = models.JSONField(
        _("pemberitahuan yang tidak dikirim lewat surel"), default=list, blank=True
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user.mark_shown_as_saved()
        return user

    def _shown(self) -> tuple | None:
        """SHOWN_FIELDS as they are now; None when one was not loaded (reading it would
        query)."""
        if any(name not in self.__dict__ for name in self.SHOWN_FIELDS):
            return None
        return tuple(self.__dict__[name] for name in self.SHOWN_FIELDS)

    def mark_shown_as_saved(self) -> None:
        self._shown_as_saved = self._shown()

    def shown_fields_changed(self) -> bool:
        """Whether saving this user changes what other pages show of them (True when it
        cannot be told without a query): agreements.generations drops every cached PK page
        for such a save, and for no other (a new password, muted e-mails, a login)."""
        saved = getattr(self, "_shown_as_saved", None)
        return saved is None or saved != self._shown()

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
