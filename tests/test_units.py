import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from organisations.models import Position, TimeZone, Unit, UnitKind
from organisations.national import load_national_units
from tests.factories import load_units, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def national():
    load_national_units()


def test_the_national_dataset_has_every_province_and_regency(national):
    assert Unit.objects.filter(kind=UnitKind.KPU).count() == 1
    assert Unit.objects.filter(kind=UnitKind.SETJEN).count() == 1
    assert Unit.objects.filter(kind=UnitKind.PROVINSI).count() == 38
    assert Unit.objects.filter(kind=UnitKind.KABKOTA).count() == 514
    assert Unit.objects.filter(kind=UnitKind.SEKRETARIAT_PROVINSI).count() == 38
    assert Unit.objects.filter(kind=UnitKind.SEKRETARIAT_KABKOTA).count() == 514
    assert Unit.objects.filter(kind=UnitKind.SUBBAGIAN).count() == 514 * 4
    assert Unit.objects.filter(kind=UnitKind.ESELON_II, code__contains="inspektorat").exists()


def test_aceh_bodies_are_kip(national):
    assert unit("11").short_name == "KIP Aceh"
    assert Unit.objects.filter(kind=UnitKind.KABKOTA, short_name__startswith="KIP ").count() == 23
    assert Unit.objects.filter(kind=UnitKind.KABKOTA, province__code="11").count() == 23
    assert unit("11.06").short_name == "KIP Kabupaten Aceh Besar"
    assert unit("11.06").name == "Komisi Independen Pemilihan Kabupaten Aceh Besar"
    assert not Unit.objects.filter(
        kind=UnitKind.KABKOTA, short_name__startswith="KPU Kabupaten Aceh"
    ).exists()


def test_names_are_as_printed(national):
    assert unit("64.74").short_name == "KPU Kota Bontang"
    assert unit("64.74").name == "Komisi Pemilihan Umum Kota Bontang"
    assert unit("64.74.sekretariat").short_name == "Sekretariat KPU Kota Bontang"
    assert unit("96.71").short_name == "KPU Kota Sorong"
    assert unit("64").short_name == "KPU Provinsi Kalimantan Timur"
    assert unit("31").short_name == "KPU Provinsi DKI Jakarta"
    assert unit("64.74.sekretariat.keuangan").short_name == "Subbagian Keuangan, Umum dan Logistik"
    titles = set(
        Position.objects.filter(unit__satker__code="96.71").values_list("title", flat=True)
    )
    assert {"KETUA KPU KOTA SORONG", "SEKRETARIS KPU KOTA SORONG"} <= titles
    assert Position.objects.get(unit__code="64.74.sekretariat.keuangan").title == (
        "Kasubbag Keuangan, Umum dan Logistik"
    )


def test_time_zones_follow_the_province(national):
    assert unit("96.71.sekretariat").time_zone == TimeZone.WIT  # Sorong
    assert unit("64.74.sekretariat.keuangan").time_zone == TimeZone.WITA  # Bontang
    assert unit("31.71").time_zone == TimeZone.WIB  # Jakarta Pusat
    assert unit("51").time_zone == TimeZone.WITA  # Bali
    assert unit("kpu").time_zone == TimeZone.WIB


def test_loading_twice_changes_nothing_and_keeps_admin_edits(national):
    before = Unit.objects.count()
    Unit.objects.filter(code="64.74").update(short_name="KPU Kota Bontang (diubah)")
    report = load_national_units()
    assert report.units_created == 0
    assert report.positions_created == 0
    assert Unit.objects.count() == before
    assert unit("64.74").short_name == "KPU Kota Bontang (diubah)"


def test_the_management_command_reports_what_it_did(capsys):
    call_command("load_units")
    call_command("load_units")
    out = capsys.readouterr().out
    assert "Unit baru: 3325" in out
    assert "Unit baru: 0, sudah ada: 3325" in out


def test_tree_queries_cost_one_query_each(django_assert_num_queries):
    load_units("64.74", "96.71")
    keuangan = unit("64.74.sekretariat.keuangan")
    with django_assert_num_queries(1):
        codes = [u.code for u in keuangan.ancestors()]
    assert codes == ["kpu", "64", "64.74", "64.74.sekretariat"]
    kaltim = unit("64")
    with django_assert_num_queries(1):
        in_province = list(Unit.objects.in_province(kaltim).values_list("code", flat=True))
    assert "64.74.sekretariat.teknis" in in_province
    assert not any(code.startswith("96") for code in in_province)
    assert keuangan.satker.code == "64.74"
    assert keuangan.province.code == "64"


def test_moving_a_unit_moves_its_subtree():
    load_units("64.74", "96.71")
    bontang = unit("64.74")
    bontang.parent = unit("96")
    bontang.full_clean()
    bontang.save()
    keuangan = unit("64.74.sekretariat.keuangan")
    assert keuangan.path == "kpu/96/64.74/64.74.sekretariat/64.74.sekretariat.keuangan"
    assert keuangan.province.code == "96"
    assert keuangan.satker.code == "64.74"


def test_a_unit_cannot_move_under_its_own_child():
    load_units("64.74")
    bontang = unit("64.74")
    bontang.parent = unit("64.74.sekretariat")
    with pytest.raises(ValidationError) as excinfo:
        bontang.full_clean()
    assert "ke bawah dirinya sendiri atau unit turunannya" in str(excinfo.value)
    assert unit("64.74").parent.code == "64"


def test_a_unit_cannot_sit_under_the_wrong_kind():
    load_units("64.74")
    subbagian = unit("64.74.sekretariat.keuangan")
    subbagian.parent = unit("64")
    with pytest.raises(ValidationError) as excinfo:
        subbagian.full_clean()
    assert "tidak dapat berada di bawah" in str(excinfo.value)
