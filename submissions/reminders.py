"""Reminders about PK deadlines: which are due today, and sending each exactly once.

Every day (Celery beat, or `manage.py send_reminders` from cron) every office with a PK to
make (kinds a–g) is looked at in its own time zone: a reminder is due at the configured days
before a deadline (REMINDER_DAYS_BEFORE, default 7, 3, 1 and 0) and every
REMINDER_OVERDUE_EVERY_DAYS (default 3) after it, while the PK has not reached the state the
deadline asks for. Overdue offices are also reported to the superior office (Kab/Kota →
Provinsi → KPU). A reminder is claimed (a unique row) before it is sent, so it goes out once.
"""

import datetime
import logging
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from agreements.models import Agreement, Notification
from organisations.models import Membership, Role, Unit, UnitKind
from organisations.tasks import send_email
from submissions.deadlines import (
    compilation_deadline,
    days_left,
    signing_deadline,
    submission_deadline,
)
from submissions.models import CompilationCalendar, DeadlineKind, Dipa, Reminder

logger = logging.getLogger(__name__)

UNIT_KINDS_WITH_PK = [
    UnitKind.KPU, UnitKind.SETJEN, UnitKind.ESELON_II, UnitKind.PROVINSI,
    UnitKind.SEKRETARIAT_PROVINSI, UnitKind.KABKOTA, UnitKind.SEKRETARIAT_KABKOTA,
]  # fmt: skip
KABKOTA_KINDS = {UnitKind.KABKOTA, UnitKind.SEKRETARIAT_KABKOTA}
PK_DEADLINE_KINDS = [DeadlineKind.SIGNING, DeadlineKind.COMPILATION, DeadlineKind.SUBMISSION]
# The states that meet each deadline.
DONE = {
    DeadlineKind.SIGNING: {"ditandatangani", "disampaikan", "diterima"},
    DeadlineKind.COMPILATION: {"disampaikan", "diterima"},
    DeadlineKind.SUBMISSION: {"disampaikan", "diterima"},
}
OVERDUE_LIMIT_DAYS = 90
MAX_ATTEMPTS = 5


def days_before() -> list[int]:
    return sorted({int(d) for d in getattr(settings, "REMINDER_DAYS_BEFORE", [7, 3, 1, 0])})


def overdue_every() -> int:
    return int(getattr(settings, "REMINDER_OVERDUE_EVERY_DAYS", 3))


def is_reminder_day(left: int) -> bool:
    if left >= 0:
        return left in days_before()
    late = -left
    return late <= OVERDUE_LIMIT_DAYS and late % overdue_every() == 0


@dataclass
class Due:
    unit: Unit
    year: int
    kind: str
    deadline: datetime.datetime
    days_left: int
    agreement: Agreement | None

    @property
    def offset(self) -> int:
        return -self.days_left

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def due_reminders(now: datetime.datetime) -> list[Due]:
    """Every reminder due at `now`, in a fixed number of queries whatever the number of units."""
    units = list(Unit.objects.filter(kind__in=UNIT_KINDS_WITH_PK, is_active=True))
    local_years = {now.astimezone(datetime.UTC).year}
    years = sorted(local_years | {y + 1 for y in local_years} | {y - 1 for y in local_years})
    dipas = {(d.unit_id, d.year): d.ratified_on for d in Dipa.objects.filter(year__in=years)}
    calendar = dict(
        CompilationCalendar.objects.filter(year__in=years).values_list("year", "compile_by")
    )
    latest: dict[tuple[int, int], Agreement] = {}
    for agreement in Agreement.objects.filter(year__in=years).order_by("version"):
        latest[(agreement.unit_id, agreement.year)] = agreement
    due = []
    for unit in units:
        for year in years:
            agreement = latest.get((unit.pk, year))
            status = agreement.status if agreement else None
            deadlines = [
                (
                    DeadlineKind.SIGNING,
                    signing_deadline(dipas.get((unit.pk, year)), unit.time_zone),
                ),
                (DeadlineKind.SUBMISSION, submission_deadline(year, unit.time_zone)),
            ]
            if unit.kind in KABKOTA_KINDS:
                deadlines.append(
                    (
                        DeadlineKind.COMPILATION,
                        compilation_deadline(year, unit.time_zone, calendar.get(year)),
                    )
                )
            for kind, deadline in deadlines:
                left = days_left(deadline, now)
                if left is None or status in DONE[kind] or not is_reminder_day(left):
                    continue
                due.append(Due(unit, year, kind, deadline, left, agreement))
    return due


def _recipients(unit: Unit) -> list:
    memberships = Membership.objects.filter(
        unit=unit, is_active=True,
        role__in=[Role.OPERATOR, Role.ADMINISTRATOR, Role.SIGNATORY],
    ).select_related("user")  # fmt: skip
    return [m.user for m in memberships if m.user.is_active]


def _superiors(unit: Unit) -> list:
    """Who hears about an overdue office: its province's compilers, or KPU's reviewers."""
    if unit.kind in KABKOTA_KINDS:
        memberships = Membership.objects.filter(
            role=Role.COMPILER, is_active=True, unit__province_id=unit.province_id
        )
    elif unit.kind in {UnitKind.PROVINSI, UnitKind.SEKRETARIAT_PROVINSI}:
        memberships = Membership.objects.filter(role__in=Role.national_roles(), is_active=True)
    else:
        return []
    return [m.user for m in memberships.select_related("user") if m.user.is_active]


def _message(due: Due) -> tuple[str, str]:
    with override("id"):
        when = date_format(due.deadline.date())
        label = str(DeadlineKind(due.kind).label)
        label = label[:1].lower() + label[1:]  # mid-sentence; "DIPA" and "KPU" keep capitals
        if due.days_left > 0:
            subject = _("Pengingat: %(d)s hari lagi batas %(what)s PK %(unit)s %(y)s") % {
                "d": due.days_left,
                "what": label,
                "unit": due.unit,
                "y": due.year,
            }
        elif due.days_left == 0:
            subject = _("Hari ini batas %(what)s PK %(unit)s %(y)s") % {
                "what": label,
                "unit": due.unit,
                "y": due.year,
            }
        else:
            subject = _("Terlambat %(d)s hari: %(what)s PK %(unit)s %(y)s") % {
                "d": -due.days_left,
                "what": label,
                "unit": due.unit,
                "y": due.year,
            }
        body = _("Batas %(what)s PK %(unit)s tahun %(y)s: %(when)s pukul 23.59 waktu setempat.") % {
            "what": label,
            "unit": due.unit,
            "y": due.year,
            "when": when,
        }
    return subject, body  # fmt: skip


@dataclass
class Outcome:
    due: Due
    sent_to: list
    escalated_to: list
    skipped: bool = False
    error: str = ""


def send_due_reminders(
    now: datetime.datetime | None = None, dry_run: bool = False
) -> list[Outcome]:
    """Claim and send every reminder due at `now`; with `dry_run`, only say what would go."""
    now = now or timezone.now()
    started = timezone.now()
    outcomes = []
    for due in due_reminders(now):
        recipients = _recipients(due.unit)
        superiors = _superiors(due.unit) if due.overdue else []
        if dry_run:
            outcomes.append(Outcome(due, recipients, superiors))
            continue
        subject, body = _message(due)
        url = due.agreement.get_absolute_url() if due.agreement else ""
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    unit=due.unit, year=due.year, deadline_kind=due.kind, offset_days=due.offset,
                    escalated=bool(superiors), subject=subject, body=body,
                    recipients=sorted({u.email for u in recipients + superiors if u.email}),
                )  # fmt: skip
                Notification.objects.bulk_create(
                    [Notification(user=u, agreement=due.agreement, message=subject, url=url)
                     for u in recipients + superiors]
                )  # fmt: skip
        except IntegrityError:
            outcomes.append(Outcome(due, [], [], skipped=True))  # another run claimed it
            continue
        outcomes.append(Outcome(due, recipients, superiors, error=send_reminder(reminder)))
    if not dry_run:
        # Only the PK deadline kinds: the quarterly reminders (monitoring) retry their own.
        for reminder in Reminder.objects.filter(
            sent_at__isnull=True,
            attempts__gt=0,
            attempts__lt=MAX_ATTEMPTS,
            claimed_at__lt=started,
            deadline_kind__in=PK_DEADLINE_KINDS,
        ):
            send_reminder(reminder)  # a failed e-mail of an earlier run, tried again
    return outcomes


def send_reminder(reminder: Reminder) -> str:
    """E-mail a claimed reminder once (also the quarterly ones of monitoring.reminders);
    returns the error, or ''.

    The attempt is claimed first with a conditional update, so that two runs retrying the
    same failed reminder at once send it once."""
    claimed = Reminder.objects.filter(
        pk=reminder.pk, attempts=reminder.attempts, sent_at__isnull=True
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return ""
    error = ""
    if reminder.recipients:
        try:
            send_email.delay(reminder.subject, reminder.body, reminder.recipients)
        except Exception as exc:  # a failing mail server must not stop the other reminders
            logger.warning("Reminder %s: e-mail failed: %s", reminder.pk, exc)
            error = f"{exc.__class__.__name__}: {exc}"
    Reminder.objects.filter(pk=reminder.pk).update(
        sent_at=None if error else timezone.now(), last_error=error
    )
    return error


@shared_task(acks_late=True)
def send_reminders():
    """The daily job Celery beat runs (schedule in the database: django-celery-beat)."""
    outcomes = send_due_reminders()
    sent = sum(1 for o in outcomes if not o.skipped and not o.error)
    logger.info("Reminders: %d sent, %d already claimed", sent, sum(o.skipped for o in outcomes))
    return sent
