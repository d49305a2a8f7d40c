from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may see and do comes from their unit memberships."""

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

    def __str__(self):
        return self.get_full_name() or self.username
