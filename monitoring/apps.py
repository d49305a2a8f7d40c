from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Pemantauan Kinerja")

    def ready(self):
        from auditlog.registry import auditlog

        from monitoring import carry_over

        carry_over.connect()

        from agreements.page_cache import add_version_part
        from monitoring.panel import page_version

        # The PK page's body is cached whole: its monitoring panel shows realisations that
        # a quarter's save writes in bulk (no signal), so their version is part of its key.
        add_version_part(page_version)

        from monitoring.models import CapaianRule, Evidence, Realisation, ReportingPeriod

        # Who changed a realisation, a closing date or the capaian rules, before → after.
        auditlog.register(Realisation, exclude_fields=["lock_version", "updated_at"])
        auditlog.register(Evidence)
        auditlog.register(ReportingPeriod)
        auditlog.register(CapaianRule)
