"""The DIPA recorded on the DIPA page fills the empty DIPA lines of draft PKs, and counts for
the Subbagian under the office that recorded it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.drafting import start_agreement
from agreements.models import Agreement
from submissions.deadlines import deadlines_for
from submissions.models import DeadlineKind, Dipa
from submissions.reminders import Due, _message
from tests.factories import load_units, make_user, unit

pytestmark = pytest.mark.django_db

NUMBER = "SP DIPA-076.01.2.690000/2027"


@pytest.fixture
def bontang():
    load_units("64.74")


def record_dipa(client, day="2026-12-05"):
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    url = reverse("dipa_edit", args=[2027, "64.74.sekretariat"])
    assert client.post(url, {"number": NUMBER, "ratified_on": day}).status_code == 302


def test_recording_the_dipa_fills_the_empty_drafts_of_the_office_and_its_subbagian(client, bontang):
    sekretariat = start_agreement(unit("64.74.sekretariat"), 2027)
    keuangan = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    typed = start_agreement(unit("64.74.sekretariat.teknis"), 2027)
    Agreement.objects.filter(pk=typed.pk).update(dipa_number="ketikan operator")
    signed = start_agreement(unit("64.74.sekretariat.partisipasi"), 2027)
    Agreement.objects.filter(pk=signed.pk).update(status="ditandatangani")
    other_year = start_agreement(unit("64.74.sekretariat.perencanaan"), 2026)
    versions = {a.pk: a.lock_version for a in Agreement.objects.all()}

    record_dipa(client)

    for filled in (sekretariat, keuangan):
        filled.refresh_from_db()
        assert (filled.dipa_number, filled.dipa_date) == (NUMBER, datetime.date(2026, 12, 5))
        assert filled.lock_version == versions[filled.pk] + 1  # an open form will say so
    for untouched in (signed, other_year):
        untouched.refresh_from_db()
        assert untouched.dipa_number == "" and untouched.dipa_date is None
    typed.refresh_from_db()
    assert typed.dipa_number == "ketikan operator"


def test_a_pk_started_after_the_dipa_takes_it(client, bontang):
    record_dipa(client)
    keuangan = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    keuangan.refresh_from_db()
    assert keuangan.dipa_number == NUMBER
    assert start_agreement(unit("64.74"), 2027).dipa_number == ""  # the KPU's own DIPA is its own


def test_a_subbagian_counts_its_signing_deadline_from_the_sekretariat_dipa(bontang):
    Dipa.objects.create(unit=unit("64.74.sekretariat"), year=2027, number=NUMBER,
                        ratified_on=datetime.date(2026, 12, 22))  # fmt: skip
    now = timezone.make_aware(datetime.datetime(2027, 1, 12, 9))
    rows = deadlines_for(unit("64.74.sekretariat.keuangan"), 2027, "draf", now)
    signing = next(row for row in rows if row.kind == DeadlineKind.SIGNING)
    assert signing.due is not None and signing.due.date() == datetime.date(2027, 1, 21)
    # The KPU Kab/Kota itself has no DIPA recorded: its deadline stays unknown.
    rows = deadlines_for(unit("64.74"), 2027, "draf", now)
    assert next(row for row in rows if row.kind == DeadlineKind.SIGNING).due is None


def test_reminder_subjects_keep_the_capitals_of_dipa_and_kpu(bontang):
    deadline = timezone.make_aware(datetime.datetime(2027, 1, 21, 23, 59))
    subject, body = _message(Due(unit("64.74.sekretariat"), 2027, DeadlineKind.SIGNING,
                                 deadline, 3, None))  # fmt: skip
    assert "setelah DIPA" in subject and "setelah DIPA" in body
    subject, _body = _message(Due(unit("64.74"), 2027, DeadlineKind.COMPILATION, deadline, 1, None))
    assert "penyampaian ke KPU Provinsi" in subject
