"""Reminders of quarterly reporting: which are due today, and sending each exactly once.

Every day (Celery beat: monitoring.tasks.send_quarter_reminders, or `manage.py
send_quarter_reminders` from cron) each quarter whose closing date is near is looked at in
every unit's own time zone (the closing date of monitoring.deadlines: KPU's ReportingPeriod,
else the 15th of the month after the quarter, at 23:59:59 local time):

- due: QUARTER_REMINDER_DAYS_BEFORE days before the closing date (default: the PK deadline
  reminders' REMINDER_DAYS_BEFORE, 7, 3, 1 and 0), once the quarter has started. Not after
  the closing date: the quarter is then locked, only KPU can extend it. A quarter KPU left
  open (a ReportingPeriod without a date) has no reminder;
- to whom: the units whose signed PK (the version measuring the quarter,
  monitoring.amendments) has not sent the quarter for verification: nothing entered (belum
  melapor), a draft, or returned by its Pihak Kedua. Their operators hear about it: those
  who may enter its realisations with a membership on the unit itself, else everyone who may
  (agreements.notifications.drafters_of: the operators above it in the same office);
- how: one in-app Notification each and one e-mail to all of them with an address;
- exactly once: claimed as a submissions.models.Reminder row (unit, year, deadline_kind
  "triwulan-<n>", days before as a negative offset) under that model's unique constraint,
  inserted before anything is sent, as the PK deadline reminders are. The column takes this
  kind without a migration (it is only outside DeadlineKind's choices, so the admin shows the
  raw "triwulan-1"). An e-mail that failed is tried again by the next run, up to MAX_ATTEMPTS.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from agreements.models import Agreement, Notification
from agreements.notifications import drafters_of
from monitoring.dashboards.rows import ReportState
from monitoring.dashboards.scores import owners_for_quarter
from monitoring.models import (
    MONITORED_STATUSES,
    Quarter,
    Realisation,
    ReportingPeriod,
    quarter_start,
)
from monitoring.series import quarter_status
from organisations.models import Membership
from submissions.deadlines import days_left, end_of_day
from submissions.models import Reminder
from submissions.reminders import send_reminder

logger = logging.getLogger(__name__)

KIND_PREFIX = "triwulan-"
KINDS = [f"{KIND_PREFIX}{quarter}" for quarter in Quarter.values]
MAX_ATTEMPTS = 5


def days_before() -> list[int]:
    configured = getattr(settings, "QUARTER_REMINDER_DAYS_BEFORE", None)
    if configured is None:
        configured = getattr(settings, "REMINDER_DAYS_BEFORE", [7, 3, 1, 0])
    return sorted({int(d) for d in configured if int(d) >= 0})


@dataclass
class Due:
    agreement: Agreement  # the signed version measuring the quarter
    year: int
    quarter: int
    deadline: datetime.datetime
    days_left: int
    status: str  # ReportState: belum, draf or dikembalikan

    @property
    def unit(self):
        return self.agreement.unit

    @property
    def kind(self) -> str:
        return f"{KIND_PREFIX}{self.quarter}"

    @property
    def offset(self) -> int:
        return -self.days_left


def _statuses(owner_ids: list[int], quarter: int) -> dict[int, str]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(owner_ids), 500):
        for agreement_id, status in (
            Realisation.objects.filter(
                agreement_id__in=owner_ids[start : start + 500], quarter=quarter
            )
            .values_list("agreement_id", "status")
            .distinct()
        ):
            found.setdefault(agreement_id, []).append(status)
    return {a: quarter_status(found.get(a, [])) or ReportState.NOT_REPORTED for a in owner_ids}


def due_reminders(now: datetime.datetime) -> list[Due]:
    """Every quarterly reminder due at `now` (a few queries per quarter near its closing)."""
    wanted = days_before()
    if not wanted:
        return []
    utc_year = now.astimezone(datetime.UTC).year
    years = [utc_year - 1, utc_year]
    closing = ReportingPeriod.objects.closing_dates(years)
    due = []
    for (year, quarter), closes_on in closing.items():
        if closes_on is None:
            continue
        # Any time zone of Indonesia is within a day of UTC: skip quarters far from closing.
        distance = (closes_on - now.astimezone(datetime.UTC).date()).days
        if distance < -1 or distance > max(wanted) + 1:
            continue
        signed: dict[int, list[dict]] = {}
        for agreement in (
            Agreement.objects.filter(year=year, status__in=MONITORED_STATUSES, unit__is_active=True)
            .values("id", "unit_id", "version", "sign_date", "amendment_date", "unit__time_zone")
            .order_by("version", "id")
        ):
            signed.setdefault(agreement["unit_id"], []).append(agreement)
        zones = {unit_id: found[0]["unit__time_zone"] for unit_id, found in signed.items()}
        candidates = {}
        for unit_id, zone in zones.items():
            deadline = end_of_day(closes_on, zone)
            left = days_left(deadline, now)
            local_today = now.astimezone(deadline.tzinfo).date()
            if left in wanted and local_today >= quarter_start(year, quarter):
                candidates[unit_id] = (deadline, left)
        if not candidates:
            continue
        owners = owners_for_quarter({u: signed[u] for u in candidates}, zones, year, quarter)
        statuses = _statuses(list(owners.values()), quarter)
        late = {u: o for u, o in owners.items() if statuses[o] in ReportState.NOT_SUBMITTED}
        agreements = Agreement.objects.select_related("unit").in_bulk(list(late.values()))
        for unit_id, owner in sorted(late.items(), key=lambda item: agreements[item[1]].unit.path):
            deadline, left = candidates[unit_id]
            due.append(Due(agreements[owner], year, quarter, deadline, left, statuses[owner]))
    return due


def recipients(agreement) -> list:
    """Who may enter the PK's realisations, preferring those of the unit itself."""
    drafters = drafters_of(agreement)
    own = set(
        Membership.objects.filter(
            unit=agreement.unit, is_active=True, user__in=[u.pk for u in drafters]
        ).values_list("user_id", flat=True)
    )
    return [u for u in drafters if u.pk in own] or drafters


def message(due: Due) -> tuple[str, str]:
    with override(settings.LANGUAGE_CODE):
        values = {
            "quarter": Quarter(due.quarter).label,
            "year": due.year,
            "unit": due.unit,
            "d": due.days_left,
            "date": date_format(due.deadline.date()),
            "state": ReportState.LABELS[due.status],
        }
        if due.days_left > 0:
            subject = (
                _(
                    "Pengingat: %(d)s hari lagi batas pengisian realisasi %(quarter)s %(year)s "
                    "PK %(unit)s"
                )
                % values
            )
        else:
            subject = (
                _("Hari ini batas pengisian realisasi %(quarter)s %(year)s PK %(unit)s") % values
            )
        body = (
            _(
                "Realisasi %(quarter)s %(year)s PK %(unit)s belum diajukan untuk verifikasi "
                "(status: %(state)s). Batas pengisian: %(date)s pukul 23.59 waktu setempat; "
                "sesudah itu realisasi terkunci."
            )
            % values
        )
    return subject, body


@dataclass
class Outcome:
    due: Due
    sent_to: list
    skipped: bool = False  # claimed by an earlier run
    error: str = ""


def send_quarter_reminders(
    now: datetime.datetime | None = None, dry_run: bool = False
) -> list[Outcome]:
    """Claim and send every quarterly reminder due at `now`; with `dry_run`, only say what
    would go (nothing is written). Side effects: one Reminder row per unit and day due, one
    Notification per recipient, one e-mail per reminder (queued), retries of earlier failed
    ones."""
    now = now or timezone.now()
    started = timezone.now()
    outcomes = []
    for due in due_reminders(now):
        users = recipients(due.agreement)
        if dry_run:
            outcomes.append(Outcome(due, users))
            continue
        subject, body = message(due)
        url = reverse("monitoring:quarter", args=[due.agreement.pk, due.quarter])
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    unit=due.unit, year=due.year, deadline_kind=due.kind, offset_days=due.offset,
                    subject=subject[:300], body=body,
                    recipients=sorted({u.email for u in users if u.email}),
                )  # fmt: skip
                Notification.objects.bulk_create(
                    Notification(user=u, agreement=due.agreement, message=subject[:500], url=url)
                    for u in users
                )
        except IntegrityError:
            outcomes.append(Outcome(due, [], skipped=True))  # another run claimed it
            continue
        outcomes.append(Outcome(due, users, error=send_reminder(reminder)))
    if not dry_run:
        for reminder in Reminder.objects.filter(
            deadline_kind__in=KINDS,
            sent_at__isnull=True,
            attempts__gt=0,
            attempts__lt=MAX_ATTEMPTS,
            claimed_at__lt=started,
        ):
            send_reminder(reminder)  # an e-mail that failed in an earlier run
    return outcomes
