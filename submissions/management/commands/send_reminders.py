"""Send the deadline reminders due today, without Celery (the embedded default, or cron)."""

from submissions.management.reminder_command import ReminderCommand
from submissions.reminders import send_due_reminders


class Command(ReminderCommand):
    help = "Kirim pengingat batas waktu PK yang jatuh hari ini (sekali per pengingat)."

    def send(self, now, dry_run):
        return send_due_reminders(now, dry_run=dry_run)

    def describe(self, outcome, state):
        due = outcome.due
        when = f"{-due.days_left} hari terlambat" if due.overdue else f"{due.days_left} hari lagi"
        people = ", ".join(u.username for u in outcome.sent_to + outcome.escalated_to) or "-"
        return f"{due.unit} {due.year} {due.kind} ({when}): {state} → {people}"
