from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Perjanjian Kinerja")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from agreements.generations import bump_on_change
        from agreements.models import Agreement, CheckAcceptance
        from agreements.notifications import on_transition_recorded
        from agreements.signals import transition_recorded
        from agreements.signing.enrolment import revoke_on_new_binding
        from organisations.signals import signatory_bound

        signatory_bound.connect(revoke_on_new_binding, dispatch_uid="revoke_on_new_binding")

        # Field history of the statement data and state (who, when, before → after). The
        # lampiran rows are rebuilt on each save, so their changes are logged as diffs of the
        # whole lampiran instead (AgreementEvent), not row by row here.
        auditlog.register(Agreement, exclude_fields=["lock_version", "updated_at"])
        auditlog.register(CheckAcceptance)
        # Services react to what the rules did: the rule modules send, never import them.
        transition_recorded.connect(on_transition_recorded, dispatch_uid="notify_transition")
        # A change anywhere a PK page shows drops the cached pages it shows on (page_cache).
        post_save.connect(bump_on_change, dispatch_uid="pk_page_saved")
        post_delete.connect(bump_on_change, dispatch_uid="pk_page_deleted")
