"""Telling who receives a PK that it arrived:

- a Kab/Kota PK delivered to its KPU Provinsi → the province's compilers;
- a PK delivered straight to KPU (d, e: channel KPU) → the national reviewers (Biro
  Perencanaan, Inspektorat);
- a compilation sent to KPU → the national reviewers;
- a delivery or a compilation taken back (submissions.withdrawal) → those who were told of its
  arrival, and their notice of the arrival is marked read: it no longer asks anything of them.

In the app always, and by e-mail unless the person switched e-mails of deliveries off (profile
page). Notifying never breaks the delivery: a failure is logged, the delivery stands.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import Notification
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


def _delivery_url(submission: Submission) -> str | None:
    """Where the notice of `submission`'s arrival leads its receivers (None: nobody is told)."""
    if submission.channel == Channel.PROVINSI:
        province = submission.destination
        return reverse("submissions:province", args=[province.code, submission.agreement.year])
    if submission.channel == Channel.KPU:
        return reverse("review_submission", args=[submission.pk])
    return None


def _compilation_url(compilation: Compilation) -> str:
    url = reverse("review_dashboard", args=[compilation.year])
    return url + f"?provinsi={compilation.province.code}"


def notify_delivered(submission: Submission) -> list:
    """Tell the receivers of `submission` (see the module docstring)."""
    agreement = submission.agreement
    url = _delivery_url(submission)
    with translation.override(settings.LANGUAGE_CODE):
        values = {"pk": agreement, "unit": agreement.unit}
        if submission.channel == Channel.PROVINSI:
            province = submission.destination
            message = _("%(pk)s disampaikan kepada %(province)s dan siap dikompilasi.") % {
                **values, "province": province}  # fmt: skip
            return _send(compilers_of(province), agreement.pk, url, message)
        if submission.channel == Channel.KPU:
            message = _("%(pk)s disampaikan langsung ke KPU dan menunggu reviu.") % values
            return _send(national_reviewers(), agreement.pk, url, message)
    return []


def notify_compilation_sent(compilation: Compilation, count: int) -> list:
    """Tell the national reviewers that a province's compilation arrived."""
    with translation.override(settings.LANGUAGE_CODE):
        url = _compilation_url(compilation)
        message = _(
            "Kompilasi %(province)s tahun %(year)s (%(count)s PK) disampaikan ke KPU dan "
            "menunggu reviu."
        ) % {"province": compilation.province, "year": compilation.year, "count": count}
        return _send(national_reviewers(), None, url, message)


def _told_of_arrival(notices) -> list:
    """The users who got one of `notices` of an arrival; those notices are marked read, since
    what they announced is gone."""
    users = {n.user_id: n.user for n in notices.select_related("user").filter(user__is_active=True)}
    notices.filter(read_at__isnull=True).update(read_at=timezone.now())
    return list(users.values())


def notify_delivery_withdrawn(submission: Submission, actor) -> list:
    """Tell whoever was told of `submission`'s arrival that it was taken back (before the
    submission row is deleted)."""
    url = _delivery_url(submission)
    if url is None:
        return []
    agreement = submission.agreement
    # The PK and the page are specific enough: a notice of an earlier revision's delivery
    # announced something gone as well.
    notices = Notification.objects.filter(agreement_id=agreement.pk, url=url)
    told = [u for u in _told_of_arrival(notices) if u.pk != actor.pk]
    with translation.override(settings.LANGUAGE_CODE):
        message = _("%(pk)s ditarik kembali oleh pengirimnya sebelum ditindaklanjuti.") % {
            "pk": agreement}  # fmt: skip
        if submission.channel == Channel.PROVINSI:
            message += " " + _(
                "Kompilasi yang sudah disusun dengan PK ini perlu disusun ulang sebelum "
                "disampaikan ke KPU."
            )
        if submission.channel == Channel.KPU:
            # The review page of a deleted submission is gone: the board of its year is not.
            url = reverse("review_dashboard", args=[agreement.year])
        return _send(told, agreement.pk, url, message)


def notify_compilation_withdrawn(compilation: Compilation, sent_at, actor) -> list:
    """Tell the reviewers who were told of the compilation's arrival that it was taken back."""
    url = _compilation_url(compilation)
    # Every compilation of the province and year leads to the same page: only this sending's.
    notices = Notification.objects.filter(agreement=None, url=url, created_at__gte=sent_at)
    told = [u for u in _told_of_arrival(notices) if u.pk != actor.pk]
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "Kompilasi %(province)s tahun %(year)s ditarik kembali oleh KPU Provinsi sebelum "
            "direviu; PK di dalamnya tidak lagi menunggu reviu."
        ) % {"province": compilation.province, "year": compilation.year}
        return _send(told, None, url, message)
