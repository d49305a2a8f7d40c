"""The operator's *Pemantauan* page (monitoring.views.worklist, monitoring.worklist): the quarters
of the signed PKs they report, open ones first, each with its state and its link."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from agreements.drafting import start_agreement
from agreements.lampiran import replace_lampiran
from agreements.models import Agreement
from monitoring.models import ReportingPeriod
from organisations.models import Role
from tests import test_monitoring_views as quarter_form_tests
from tests.factories import unit

pytestmark = pytest.mark.django_db

cast = quarter_form_tests.cast
# 5 April 2027: Triwulan I of 2027 is open until 15 April, Triwulan II has just begun.
in_q1_window = quarter_form_tests.in_q1_window


def quarters_on(page: str, agreement) -> list[str]:
    return [q for q in "1234" if reverse("monitoring:quarter", args=[agreement.pk, q]) in page]


def test_the_operator_sees_the_open_quarter_first_with_its_closing_time(client, cast):
    agreement = cast["agreement"]
    older = start_agreement(unit("64.74.sekretariat"), 2026, sign_date=datetime.date(2026, 1, 15))
    replace_lampiran(older, quarter_form_tests.programme_rows())
    Agreement.objects.filter(pk=older.pk).update(status="ditandatangani")
    client.force_login(cast["operator"])
    page = client.get(reverse("monitoring:home")).content.decode()
    assert page.index(f"/pemantauan/pk/{agreement.pk}/") < page.index(f"/pemantauan/pk/{older.pk}/")
    q1 = reverse("monitoring:quarter", args=[agreement.pk, 1])
    assert f'href="{q1}">Isi realisasi' in page
    assert "Terbuka sampai 15 April 2027 pukul 23.59 WITA" in page
    assert quarters_on(page, agreement) == ["1", "2"]  # III and IV have not begun: no link
    assert quarters_on(page, older) == ["1", "2", "3", "4"]  # closed: "Lihat"
    assert "Ditutup" in page and "Belum dimulai" in page


def test_a_submitted_quarter_is_no_longer_a_task_and_kpu_can_keep_one_open(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = quarter_form_tests.form_data(agreement, ["90", "1", "WTP", "8"], action="submit")
    assert (
        client.post(reverse("monitoring:quarter", args=[agreement.pk, 1]), data).status_code == 302
    )
    page = client.get(reverse("monitoring:home")).content.decode()
    q1 = reverse("monitoring:quarter", args=[agreement.pk, 1])
    assert "Diajukan untuk verifikasi" in page
    assert f'href="{q1}">Lihat' in page and f'href="{q1}">Isi realisasi' not in page
    ReportingPeriod.objects.create(year=2027, quarter=1, closes_on=None)
    with time_machine.travel(datetime.datetime(2027, 12, 1, tzinfo=datetime.UTC), tick=False):
        client.force_login(cast["operator"])
        page = client.get(reverse("monitoring:home")).content.decode()
    assert "Terbuka, tanpa batas pengisian" in page


def test_only_the_drafters_of_the_pks_unit_see_it(client, cast):
    agreement = cast["agreement"]
    for who in ("subbagian", "ketua", "province", "outsider"):
        client.force_login(cast[who])
        page = client.get(reverse("monitoring:home"))
        assert page.status_code == 200
        assert f"/pemantauan/pk/{agreement.pk}/" not in page.content.decode(), who
        assert "Belum ada PK yang ditandatangani" in page.content.decode()
    assert cast["ketua"].memberships.get().role == Role.SIGNATORY


def test_the_menu_shows_pemantauan_to_those_who_fill_quarters(client, cast):
    for who, shown in (("operator", True), ("subbagian", True), ("ketua", False)):
        client.force_login(cast[who])
        home = client.get(reverse("home")).content.decode()
        link = f'href="{reverse("monitoring:home")}">Pemantauan</a>'
        assert (link in home) is shown, who


def test_it_refuses_post(client, cast):
    client.force_login(cast["operator"])
    assert client.post(reverse("monitoring:home")).status_code == 405


def test_the_home_page_lists_each_open_quarter_as_a_task_with_its_deadline(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    tasks = client.get(reverse("home")).content.decode().split('id="tugas-anda"')[1]
    tasks = tasks.split("</ul>")[0]
    assert f"Isi realisasi Triwulan I {agreement}" in tasks
    assert "Batas 15 April 2027 pukul 23.59 WITA" in tasks
    assert reverse("monitoring:quarter", args=[agreement.pk, 1]) in tasks
    client.force_login(cast["ketua"])
    assert "Isi realisasi" not in client.get(reverse("home")).content.decode()
