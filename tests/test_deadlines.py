import datetime

import pytest
import time_machine
from django.urls import reverse

from agreements.drafting import start_agreement
from submissions.deadlines import is_overdue, signing_deadline, submission_deadline
from submissions.models import Dipa
from tests.factories import load_units, make_user, unit

UTC = datetime.UTC


def test_end_of_january_is_local_time_sorong_before_jakarta():
    moment = datetime.datetime(2027, 1, 31, 15, 30, tzinfo=UTC)  # 00:30 in Sorong, 22:30 in Jakarta
    assert is_overdue(submission_deadline(2027, "Asia/Jayapura"), moment)
    assert not is_overdue(submission_deadline(2027, "Asia/Jakarta"), moment)


def test_thirty_days_after_the_dipa_cross_month_and_year_ends():
    assert signing_deadline(datetime.date(2026, 12, 15), "Asia/Makassar").date() == datetime.date(
        2027, 1, 14
    )
    assert signing_deadline(datetime.date(2028, 2, 1), "Asia/Jakarta").date() == datetime.date(
        2028, 3, 2
    )  # leap year
    assert signing_deadline(None, "Asia/Jakarta") is None


@pytest.mark.django_db
def test_the_pk_page_shows_each_deadline_in_local_time_with_days_left(client):

    load_units("96.71")
    agreement = start_agreement(unit("96.71.sekretariat"), 2027)
    user = make_user(unit_code="96.71.sekretariat")
    with time_machine.travel(datetime.datetime(2027, 1, 20, 3, tzinfo=UTC), tick=False):
        client.force_login(user)  # sessions expire: log in at the travelled-to time
        page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
        assert "belum diketahui: DIPA belum dicatat" in page
        Dipa.objects.create(
            unit=unit("96.71.sekretariat"),
            year=2027,
            number="X",
            ratified_on=datetime.date(2026, 12, 10),
        )
        page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "9 Januari 2027 pukul 23.59 WIT" in page and "terlambat 11 hari" in page
    assert "31 Januari 2027 pukul 23.59 WIT" in page and "11 hari lagi" in page
    assert "26 Januari 2027" in page  # the compilation date of Kab/Kota PKs
