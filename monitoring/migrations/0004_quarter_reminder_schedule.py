"""The daily run of the quarterly reporting reminders (monitoring.tasks) in Celery beat's
database schedule, beside the PK deadline reminders (submissions 0003); an administrator changes
the hour or pauses it in the admin (Periodic tasks)."""

from django.db import migrations

TASK_NAME = "Pengingat pelaporan realisasi triwulanan (harian)"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="7", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Jakarta",
    )  # fmt: skip
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": "monitoring.tasks.send_quarter_reminders", "crontab": crontab},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_realisation_follows_its_row"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
