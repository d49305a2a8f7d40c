from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Perjanjian Kinerja")

    def ready(self):
        from auditlog.registry import auditlog

        from agreements.models import Agreement, CheckAcceptance

        # Field history of the statement data and state (who, when, before → after). The
        # lampiran rows are rebuilt on each save, so their changes are logged as diffs of the
        # whole lampiran instead (AgreementEvent), not row by row here.
        auditlog.register(Agreement, exclude_fields=["lock_version", "updated_at"])
        auditlog.register(CheckAcceptance)
