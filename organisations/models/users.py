from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may see and do comes from their unit memberships."""

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username
