"""The home page's "Tugas Anda": what waits for each role, by when (in the unit's zone), with
the link that does it."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import strip_tags

from agreements import checks
from agreements.workflow import perform
from submissions.models import Dipa
from tests.factories import unit
from tests.test_signatory import KEUANGAN, cast, make_pk  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 12, 10, 9, 0, tzinfo=datetime.UTC)  # 2027's PKs are drafted


def tasks(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    start = page.index('id="tugas-anda"')
    return page[start : page.index("</ul>", start)]


@time_machine.travel(TODAY, tick=False)
def test_an_operator_is_asked_to_record_the_dipa_and_start_the_pk(client, cast):  # noqa: F811
    found = tasks(client, cast["secretariat_operator"])
    assert "Catat DIPA" in found and reverse("dipa_edit", args=[2027, "64.74.sekretariat"]) in found
    assert "Buat PK" in found and "year=2027" in found


@time_machine.travel(TODAY, tick=False)
def test_a_signatory_is_asked_to_approve_by_the_deadline_in_the_units_zone(client, cast):  # noqa: F811
    Dipa.objects.create(unit=unit("64.74.sekretariat"), year=2027, number="SP DIPA-1",
                        ratified_on=datetime.date(2026, 12, 5))  # fmt: skip
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", cast["drafter"])
    found = tasks(client, cast["approver"])
    assert reverse("agreements:review", args=[agreement.pk]) in found
    text = " ".join(strip_tags(found).split())
    assert "Setujui" in text and "Batas 4 Januari 2027 pukul 23.59 WITA" in text


@time_machine.travel(TODAY, tick=False)
def test_a_drafter_is_asked_to_fix_a_returned_pk_with_the_note(client, cast):  # noqa: F811
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", cast["drafter"])
    perform(agreement, "return", cast["approver"], note="Target laporan harus 3.")
    found = tasks(client, cast["drafter"])
    assert "Target laporan harus 3." in found and agreement.get_absolute_url() in found


@time_machine.travel(TODAY, tick=False)
def test_another_offices_operator_sees_only_their_own_office(client, cast):  # noqa: F811
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", cast["drafter"])
    found = tasks(client, cast["outsider"])
    assert "Sorong" in found and "Bontang" not in found


@time_machine.travel(TODAY, tick=False)
def test_listing_the_tasks_runs_no_check_of_the_pks_in_them(client, cast, monkeypatch):  # noqa: F811
    """The home page shows no check report: a report not cached yet would run every check of
    the PK and its family on each visit (seconds for a large Sekretariat at the peak)."""
    agreement = make_pk(KEUANGAN, 2027)
    perform(agreement, "submit", cast["drafter"])
    perform(agreement, "return", cast["approver"], note="Target laporan harus 3.")
    checked = []
    monkeypatch.setattr(checks, "run_checks", lambda pk, *a, **k: checked.append(pk) or 1 / 0)
    found = tasks(client, cast["drafter"])
    assert agreement.get_absolute_url() in found and checked == []
