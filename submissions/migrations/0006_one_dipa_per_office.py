"""One DIPA per office and year: a DIPA typed into a PK statement becomes the office's DIPA record
where none was recorded, and every editable PK then carries its office's recorded DIPA."""

from django.db import migrations

SUB_UNIT_KINDS = ("bagian", "subbagian")
EDITABLE = ("draf", "dikembalikan")


def _office(Unit, unit):
    if unit.kind not in SUB_UNIT_KINDS:
        return unit
    codes = unit.path.split("/")[:-1]
    return (
        Unit.objects.filter(code__in=codes).exclude(kind__in=SUB_UNIT_KINDS).order_by("-depth")
    ).first()


def _governing(Dipa, unit, year):
    codes = [unit.code]
    if unit.kind in SUB_UNIT_KINDS:
        codes += reversed(unit.path.split("/")[:-1])
    found = {d.unit.code: d for d in Dipa.objects.filter(unit__code__in=codes, year=year)}
    return next((found[code] for code in codes if code in found), None)


def forwards(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    Unit = apps.get_model("organisations", "Unit")
    Dipa = apps.get_model("submissions", "Dipa")
    typed = (
        Agreement.objects.exclude(dipa_number="")
        .filter(dipa_date__isnull=False)
        .select_related("unit")
        # The latest word wins where two PKs of one office typed different DIPAs.
        .order_by("-updated_at")
    )
    for agreement in typed:
        day, year = agreement.dipa_date, agreement.year
        if day.year not in (year - 1, year) or _governing(Dipa, agreement.unit, year):
            continue  # an impossible date is not made the office's record
        office = _office(Unit, agreement.unit)
        if office is not None:
            Dipa.objects.create(
                unit=office, year=year, number=agreement.dipa_number[:100], ratified_on=day
            )
    for agreement in Agreement.objects.filter(status__in=EDITABLE).select_related("unit"):
        dipa = _governing(Dipa, agreement.unit, agreement.year)
        if dipa and (agreement.dipa_number, agreement.dipa_date) != (dipa.number, dipa.ratified_on):
            Agreement.objects.filter(pk=agreement.pk).update(
                dipa_number=dipa.number, dipa_date=dipa.ratified_on
            )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0005_quarter_reminder_kinds"),
        ("agreements", "0007_amendments"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
