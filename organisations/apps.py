from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisasi")

    def ready(self):
        from auditlog.registry import auditlog

        from organisations import checks  # noqa: F401 - registers the deployment checks
        from organisations.models import Assignment, Membership, Official, Unit

        # Who changed an office, its officials or its users' roles, and what was before.
        for model in (Unit, Official, Assignment, Membership):
            auditlog.register(model)
