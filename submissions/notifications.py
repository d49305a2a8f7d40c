"""Telling who receives a PK that it arrived:

- a Kab/Kota PK delivered to its KPU Provinsi → the province's compilers;
- a PK delivered straight to KPU (d, e: channel KPU) → the national reviewers (Biro
  Perencanaan, Inspektorat);
- a compilation sent to KPU → the national reviewers.

In the app always, and by e-mail unless the person switched e-mails of deliveries off (profile
page). Notifying never breaks the delivery: a failure is logged, the delivery stands.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from agreements.notifications import deliver
from organisations.models import Membership, NoticeKind, Role
from submissions.models import Compilation, Submission
from submissions.routing import Channel

logger = logging.getLogger(__name__)


def _users(memberships, actor) -> list:
    users = {}
    for m in memberships.filter(is_active=True, user__is_active=True).select_related("user"):
        users.setdefault(m.user_id, m.user)
    return [user for user in users.values() if actor is None or user.pk != actor.pk]


def compilers_of(province) -> list:
    return _users(
        Membership.objects.filter(role=Role.COMPILER, unit__province_id=province.pk), None
    )


def national_reviewers() -> list:
    return _users(Membership.objects.filter(role__in=Role.national_roles()), None)


def _send(users, agreement_id, url, message) -> list:
    try:
        with transaction.atomic():
            return deliver(users, agreement_id, url, message=message, full_message=message,
                           subject=("[PK Portal] " + message)[:150],
                           kind=NoticeKind.DELIVERY)  # fmt: skip
    except Exception:  # notifying is a courtesy: it must not undo the delivery
        logger.exception("Could not notify about a delivery to %s", url)
        return []


def notify_delivered(submission: Submission) -> list:
    """Tell the receivers of `submission` (see the module docstring)."""
    agreement = submission.agreement
    with translation.override(settings.LANGUAGE_CODE):
        values = {"pk": agreement, "unit": agreement.unit}
        if submission.channel == Channel.PROVINSI:
            province = submission.destination
            url = reverse("submissions:province", args=[province.code, agreement.year])
            message = _("%(pk)s disampaikan kepada %(province)s dan siap dikompilasi.") % {
                **values, "province": province}  # fmt: skip
            return _send(compilers_of(province), agreement.pk, url, message)
        if submission.channel == Channel.KPU:
            url = reverse("review_submission", args=[submission.pk])
            message = _("%(pk)s disampaikan langsung ke KPU dan menunggu reviu.") % values
            return _send(national_reviewers(), agreement.pk, url, message)
    return []


def notify_compilation_sent(compilation: Compilation, count: int) -> list:
    """Tell the national reviewers that a province's compilation arrived."""
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("review_dashboard", args=[compilation.year])
        url += f"?provinsi={compilation.province.code}"
        message = _(
            "Kompilasi %(province)s tahun %(year)s (%(count)s PK) disampaikan ke KPU dan "
            "menunggu reviu."
        ) % {"province": compilation.province, "year": compilation.year, "count": count}
        return _send(national_reviewers(), None, url, message)
