"""Send the quarterly reporting reminders due today, without Celery (the embedded default, or
cron): manage.py send_quarter_reminders [--dry-run] [--date YYYY-MM-DD]."""

import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monitoring.models import Quarter
from monitoring.reminders import send_quarter_reminders


class Command(BaseCommand):
    help = (
        "Kirim pengingat pengisian realisasi triwulan yang jatuh hari ini kepada operator unit "
        "yang belum mengajukan realisasinya (sekali per pengingat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan saja, jangan kirim.")
        parser.add_argument("--date", help="Jalankan seolah-olah pada tanggal ini (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, date=None, **options):
        now = timezone.now()
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date {date!r}: gunakan format YYYY-MM-DD.") from None
            now = datetime.datetime.combine(day, datetime.time(7), tzinfo=ZoneInfo("Asia/Jakarta"))
        outcomes = send_quarter_reminders(now, dry_run=dry_run)
        for outcome in outcomes:
            due = outcome.due
            state = ("sudah dikirim sebelumnya" if outcome.skipped
                     else f"GAGAL: {outcome.error}" if outcome.error
                     else "akan dikirim" if dry_run else "dikirim")  # fmt: skip
            when = "hari ini" if due.days_left == 0 else f"{due.days_left} hari lagi"
            people = ", ".join(u.username for u in outcome.sent_to) or "-"
            self.stdout.write(
                f"{due.unit} {Quarter(due.quarter).label} {due.year} ({due.status}, batas {when}):"
                f" {state} → {people}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(outcomes)} pengingat triwulan diperiksa."))
