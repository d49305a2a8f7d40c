"""Reminders of quarterly reporting (monitoring.reminders, the Celery task and the command):
due days before each quarter's closing date in the unit's time zone, only for PKs whose
quarter has not been submitted, once each, never in a dry run, retried when the e-mail fails."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from agreements.models import Notification
from monitoring.models import RealisationStatus, ReportingPeriod
from monitoring.reminders import due_reminders, recipients, send_quarter_reminders
from monitoring.tasks import send_quarter_reminders as task
from organisations.models import Role
from organisations.tasks import send_email
from submissions.models import Reminder
from submissions.reminders import send_due_reminders
from tests.factories import make_user
from tests.test_monitoring_reports import Q1_VALUES, YEAR, make_kaltim, report, signed_pk

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")  # Bontang and Samarinda


def at(day, hour=8, tz=WITA):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


@pytest.fixture
def kaltim():
    """Bontang's Sekretariat has verified Triwulan I (make_kaltim); Samarinda's has nothing."""
    cast = make_kaltim()
    cast["samarinda_operator"] = make_user(
        "op.samarinda", unit_code="64.72.sekretariat", email="op@samarinda.example"
    )
    return cast


def due_codes(now) -> list[tuple[str, int, int]]:
    return [(d.unit.code, d.quarter, d.days_left) for d in due_reminders(now)]


# --- when, and for whom ---------------------------------------------------------------------
def test_reminders_fall_on_the_days_before_the_closing_date(kaltim):
    # Triwulan I closes on 15 April (the default: the 15th of the month after the quarter).
    assert due_codes(at(datetime.date(YEAR, 4, 8))) == [("64.72.sekretariat", 1, 7)]
    assert due_codes(at(datetime.date(YEAR, 4, 9))) == []
    assert due_codes(at(datetime.date(YEAR, 4, 12))) == [("64.72.sekretariat", 1, 3)]
    assert due_codes(at(datetime.date(YEAR, 4, 14))) == [("64.72.sekretariat", 1, 1)]
    assert due_codes(at(datetime.date(YEAR, 4, 15), hour=23)) == [("64.72.sekretariat", 1, 0)]
    assert due_codes(at(datetime.date(YEAR, 4, 16))) == []  # closed: locked, no reminder


def test_the_day_is_the_units_own(kaltim):
    # 7 April 17:30 UTC is already 8 April 01:30 in Bontang and Samarinda (WITA).
    now = datetime.datetime(YEAR, 4, 7, 17, 30, tzinfo=datetime.UTC)
    assert due_codes(now) == [("64.72.sekretariat", 1, 7)]
    assert due_codes(datetime.datetime(YEAR, 4, 7, 15, 30, tzinfo=datetime.UTC)) == []


def test_only_quarters_not_yet_submitted_are_reminded(kaltim):
    day = at(datetime.date(YEAR, 4, 12))
    for status, reminded in [
        (RealisationStatus.DRAFT, True),
        (RealisationStatus.RETURNED, True),
        (RealisationStatus.SUBMITTED, False),
        (RealisationStatus.VERIFIED, False),
    ]:
        kaltim["samarinda"].realisations.all().delete()
        report(kaltim["samarinda"], 1, Q1_VALUES, status=status)
        assert bool(due_codes(day)) is reminded, status
    assert "64.74.sekretariat" not in {code for code, *_ in due_codes(day)}  # verified
    assert "64.74" not in {code for code, *_ in due_codes(day)}  # its PK is not signed


def test_kpus_closing_date_counts_and_an_open_quarter_has_none(kaltim):
    ReportingPeriod.objects.create(year=YEAR, quarter=1, closes_on=datetime.date(YEAR, 4, 30))
    assert due_codes(at(datetime.date(YEAR, 4, 8))) == []
    assert due_codes(at(datetime.date(YEAR, 4, 23))) == [("64.72.sekretariat", 1, 7)]
    ReportingPeriod.objects.filter(year=YEAR, quarter=1).update(closes_on=None)
    assert due_codes(at(datetime.date(YEAR, 4, 23))) == []


def test_triwulan_iv_is_reminded_in_january_of_the_next_year(kaltim):
    assert due_codes(at(datetime.date(YEAR + 1, 1, 14))) == [
        ("64.72.sekretariat", 4, 1),
        ("64.74.sekretariat", 4, 1),
    ]


def test_the_units_own_operators_are_told_before_those_above_it(kaltim):
    sekretariat_operator = kaltim["operator"]  # op.bontang, on 64.74.sekretariat
    keuangan = signed_pk("64.74.sekretariat.keuangan")
    assert recipients(keuangan) == [sekretariat_operator]  # nobody on the Subbagian itself
    own = make_user("op.keuangan", unit_code="64.74.sekretariat.keuangan")
    assert recipients(keuangan) == [own]
    assert recipients(kaltim["samarinda"]) == [kaltim["samarinda_operator"]]


# --- sending --------------------------------------------------------------------------------
def test_a_reminder_is_sent_once_with_a_notification_and_an_email(kaltim, mailoutbox, eager_celery):
    now = at(datetime.date(YEAR, 4, 12))
    [outcome] = send_quarter_reminders(now)
    assert outcome.sent_to == [kaltim["samarinda_operator"]] and not outcome.error
    notice = Notification.objects.get(user=kaltim["samarinda_operator"])
    assert "3 hari lagi" in notice.message and "Triwulan I" in notice.message
    assert notice.url.endswith(f"/pemantauan/pk/{kaltim['samarinda'].pk}/tw/1/")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["op@samarinda.example"]
    assert "Belum melapor" in mailoutbox[0].body and "15 April 2027" in mailoutbox[0].body
    reminder = Reminder.objects.get()
    assert (reminder.deadline_kind, reminder.offset_days, reminder.year) == ("triwulan-1", -3, YEAR)
    assert reminder.sent_at is not None

    again = send_quarter_reminders(now + datetime.timedelta(hours=3))
    assert [o.skipped for o in again] == [True]
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1
    assert not Notification.objects.filter(user=kaltim["operator"]).exists()  # reported


def test_a_dry_run_sends_and_writes_nothing(kaltim, mailoutbox, eager_celery):
    outcomes = send_quarter_reminders(at(datetime.date(YEAR, 4, 12)), dry_run=True)
    assert [o.due.unit.code for o in outcomes] == ["64.72.sekretariat"]
    assert outcomes[0].sent_to == [kaltim["samarinda_operator"]]
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    assert mailoutbox == []


def test_a_failed_email_is_tried_again_by_the_next_run(
    kaltim, mailoutbox, eager_celery, monkeypatch
):

    real_delay = send_email.delay

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(send_email, "delay", broken)
    [outcome] = send_quarter_reminders(at(datetime.date(YEAR, 4, 12)))
    assert "mail server down" in outcome.error
    reminder = Reminder.objects.get()
    assert reminder.sent_at is None and reminder.attempts == 1
    monkeypatch.setattr(send_email, "delay", real_delay)
    send_quarter_reminders(at(datetime.date(YEAR, 4, 13)))  # not a reminder day itself
    reminder.refresh_from_db()
    assert reminder.sent_at is not None and reminder.attempts == 2 and reminder.last_error == ""
    assert len(mailoutbox) == 1


def test_the_celery_task_sends_what_is_due(kaltim, mailoutbox, eager_celery):

    with time_machine.travel(at(datetime.date(YEAR, 4, 14)), tick=False):
        assert task.delay().get() == 1
        assert task.delay().get() == 0  # already sent today
    assert len(mailoutbox) == 1


def test_the_command_dry_run_and_a_bad_date(kaltim):
    out = io.StringIO()
    call_command("send_quarter_reminders", "--dry-run", "--date", f"{YEAR}-04-08", stdout=out)
    text = out.getvalue()
    assert "Sekretariat KPU Kota Samarinda Triwulan I 2027" in text and "akan dikirim" in text
    assert "op.samarinda" in text and "1 pengingat triwulan diperiksa" in text
    assert not Reminder.objects.exists()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_quarter_reminders", "--date", "8-4-2027")


def test_the_pk_deadline_reminders_are_not_disturbed(kaltim, eager_celery):

    send_quarter_reminders(at(datetime.date(YEAR, 4, 12)))
    send_due_reminders(at(datetime.date(YEAR, 4, 12)))  # reads and retries the same table
    assert Reminder.objects.filter(deadline_kind="triwulan-1").count() == 1


def test_a_compiler_is_no_recipient(kaltim):
    compiler = make_user("kompilasi2", unit_code="64", role=Role.COMPILER)
    outcomes = send_quarter_reminders(at(datetime.date(YEAR, 4, 12)), dry_run=True)
    assert compiler not in outcomes[0].sent_to


def test_the_pk_deadline_run_leaves_failed_quarterly_reminders_to_their_own_run(
    kaltim, mailoutbox, eager_celery, monkeypatch
):

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(send_email, "delay", broken)
    send_quarter_reminders(at(datetime.date(YEAR, 4, 12)))
    monkeypatch.undo()
    send_due_reminders(at(datetime.date(YEAR, 4, 13)))
    reminder = Reminder.objects.get(deadline_kind="triwulan-1")
    assert reminder.sent_at is None and reminder.attempts == 1  # untouched by the other job
