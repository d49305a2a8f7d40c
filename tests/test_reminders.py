"""Deadline reminders: due days in each unit's time zone, exactly once, escalation, retries."""

import datetime
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from agreements.models import Agreement, Notification
from organisations import tasks
from organisations.models import Role
from submissions.models import Dipa, Reminder
from submissions.reminders import due_reminders, send_due_reminders
from tests.factories import load_units, make_user, unit

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")
ROOT = Path(__file__).resolve().parent.parent


def at(day, hour=8, tz=WITA):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


@pytest.fixture
def bontang():
    load_units("64.74", "96.71")
    users = {
        "operator": make_user("op", unit_code="64.74.sekretariat", email="op@bontang.example"),
        "compiler": make_user("kaltim", unit_code="64", role=Role.COMPILER, email="kaltim@example"),
    }
    Dipa.objects.create(
        unit=unit("64.74.sekretariat"),
        year=2027,
        number="DIPA-076.01",
        ratified_on=datetime.date(2026, 12, 15),
    )
    return users


def due_for(now, code="64.74.sekretariat"):
    return sorted((d.kind, d.days_left) for d in due_reminders(now) if d.unit.code == code)


def test_reminders_fall_on_the_configured_days_before_and_every_three_days_late(bontang):
    # Signing deadline: DIPA 15 December 2026 + 30 days = 14 January 2027.
    assert due_for(at(datetime.date(2027, 1, 7))) == [("tanda_tangan", 7)]
    assert due_for(at(datetime.date(2027, 1, 8))) == []
    assert due_for(at(datetime.date(2027, 1, 14))) == [("tanda_tangan", 0)]
    assert due_for(at(datetime.date(2027, 1, 17))) == [("tanda_tangan", -3)]
    assert due_for(at(datetime.date(2027, 1, 18))) == []
    # End of January, and the compilation date five days before it (Kab/Kota only).
    assert ("penyampaian", 7) in due_for(at(datetime.date(2027, 1, 24)))
    assert ("kompilasi", 1) in due_for(at(datetime.date(2027, 1, 25)))


def test_no_reminder_once_the_pk_is_past_the_deadline_state(bontang):
    Agreement.objects.create(
        unit=unit("64.74.sekretariat"), year=2027, pk_kind="g", status="disampaikan"
    )
    assert due_for(at(datetime.date(2027, 1, 14))) == []
    assert due_for(at(datetime.date(2027, 1, 24))) == []


def test_a_missing_dipa_means_no_signing_reminder(bontang):
    assert [k for k, _ in due_for(at(datetime.date(2027, 1, 7)), "64.74")] == []


def test_local_time_decides_the_day(bontang):
    # 14 January 2027 15:30 UTC is already 15 January 00:30 in Sorong (WIT), still 23:30 on the
    # 14th in Bontang (WITA).
    Dipa.objects.create(
        unit=unit("96.71.sekretariat"),
        year=2027,
        number="X",
        ratified_on=datetime.date(2026, 12, 15),
    )
    moment = datetime.datetime(2027, 1, 14, 15, 30, tzinfo=datetime.UTC)
    assert due_for(moment, "96.71.sekretariat") == []  # day +1: no reminder day
    assert due_for(moment, "64.74.sekretariat") == [("tanda_tangan", 0)]


def test_a_reminder_is_sent_once_by_email_and_in_app(bontang, mailoutbox, eager_celery):
    now = at(datetime.date(2027, 1, 7))
    send_due_reminders(now)
    send_due_reminders(now)
    assert Reminder.objects.filter(unit__code="64.74.sekretariat").count() == 1
    mine = [m for m in mailoutbox if "op@bontang.example" in m.to]
    assert len(mine) == 1 and "7 hari lagi" in mine[0].subject
    assert Notification.objects.filter(user=bontang["operator"]).count() == 1


def test_an_overdue_office_is_reported_to_its_province(bontang, mailoutbox, eager_celery):
    send_due_reminders(at(datetime.date(2027, 1, 17)))
    reminder = Reminder.objects.get(unit__code="64.74.sekretariat", deadline_kind="tanda_tangan")
    assert reminder.escalated and reminder.offset_days == 3
    assert "kaltim@example" in reminder.recipients
    assert Notification.objects.filter(
        user=bontang["compiler"], message__contains="Terlambat 3 hari"
    ).exists()


def test_a_failed_email_is_retried_and_does_not_block_the_others(
    bontang, monkeypatch, eager_celery
):

    calls = []
    original = tasks.send_email.delay

    def flaky(subject, body, to):
        calls.append(to)
        if len(calls) == 1:
            raise OSError("SMTP down")
        return original(subject, body, to)

    monkeypatch.setattr(tasks.send_email, "delay", flaky)
    make_user("op2", unit_code="96.71.sekretariat", email="op@sorong.example")
    Dipa.objects.create(
        unit=unit("96.71.sekretariat"),
        year=2027,
        number="X",
        ratified_on=datetime.date(2026, 12, 15),
    )
    send_due_reminders(at(datetime.date(2027, 1, 7)))
    failed = Reminder.objects.filter(sent_at__isnull=True)
    assert failed.count() == 1 and "SMTP down" in failed.get().last_error
    assert Reminder.objects.filter(sent_at__isnull=False).count() >= 1  # the other one went
    send_due_reminders(at(datetime.date(2027, 1, 8)))  # the next run tries again
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()


def test_the_command_prints_what_it_sends_and_dry_run_sends_nothing(bontang, capsys, eager_celery):
    call_command("send_reminders", "--dry-run", "--date", "2027-01-07")
    out = capsys.readouterr().out
    assert "Sekretariat KPU Kota Bontang 2027 tanda_tangan (7 hari lagi): akan dikirim → op" in out
    assert not Reminder.objects.exists()
    call_command("send_reminders", "--date", "2027-01-07")
    assert "dikirim → op" in capsys.readouterr().out
    assert Reminder.objects.count() >= 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_reminder_once(bontang, mailoutbox, eager_celery):

    now = at(datetime.date(2027, 1, 7))
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            send_due_reminders(now)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Reminder.objects.filter(unit__code="64.74.sekretariat").count() == 1
    assert len([m for m in mailoutbox if "op@bontang.example" in m.to]) == 1


@pytest.mark.redis
@pytest.mark.postgres
def test_beat_and_a_worker_deliver_a_reminder_once(celery_worker_process, tmp_path):
    """Celery beat with the database schedule and a real worker, against Redis and PostgreSQL."""

    load_units("64.74")
    make_user("op", unit_code="64.74.sekretariat", email="op@bontang.example")
    today = datetime.datetime.now(WITA).date()
    # A DIPA 29 days ago: the signing deadline is tomorrow, one reminder is due today.
    Dipa.objects.create(unit=unit("64.74.sekretariat"), year=today.year + 1, number="X",
                        ratified_on=today - datetime.timedelta(days=29))  # fmt: skip
    PeriodicTask.objects.update(
        enabled=False
    )  # the daily 07:00 run is not what this test waits for
    every_second, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.create(name="uji pengingat", interval=every_second,
                                task="submissions.reminders.send_reminders")  # fmt: skip
    log = tmp_path / "beat.log"
    with open(log, "wb") as out:
        beat = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pk_portal", "beat", "--loglevel=INFO",
             "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
             "--max-interval=1", f"--pidfile={tmp_path / 'beat.pid'}"],
            cwd=ROOT, env=celery_worker_process["env"], stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        mail_dir = celery_worker_process["mail_dir"]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (mail_dir.exists() and any(mail_dir.iterdir())):
            time.sleep(0.5)
        time.sleep(4)  # several more beats: nothing more may go out
        assert Reminder.objects.count() == 1, (
            log.read_text() + celery_worker_process["log"].read_text()
        )
        assert Reminder.objects.get().sent_at is not None
        mails = list(mail_dir.iterdir())
        assert len(mails) == 1 and "1 hari lagi" in mails[0].read_text()
        assert (
            celery_worker_process["log"].read_text().count("submissions.reminders.send_reminders")
            >= 2
        )
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    assert os.path.exists(tmp_path / "beat.log")
