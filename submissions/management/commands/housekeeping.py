"""Delete files nobody will download again: superseded compilations, abandoned import uploads."""

from django.core.management.base import BaseCommand

from submissions.housekeeping import run


class Command(BaseCommand):
    help = "Bersihkan berkas kompilasi yang sudah digantikan dan unggahan impor yang ditinggalkan."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Hanya tampilkan apa yang akan dihapus."
        )

    def handle(self, *args, dry_run=False, **options):
        report = run(dry_run=dry_run)
        verb = "akan dihapus" if dry_run else "dihapus"
        self.stdout.write(f"Berkas kompilasi lama {verb}: {len(report.compilations)} kompilasi.")
        self.stdout.write(f"Unggahan impor yang ditinggalkan {verb}: {len(report.imports)} berkas.")
