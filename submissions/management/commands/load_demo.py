"""Load the demo data and print the demo logins. Idempotent: run it as often as you like."""

from django.core.management.base import BaseCommand

from organisations.demo import DEMO_PASSWORD, load_organisation_demo


class Command(BaseCommand):
    help = "Muat data demo PK Portal dan tampilkan akun demo."

    def handle(self, *args, **options):
        logins = load_organisation_demo()
        self.stdout.write(self.style.SUCCESS("Data demo siap. Akun demo (kata sandi sama):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<24} {DEMO_PASSWORD:<16} {description}")
