"""Load the national KPU hierarchy (idempotent: existing units are left as they are)."""

import time

from django.core.management.base import BaseCommand

from organisations.national import load_national_units


class Command(BaseCommand):
    help = (
        "Muat seluruh unit KPU: KPU, Setjen, 38 KPU Provinsi, 514 KPU Kab/Kota dan sekretariatnya."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = load_national_units()
        self.stdout.write(
            self.style.SUCCESS(
                f"Unit baru: {report.units_created}, sudah ada: {report.units_existing}, "
                f"jabatan baru: {report.positions_created} "
                f"({time.perf_counter() - started:.1f} detik)."
            )
        )
