"""Housekeeping: superseded compilation files and abandoned import uploads leave the storage;
what someone may still need stays."""

import datetime
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from agreements.housekeeping import purge_abandoned_imports
from pk_portal.celery import app
from submissions.housekeeping import purge_superseded_compilations
from submissions.models import Compilation
from tests.factories import load_units, unit

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2027, 2, 10, 2, 30))


def compilation(days_ago: int, **fields) -> Compilation:
    made = Compilation.objects.create(province=unit("64"), year=2027, status="selesai", **fields)
    made.reading_pdf.save(f"baca-{made.pk}.pdf", ContentFile(b"%PDF-1.7"), save=False)
    made.originals_zip.save(f"asli-{made.pk}.zip", ContentFile(b"PK\x03\x04"), save=False)
    made.save()
    Compilation.objects.filter(pk=made.pk).update(
        created_at=NOW - datetime.timedelta(days=days_ago)
    )
    return made


def test_only_superseded_old_unsubmitted_compilations_lose_their_files():
    load_units("64.74")
    old = compilation(20)
    submitted = compilation(15, submitted_at=NOW - datetime.timedelta(days=15))
    recent = compilation(3)
    newest = compilation(10)  # the newest finished one is kept even when old
    Compilation.objects.filter(pk=newest.pk).update(created_at=NOW - datetime.timedelta(days=1))
    Compilation.objects.filter(pk=recent.pk).update(created_at=NOW - datetime.timedelta(days=3))
    names = {c.pk: (c.reading_pdf.name, c.originals_zip.name) for c in (old, submitted, recent)}

    assert purge_superseded_compilations(NOW, dry_run=True) == [old.pk]
    assert default_storage.exists(names[old.pk][0])  # a dry run deletes nothing
    assert purge_superseded_compilations(NOW) == [old.pk]
    assert not any(default_storage.exists(name) for name in names[old.pk])
    for kept in (submitted, recent):
        assert all(default_storage.exists(name) for name in names[kept.pk])
    old.refresh_from_db()
    assert not old.reading_pdf and not old.originals_zip
    assert purge_superseded_compilations(NOW) == []  # nothing twice


def test_import_uploads_older_than_a_day_are_deleted(monkeypatch):
    fresh = default_storage.save("imports/baru.xlsx", ContentFile(b"x"))
    stale = default_storage.save("imports/lama.xlsx", ContentFile(b"x"))
    two_days_ago = (NOW - datetime.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(stale), (two_days_ago, two_days_ago))
    one_hour_ago = (NOW - datetime.timedelta(hours=1)).timestamp()
    os.utime(default_storage.path(fresh), (one_hour_ago, one_hour_ago))
    assert purge_abandoned_imports(NOW) == [stale]
    assert default_storage.exists(fresh) and not default_storage.exists(stale)


def test_the_command_says_what_it_would_delete(capsys):
    call_command("housekeeping", "--dry-run")
    out = capsys.readouterr().out
    assert "akan dihapus: 0 kompilasi" in out and "akan dihapus: 0 berkas" in out


def test_the_daily_run_is_in_the_beat_schedule():

    task = PeriodicTask.objects.get(task="submissions.housekeeping.run_housekeeping")
    assert task.enabled and task.crontab.hour == "2"

    assert "submissions.housekeeping.run_housekeeping" in app.tasks


def test_the_quarterly_reminders_run_daily_from_the_beat_schedule():

    task = PeriodicTask.objects.get(task="monitoring.tasks.send_quarter_reminders")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("7", "15")
    app.loader.import_default_modules()  # the autodiscovery a worker does at start
    assert "monitoring.tasks.send_quarter_reminders" in app.tasks


def test_the_monitoring_figures_are_computed_ahead_every_15_minutes():

    task = PeriodicTask.objects.get(task="monitoring.tasks.warm_dashboard_scores")
    assert task.enabled and (task.interval.every, task.interval.period) == (15, "minutes")
