"""Create the development CA and a signing key per official (idempotent).

    manage.py create_dev_signing_keys                      every official
    manage.py create_dev_signing_keys --official-id 3 7    only these

The files go to default storage under signing/ (see agreements/signing/devkeys.py); an
official who already has a key keeps it. Each new key is encrypted with the printed demo
signing secret (DEMO_SIGNING_SECRET): for the demo and tests only, so the command refuses with
DEBUG off. Real officials enrol their own key through the link sent to their e-mail.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agreements.signing.devkeys import CA_CERT_NAME, DEMO_SIGNING_SECRET, create_dev_signing_keys
from organisations.models import Official


class Command(BaseCommand):
    help = (
        "Buat CA pengembangan dan sertifikat + PKCS#12 tanda tangan elektronik untuk setiap "
        "pejabat (hanya untuk demo dan pengujian; kunci yang sudah ada tidak diganti)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--official-id",
            type=int,
            nargs="+",
            dest="official_ids",
            help="Hanya pejabat dengan id ini (bawaan: semua pejabat).",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Juga dengan DEBUG mati (server demo): kunci memakai rahasia demo.",
        )

    def handle(self, *args, official_ids=None, **options):
        if not settings.DEBUG and not options.get("demo"):
            raise CommandError(
                "Kunci demo dikunci dengan rahasia yang dicetak di README: hanya untuk DEBUG. "
                "Tambahkan --demo bila server ini memang demo."
            )
        officials = Official.objects.order_by("pk")
        if official_ids:
            officials = officials.filter(pk__in=official_ids)
            missing = set(official_ids) - set(officials.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    "Pejabat tidak ditemukan: " + ", ".join(str(i) for i in sorted(missing))
                )
        report = create_dev_signing_keys(officials)
        if report.ca_created:
            self.stdout.write(f"CA pengembangan dibuat: {CA_CERT_NAME}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Kunci baru: {len(report.created)}, sudah ada: {len(report.existing)}."
            )
        )
        self.stdout.write(f"Rahasia penandatanganan demo: {DEMO_SIGNING_SECRET}")
