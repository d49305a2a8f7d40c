"""Telling the next person about a quarterly report, in the app and by e-mail.

- submitted → the PK's verifiers (monitoring.permissions.verifier_memberships);
- verified or returned (with the note) → the drafters of the PK's unit.

As in agreements.notifications, notifying never breaks the step: the rows are written in a
savepoint whose failure is logged, and each e-mail is queued after the commit.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agreements.models import Notification
from agreements.notifications import deliver, drafters_of
from monitoring.models import Quarter
from monitoring.permissions import verifier_memberships
from organisations.models import NoticeKind

logger = logging.getLogger(__name__)


def _recipients(agreement, action, actor) -> list:
    if action == "submit":
        memberships = verifier_memberships(agreement).filter(user__is_active=True)
        users = {m.user_id: m.user for m in memberships.select_related("user").order_by("pk")}
        found = list(users.values())
    else:
        found = drafters_of(agreement)
    return [user for user in found if user.pk != actor.pk]


def _message(agreement, quarter, action, actor, note) -> str:
    values = {
        "pk": agreement,
        "quarter": Quarter(quarter).label,
        "actor": actor.get_full_name() or actor.get_username(),
        "note": note,
    }
    if action == "submit":
        return (
            _("Realisasi %(quarter)s %(pk)s diajukan oleh %(actor)s dan menunggu verifikasi Anda.")
            % values
        )
    if action == "verify":
        return _("Realisasi %(quarter)s %(pk)s telah diverifikasi oleh %(actor)s.") % values
    return _("Realisasi %(quarter)s %(pk)s dikembalikan oleh %(actor)s. Catatan: %(note)s") % values


def notify(agreement, quarter: int, action: str, actor, note: str = "") -> list[Notification]:
    """Tell who acts next about `action` (submit, verify, return) on the PK's quarter.

    Side effects: one Notification per recipient (in a savepoint), one e-mail per recipient
    with an address, queued on commit. Returns the notifications written.
    """
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            users = _recipients(agreement, action, actor)
            page = "monitoring:verify" if action == "submit" else "monitoring:quarter"
            url = reverse(page, args=[agreement.pk, quarter])
            full = _message(agreement, quarter, action, actor, note)
            message = full[:500]
            return deliver(
                users,
                agreement.pk,
                url,
                message=message,
                subject=("[PK Portal] " + message)[:150],
                full_message=full,
                kind=NoticeKind.MONITORING,
            )
    except Exception:  # notifying is a courtesy: it must not undo the step
        logger.exception("Could not notify about quarter %s of %s", quarter, agreement)
        return []
