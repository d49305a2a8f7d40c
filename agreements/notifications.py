"""Telling the next person in the workflow that a PK waits for them.

    notify_transition(event)    after each transition: receives the signal
                                agreements.signals.transition_recorded, which
                                agreements.workflow.record_transition sends (connected in
                                AgreementsConfig.ready(), so the rules never import this)

Who is told (the actor never is):
- submitted → the approver's signatory accounts (agreements.workflow.approver_memberships);
- returned  → the drafters of the PK's unit, with the note;
- approved  → the signatory accounts that sign it: Pihak Pertama's, then Pihak Kedua's;
- wet scan uploaded → those same accounts and the approver, who confirm it (agreements.scans);
- signed    → the drafters of the PK's unit;
- returned by a reviewer, or accepted (submissions) → the drafters, with the note.

Each gets an in-app Notification and, when the account has an address, an e-mail through
Celery (organisations.tasks.send_email). Notifying never breaks the transition: the rows are
written in a savepoint whose failure is logged, and each e-mail is queued after the commit,
where an error is logged too (a queued task retries on its own).
"""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Notification
from agreements.permissions import drafting_refusal
from agreements.scans import signing_memberships
from agreements.workflow import approver_memberships
from organisations.models import Membership, NoticeKind, Role
from organisations.tasks import queue_email

logger = logging.getLogger(__name__)

NOTIFIED_ACTIONS = (
    "submit", "return", "approve", "upload_scan", "sign", "review_return", "accept",
)  # fmt: skip
KINDS = {"submit": NoticeKind.WORKFLOW, "approve": NoticeKind.WORKFLOW,
         "upload_scan": NoticeKind.WORKFLOW, "sign": NoticeKind.WORKFLOW,
         "return": NoticeKind.RETURNED, "review_return": NoticeKind.RETURNED,
         "accept": NoticeKind.REVIEW}  # fmt: skip


def drafters_of(agreement) -> list:
    """Active users who may draft the PK's unit (operators/administrators of its office)."""
    unit = agreement.unit
    memberships = (
        Membership.objects.filter(
            unit__satker_id=unit.satker_id,
            role__in=[Role.OPERATOR, Role.ADMINISTRATOR],
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    users = {m.user_id: m.user for m in memberships}
    return [user for user in users.values() if drafting_refusal(user, unit) is None]


def _users_of(*membership_querysets) -> list:
    users = {}
    for memberships in membership_querysets:
        for m in memberships.filter(user__is_active=True).select_related("user").order_by("pk"):
            users.setdefault(m.user_id, m.user)
    return list(users.values())


def recipients(event) -> list:
    """The users to tell about `event`, in order, without its actor."""
    agreement = event.agreement
    if event.action == "submit":
        users = _users_of(approver_memberships(agreement))
    elif event.action == "approve":
        users = _users_of(*(m for _party, m in signing_memberships(agreement)))
    elif event.action == "upload_scan":
        users = _users_of(
            *(m for _party, m in signing_memberships(agreement)), approver_memberships(agreement)
        )
    elif event.action in {"return", "sign", "review_return", "accept"}:
        users = drafters_of(agreement)
    else:
        users = []
    return [user for user in users if user.pk != event.actor_id]


def _name(user) -> str:
    if user is None:
        return _("sistem")
    return user.get_full_name() or user.get_username()


def _message(event, *, full_note=False) -> str:
    agreement = event.agreement
    values = {
        "pk": agreement,
        "year": agreement.year,
        "revision": event.revision,
        "actor": _name(event.actor),
    }
    if event.action == "submit":
        return (
            _("%(pk)s (revisi %(revision)s) diajukan oleh %(actor)s dan menunggu persetujuan Anda.")
            % values
        )
    if event.action in {"return", "review_return"}:
        note = event.note if full_note else Truncator(event.note).chars(300)
        return _("%(pk)s dikembalikan oleh %(actor)s untuk diperbaiki. Catatan: %(note)s") % {
            **values,
            "note": note,
        }
    if event.action == "accept":
        return _("%(pk)s diterima oleh %(actor)s.") % values
    if event.action == "approve":
        return _("%(pk)s disetujui oleh %(actor)s dan siap ditandatangani.") % values
    if event.action == "upload_scan":
        return (
            _(
                "Pindaian %(pk)s bertanda tangan basah diunggah oleh %(actor)s. Periksa dan "
                "konfirmasi bahwa itu kertas yang Anda tanda tangani."
            )
            % values
        )
    return _("%(pk)s telah ditandatangani.") % values


SUBJECTS = {
    "submit": gettext_lazy("PK menunggu persetujuan Anda: %(pk)s"),
    "return": gettext_lazy("PK dikembalikan untuk diperbaiki: %(pk)s"),
    "approve": gettext_lazy("PK siap ditandatangani: %(pk)s"),
    "upload_scan": gettext_lazy("Pindaian PK menunggu konfirmasi Anda: %(pk)s"),
    "sign": gettext_lazy("PK telah ditandatangani: %(pk)s"),
    "review_return": gettext_lazy("PK dikembalikan oleh reviewer: %(pk)s"),
    "accept": gettext_lazy("PK diterima: %(pk)s"),
}


def _subject(event) -> str:
    """What happened first, so that a long unit name is what gets cut."""
    subject = "[PK Portal] " + str(SUBJECTS[event.action]) % {"pk": event.agreement}
    return Truncator(subject).chars(150)


def _url(event) -> str:
    """Where the notice leads: the review page for who approves or signs, else the PK."""
    if event.action in {"submit", "approve", "upload_scan"}:
        return reverse("agreements:review", args=[event.agreement_id])
    return event.agreement.get_absolute_url()


def notify_transition(event) -> list[Notification]:
    """Tell the next actor(s) about `event` (an AgreementEvent), in the app and by e-mail.

    Side effects: one Notification per recipient, in a savepoint (a failure is logged and
    leaves the transition alone); one e-mail per recipient with an address, queued when the
    transaction commits. Returns the notifications written.
    """
    if event.action not in NOTIFIED_ACTIONS:
        return []
    try:
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            users = recipients(event)
            url = _url(event)
            return deliver(
                users,
                event.agreement_id,
                url,
                message=_message(event),
                subject=_subject(event),
                full_message=_message(event, full_note=True),
                kind=KINDS[event.action],
            )
    except Exception:  # notifying is a courtesy: it must not undo the transition
        logger.exception("Could not notify about %s", event)
        return []


def on_transition_recorded(sender, event, **kwargs) -> None:
    """Receiver of agreements.signals.transition_recorded (connected in AppConfig.ready())."""
    notify_transition(event)


def deliver(
    users, agreement_id, url, *, message, subject, full_message, kind=None
) -> list[Notification]:
    """One Notification per user leading to `url` and, once the transaction commits, one
    e-mail per user with an address who has not switched e-mails of this `kind` off (profile
    page). Callers run it in their own savepoint, so that a failure leaves their step alone."""
    notices = Notification.objects.bulk_create(
        Notification(user=user, agreement_id=agreement_id, message=message, url=url)
        for user in users
    )
    body = "\n\n".join(
        [
            full_message,
            getattr(settings, "SITE_URL", "") + url,
            _("Pesan ini dikirim otomatis oleh PK Portal."),
        ]
    )
    for user in users:
        if user.wants_email(kind):
            transaction.on_commit(
                functools.partial(queue_email, subject, body, [user.email]), robust=True
            )
    return notices


def unread_notifications(request) -> dict:
    """Context processor: `unread_notification_count`, counted only if a template uses it."""
    user = getattr(request, "user", None)

    @functools.cache
    def count() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"unread_notification_count": count}
