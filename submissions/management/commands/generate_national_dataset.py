"""Generate the national demo/benchmark dataset of one year (submissions.dataset).

manage.py generate_national_dataset --year 2027 [--seed 1] [--provinces 64,96]
                                    [--indicators 45] [--replace]
"""

from django.core.management.base import BaseCommand, CommandError

from submissions.dataset import DatasetExists, generate_national_dataset


class Command(BaseCommand):
    help = (
        "Buat data demo nasional satu tahun: PK setiap satker, Sekretariat dan Subbagian dalam "
        "berbagai status, dengan lampiran, dokumen bertanda tangan, penyampaian dan kompilasi."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Tahun PK, misalnya 2027.")
        parser.add_argument("--seed", type=int, default=1, help="Benih acak (hasil sama).")
        parser.add_argument(
            "--provinces",
            default="",
            help="Kode provinsi dipisah koma (mis. 64,96): hanya pusat dan provinsi itu.",
        )
        parser.add_argument(
            "--indicators", type=int, default=45, help="Rata-rata baris indikator per PK."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Ganti data demo tahun itu bila sudah ada (PK buatan pengguna tidak diganti).",
        )

    def handle(self, *args, **options):
        year = options["year"]
        if not 2020 <= year <= 2100:
            raise CommandError("Tahun harus antara 2020 dan 2100.")
        provinces = [code.strip() for code in options["provinces"].split(",") if code.strip()]
        try:
            report = generate_national_dataset(
                year,
                seed=options["seed"],
                provinces=provinces or None,
                indicators_per_pk=options["indicators"],
                replace=options["replace"],
                progress=lambda message: self.stdout.write(message),
            )
        except DatasetExists as exc:
            raise CommandError(str(exc)) from None
        if report.replaced:
            self.stdout.write(f"{report.replaced} PK demo lama diganti.")
        self.stdout.write(self.style.SUCCESS(f"Data demo {year}: {report}"))
