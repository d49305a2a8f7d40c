"""The daily housekeeping run (submissions/housekeeping.py) in Celery beat's database schedule."""

from django.db import migrations

TASK_NAME = "Pembersihan berkas lama (harian)"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Jakarta",
    )  # fmt: skip
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": "submissions.housekeeping.run_housekeeping", "crontab": crontab},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0003_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
