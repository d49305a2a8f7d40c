"""Send the quarterly reporting reminders due today, without Celery (the embedded default, or
cron): manage.py send_quarter_reminders [--dry-run] [--date YYYY-MM-DD]."""

from monitoring.models import Quarter
from monitoring.reminders import send_quarter_reminders
from submissions.management.reminder_command import ReminderCommand


class Command(ReminderCommand):
    help = (
        "Kirim pengingat pengisian realisasi triwulan yang jatuh hari ini kepada operator unit "
        "yang belum mengajukan realisasinya (sekali per pengingat)."
    )

    summary = "pengingat triwulan diperiksa."

    def send(self, now, dry_run):
        return send_quarter_reminders(now, dry_run=dry_run)

    def describe(self, outcome, state):
        due = outcome.due
        when = "hari ini" if due.days_left == 0 else f"{due.days_left} hari lagi"
        people = ", ".join(u.username for u in outcome.sent_to) or "-"
        return (
            f"{due.unit} {Quarter(due.quarter).label} {due.year} ({due.status}, batas {when}):"
            f" {state} → {people}"
        )
