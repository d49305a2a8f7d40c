"""The migration to one DIPA per office: a DIPA typed into a statement becomes the office's."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("submissions", "0005_quarter_reminder_kinds"), ("agreements", "0007_amendments")]
AFTER = [("submissions", "0006_one_dipa_per_office")]


def test_a_typed_dipa_becomes_the_office_record_and_the_drafts_follow_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Unit, Agreement = (
        apps.get_model("organisations", "Unit"),
        apps.get_model("agreements", "Agreement"),
    )
    kota = Unit.objects.create(
        code="64.74",
        kind="kabkota",
        name="KPU Kota Bontang",
        short_name="KPU Kota Bontang",
        path="64.74",
        depth=0,
    )
    sek = Unit.objects.create(
        code="64.74.sekretariat",
        kind="sekretariat_kabkota",
        parent=kota,
        name="Sekretariat",
        short_name="Sekretariat",
        path="64.74/64.74.sekretariat",
        depth=1,
    )
    sub = Unit.objects.create(
        code="64.74.sekretariat.keuangan",
        kind="subbagian",
        parent=sek,
        name="Subbagian Keuangan",
        short_name="Keuangan",
        path="64.74/64.74.sekretariat/64.74.sekretariat.keuangan",
        depth=2,
    )
    typed = Agreement.objects.create(
        unit=sub,
        year=2027,
        status="draf",
        dipa_number="SP DIPA-7",
        dipa_date=datetime.date(2026, 12, 5),
    )
    empty = Agreement.objects.create(unit=sek, year=2027, status="draf")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Dipa = apps.get_model("submissions", "Dipa")
    Agreement = apps.get_model("agreements", "Agreement")
    dipa = Dipa.objects.get()
    assert (dipa.unit_id, dipa.year, dipa.number) == (sek.pk, 2027, "SP DIPA-7")
    assert Agreement.objects.get(pk=empty.pk).dipa_number == "SP DIPA-7"
    assert Agreement.objects.get(pk=typed.pk).dipa_date == datetime.date(2026, 12, 5)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
