"""Every 15 minutes, the national and provincial monitoring figures are computed ahead
(monitoring.tasks.warm_dashboard_scores), so that no reviewer waits for ~3,300 PKs to be scored
after a restart or a cache flush. Pausable in the admin (Periodic tasks)."""

from django.db import migrations

TASK_NAME = "Hitung awal capaian pemantauan (15 menit)"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={"task": "monitoring.tasks.warm_dashboard_scores", "interval": every},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_quarter_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
