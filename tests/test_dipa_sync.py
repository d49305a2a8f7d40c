"""One DIPA per office and year, entered on the DIPA page: it fills the DIPA lines of the draft
PKs it governs (their statement form takes none of its own), counts for the Subbagian under the
office that recorded it, and is what the PK page and the deadline show."""

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


def test_recording_the_dipa_fills_the_drafts_of_the_office_and_its_subbagian(client, bontang):
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
    assert typed.dipa_number == NUMBER  # one DIPA: a number typed before is replaced


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


def test_a_correction_of_the_dipa_reaches_the_drafts_but_not_a_signed_pk(client, bontang):
    draft = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    signed = start_agreement(unit("64.74.sekretariat.teknis"), 2027)
    record_dipa(client)
    Agreement.objects.filter(pk=signed.pk).update(status="ditandatangani")
    record_dipa(client, day="2026-12-09")
    draft.refresh_from_db()
    signed.refresh_from_db()
    assert draft.dipa_date == datetime.date(2026, 12, 9)
    assert signed.dipa_date == datetime.date(2026, 12, 5)  # what was signed stays


def test_the_statement_form_takes_no_dipa_and_shows_the_recorded_one_with_a_link(client, bontang):
    draft = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    record_dipa(client)  # as the Sekretariat's operator, who may record it
    draft.refresh_from_db()
    edit = reverse("agreements:edit", args=[draft.pk])
    html = client.get(edit).content.decode()
    assert 'name="dipa_number"' not in html and 'name="dipa_date"' not in html
    assert NUMBER in html and "5 Desember 2026" in html
    record = reverse("dipa_edit", args=[2027, "64.74.sekretariat"])
    assert f'href="{record}?next=' in html
    client.post(edit, {"place": "Bontang", "dipa_number": "ketikan", "lock_version":
                       draft.lock_version})  # fmt: skip
    draft.refresh_from_db()
    assert draft.place == "Bontang" and draft.dipa_number == NUMBER


def test_the_pk_page_shows_one_dipa_and_its_deadline_or_says_it_is_not_recorded(client, bontang):
    draft = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "DIPA belum dicatat" in html and "Catat DIPA" in html
    record_dipa(client)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert NUMBER in html and "DIPA belum dicatat" not in html and "tanpa DIPA" not in html
    assert "4 Januari 2027" in html  # 30 days after 5 December 2026


def test_recording_the_dipa_from_the_pk_page_returns_to_it(client, bontang):
    draft = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    url = reverse("dipa_edit", args=[2027, "64.74.sekretariat"])
    back = draft.get_absolute_url()
    response = client.post(url, {"number": NUMBER, "ratified_on": "2026-12-05", "next": back})
    assert response.status_code == 302 and response.url == back
    response = client.post(url, {"number": NUMBER, "ratified_on": "2026-12-05",
                                 "next": "https://example.com/"})  # fmt: skip
    assert response.url == reverse("dipa_list_year", args=[2027])


def test_a_subbagian_operator_is_told_who_records_the_dipa(client, bontang):
    draft = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    client.force_login(make_user(unit_code="64.74.sekretariat.keuangan"))
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "DIPA dicatat oleh operator" in html
    assert reverse("dipa_edit", args=[2027, "64.74.sekretariat"]) not in html
