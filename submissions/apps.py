from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Penyampaian dan Reviu")

    def ready(self):
        # Registers the daily reminder and housekeeping tasks with Celery (they do not live in
        # a tasks module).
        from submissions import dipa_sync, housekeeping, reminders  # noqa: F401

        dipa_sync.connect()
