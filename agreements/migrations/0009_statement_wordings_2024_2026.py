"""The statement wordings of the seed documents (../shared/seeds/): 2024 as KPU Kota Sorong
printed it, 2026 as KPU Kota Bontang printed it, for single-signatory and pair PKs. OCR damage
is not copied ("manajeman", "trasnparan" read "manajemen", "transparan"); the documents' own
wording is ("pemerintah", "dibawah"). The 2026 single-signatory wording is not in the seeds: it
is the 2026 pair wording for one party, as the portal printed it before templates existed."""

from django.db import migrations

OPENING_2024 = (
    "Dalam rangka mewujudkan manajemen pemerintah yang efektif, transparan dan akuntabel "
    "serta berorientasi pada hasil, kami yang bertanda tangan di bawah ini :"
)
OPENING_2026 = (
    "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel "
    "serta berorientasi pada hasil, kami yang bertanda tangan dibawah ini:"
)
PROMISE = (
    "berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, "
    "dalam rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam "
    "dokumen perencanaan."
)
RESPONSIBILITY = (
    "Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab kami."
)

WORDINGS = [
    {
        "name": "Pernyataan PK Ketua 2024",
        "single": True,
        "year_from": 2000,
        "year_to": 2025,
        "opening": OPENING_2024,
        "commitment": f"B{PROMISE[1:]}\n\n{RESPONSIBILITY}",
        "signature_style": "upper",
        "lampiran_subtitle": True,
    },
    {
        "name": "Pernyataan PK dua pihak 2024",
        "single": False,
        "year_from": 2000,
        "year_to": 2025,
        "opening": OPENING_2024,
        "pihak_pertama_role": "Selanjutnya disebut Pihak Pertama",
        "pihak_kedua_role": "Selaku atasan langsung Pihak Pertama\nSelanjutnya disebut Pihak Kedua",
        "commitment": f"Pihak Pertama {PROMISE} {RESPONSIBILITY}",
        "supervision": (
            "Pihak Kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi "
            "terhadap capaian kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan "
            "dalam rangka pemberian penghargaan dan sanksi."
        ),
        "signature_style": "upper",
        "lampiran_subtitle": True,
    },
    {
        "name": "Pernyataan PK Ketua 2026",
        "single": True,
        "year_from": 2026,
        "year_to": None,
        "opening": OPENING_2026,
        "commitment": f"B{PROMISE[1:]} {RESPONSIBILITY}",
        "signature_style": "title",
        "names_in_brackets": True,
    },
    {
        "name": "Pernyataan PK dua pihak 2026",
        "single": False,
        "year_from": 2026,
        "year_to": None,
        "opening": OPENING_2026,
        "pihak_pertama_role": "selanjutnya disebut Pihak Pertama.",
        "pihak_kedua_role": "selaku atasan pihak pertama, selanjutnya disebut Pihak Kedua.",
        "commitment": f"Pihak pertama {PROMISE} {RESPONSIBILITY}",
        "supervision": (
            "Pihak kedua akan memberikan supervisi yang diperlukan serta akan melakukan evaluasi "
            "akuntabilitas kinerja terhadap capaian kinerja dari perjanjian ini dan mengambil "
            "tindakan yang diperlukan dalam rangka pemberian penghargaan dan sanksi."
        ),
        "signature_style": "title",
        "names_in_brackets": True,
    },
]


def add_wordings(apps, schema_editor):
    StatementTemplate = apps.get_model("agreements", "StatementTemplate")
    for wording in WORDINGS:
        StatementTemplate.objects.get_or_create(name=wording["name"], version=1, defaults=wording)


def remove_wordings(apps, schema_editor):
    StatementTemplate = apps.get_model("agreements", "StatementTemplate")
    StatementTemplate.objects.filter(
        name__in=[w["name"] for w in WORDINGS], version=1, signed_documents__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0008_statement_templates")]

    operations = [migrations.RunPython(add_wordings, remove_wordings)]
