"""Load the demo data and print the demo logins. Idempotent: run it as often as you like."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_PASSWORD = "demo-pk-portal"  # noqa: S105 - printed on purpose: demo only


class Command(BaseCommand):
    help = "Muat data demo PK Portal dan tampilkan akun demo."

    @transaction.atomic
    def handle(self, *args, **options):
        User = get_user_model()
        admin, _ = User.objects.get_or_create(
            username="admin",
            defaults={"first_name": "Administrator", "is_staff": True, "is_superuser": True},
        )
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        logins = [("admin", "Administrator (semua akses)")]
        self.stdout.write(self.style.SUCCESS("Data demo siap. Akun demo:"))
        for username, role in logins:
            self.stdout.write(f"  {username:<28} {DEMO_PASSWORD}   {role}")
