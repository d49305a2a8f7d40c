"""Load the demo data and print the demo logins. Idempotent: run it as often as you like.

It lives in the top app because it fills every app: the national units and officials
(organisations), then the seven seed PKs through the users' own import code (agreements), then
a year of quarterly realisations for Sorong's PKs of 2024 and a signed Bontang Sekretariat PK of
2025, Triwulan IV of each open for its operator (monitoring).
"""

import base64

from django.core.management.base import BaseCommand
from django.db import transaction

from agreements.seeds import load_all_seeds
from agreements.signing.devkeys import DEMO_SIGNING_SECRET, create_dev_signing_keys
from monitoring.demo import load_monitoring_demo
from organisations.demo import DEMO_OTP_KEY, DEMO_PASSWORD, load_organisation_demo
from organisations.models import Official


class Command(BaseCommand):
    help = "Muat data demo PK Portal dan tampilkan akun demo."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = load_organisation_demo()
            agreements = load_all_seeds()
            realisations = load_monitoring_demo()
        # Development keys, enrolled with the printed demo secret, so that the demo officials
        # can sign electronically.
        create_dev_signing_keys(Official.objects.filter(memberships__isnull=False).distinct())
        self.stdout.write(self.style.SUCCESS(f"PK contoh dimuat: {len(agreements)}."))
        if realisations:
            self.stdout.write(
                self.style.SUCCESS(
                    "Realisasi triwulanan contoh (KPU Kota Sorong 2024, Sekretariat KPU Kota "
                    f"Bontang 2025): {realisations}."
                )
            )
        self.stdout.write(
            "Triwulan IV 2024 dan 2025 tetap terbuka: sorong.operator dan bontang.operator "
            "memeriksa dan mengajukan realisasinya (menu Pemantauan), Ketua memverifikasinya."
        )
        self.stdout.write(self.style.SUCCESS("Akun demo (kata sandi sama untuk semua):"))
        for username, description in logins:
            self.stdout.write(f"  {username:<24} {DEMO_PASSWORD:<16} {description}")
        secret = base64.b32encode(bytes.fromhex(DEMO_OTP_KEY)).decode().rstrip("=")
        self.stdout.write(
            "Tanda tangan elektronik meminta kode sekali pakai. Kunci demo para penandatangan "
            f"untuk aplikasi autentikator: {secret}\n"
            "atau lihat kodenya sekarang: .venv/bin/python manage.py otp_code bontang.ketua"
        )
        self.stdout.write(
            "Rahasia penandatanganan demo (kunci para pejabat demo dikunci dengannya; pejabat "
            f"sungguhan menetapkan rahasianya sendiri): {DEMO_SIGNING_SECRET}"
        )
