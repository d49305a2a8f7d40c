import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp import match_token

from agreements.models import Agreement
from monitoring.models import Realisation
from monitoring.series import build_report
from monitoring.services import form_refusal, save_quarter, verify_quarter
from organisations.models import Membership, Role, Unit, User
from organisations.signatories import signatories_for

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_and_prints_a_login_per_role(capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    for username in ("admin", "bontang.operator", "bontang.ketua", "kaltim.kompilasi",
                     "perencanaan.reviewer", "inspektorat.reviewer", "bontang.admin"):  # fmt: skip
        assert out.count(f"  {username} ") == 2, username
    assert "demo-pk-portal" in out
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Unit.objects.filter(kind="kabkota").count() == 514
    # Every demo person hears of their tasks by e-mail too (written to var/mail/).
    demo_people = get_user_model().objects.filter(memberships__isnull=False).distinct()
    assert demo_people.exists() and not demo_people.filter(email="").exists()


def test_the_demo_officials_sign_the_seed_pks():

    call_command("load_demo")
    pair = signatories_for(
        Unit.objects.get(code="64.74.sekretariat.keuangan"), datetime.date(2026, 1, 15)
    )
    assert pair.pihak_pertama.name == "Indra Lesmana"
    assert pair.pihak_pertama.position_title == "Kasubbag Keuangan, Umum dan Logistik"
    assert pair.pihak_kedua.name == "Bambang Rahmadhany"
    sorong = signatories_for(Unit.objects.get(code="96.71"), datetime.date(2024, 3, 6))
    assert sorong.pihak_pertama.name == "BALTHASAR BERTH KAMBUAYA" and sorong.is_single


def test_demo_signatories_have_a_one_time_code_the_command_prints(capsys, settings):

    call_command("load_demo")
    ketua = User.objects.get(username="bontang.ketua")
    capsys.readouterr()
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("otp_code", "bontang.ketua")
    settings.DEBUG = True
    call_command("otp_code", "bontang.ketua")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and match_token(ketua, code) is not None
    with pytest.raises(CommandError, match="belum memasang"):
        call_command("otp_code", "bontang.operator")


def test_the_demo_shows_a_year_of_monitoring_for_sorong_2024(client):

    call_command("load_demo")
    call_command("load_demo")  # twice: the signed PKs are left as they are
    sekretariat = Agreement.objects.get(unit__code="96.71.sekretariat", year=2024)
    assert sekretariat.status == "ditandatangani"
    rows = sekretariat.indicator_count()
    assert Realisation.objects.filter(agreement=sekretariat).count() == 4 * rows
    report = build_report(sekretariat)
    averages = [report.averages[q].value for q in (1, 2, 3, 4)]
    assert all(a is not None for a in averages) and averages == sorted(averages)
    assert averages[-1] >= Decimal(90)
    assert {line.cells[4].capaian.category for line in report.lines} >= {"tercapai", "tidak"}
    client.force_login(User.objects.get(username="perencanaan.reviewer"))
    url = reverse("monitoring_reports:national", args=[2024, 4])
    page = client.get(url, {"provinsi": "96"}).content.decode()
    assert "Sekretariat KPU Kota Sorong" in page and "Terverifikasi" in page


@pytest.mark.parametrize(
    ("operator", "ketua", "unit_code", "year"),
    [("sorong.operator", "sorong.ketua", "96.71.sekretariat", 2024),
     ("bontang.operator", "bontang.ketua", "64.74.sekretariat", 2025)],
)  # fmt: skip
def test_each_demo_operator_has_an_open_quarter_under_the_pemantauan_menu(
    client, operator, ketua, unit_code, year
):
    call_command("load_demo")
    call_command("load_demo")  # twice: nothing doubles, the quarter stays open
    agreement = Agreement.objects.get(unit__code=unit_code, year=year, status="ditandatangani")
    user = User.objects.get(username=operator)
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert f"Isi realisasi Triwulan IV {agreement}" in home  # a task of "Tugas Anda"
    menu = home[home.index('id="nav-main"') : home.index("</nav>")]
    assert f'href="{reverse("monitoring:home")}">Pemantauan</a>' in menu
    page = client.get(reverse("monitoring:home")).content.decode()
    quarter_url = reverse("monitoring:quarter", args=[agreement.pk, 4])
    assert f'href="{quarter_url}">Isi realisasi' in page
    assert "Terbuka, tanpa batas pengisian" in page
    form = client.get(quarter_url)
    assert form.status_code == 200 and "sudah ditutup" not in form.content.decode()
    assert form_refusal(agreement, 4, user) is None
    # The README's tour: the operator submits the quarter, the Ketua verifies it.
    save_quarter(agreement, 4, [], user, submit=True)
    verify_quarter(agreement, 4, User.objects.get(username=ketua))
    assert set(
        Realisation.objects.filter(agreement=agreement, quarter=4).values_list("status", flat=True)
    ) == {"terverifikasi"}
    assert (
        Realisation.objects.filter(agreement=agreement).count() == 4 * agreement.indicator_count()
    )
