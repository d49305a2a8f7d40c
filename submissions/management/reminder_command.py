"""What the reminder commands share (send_reminders here, send_quarter_reminders in
monitoring): the --dry-run and --date options, the run at 07.00 WIB of that date, and one line
per reminder with what became of it."""

import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class ReminderCommand(BaseCommand):
    summary = "pengingat diperiksa."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan saja, jangan kirim.")
        parser.add_argument("--date", help="Jalankan seolah-olah pada tanggal ini (YYYY-MM-DD).")

    def send(self, now: datetime.datetime, dry_run: bool) -> list:
        """The outcomes of the run at `now` (subclasses call their sender)."""
        raise NotImplementedError

    def describe(self, outcome, state: str) -> str:
        """One line about `outcome`, ending with `state`."""
        raise NotImplementedError

    def handle(self, *args, dry_run=False, date=None, **options):
        now = timezone.now()
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r}: gunakan format YYYY-MM-DD.") from None
            now = datetime.datetime.combine(day, datetime.time(7), tzinfo=ZoneInfo("Asia/Jakarta"))
        outcomes = self.send(now, dry_run)
        for outcome in outcomes:
            state = ("sudah dikirim sebelumnya" if outcome.skipped
                     else f"GAGAL: {outcome.error}" if outcome.error
                     else "akan dikirim" if dry_run else "dikirim")  # fmt: skip
            self.stdout.write(self.describe(outcome, state))
        self.stdout.write(self.style.SUCCESS(f"{len(outcomes)} {self.summary}"))
