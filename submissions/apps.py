from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Penyampaian dan Reviu")

    def ready(self):
        # Registers the daily reminder task with Celery (it does not live in a tasks module).
        from submissions import reminders  # noqa: F401
