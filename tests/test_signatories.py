"""The table of DOMAIN.md "Who signs which PK", row by row."""

import datetime

import pytest

from organisations.models import Acting
from organisations.signatories import PKKind, VacantPosition, pk_kind_for, signatories_for
from tests.factories import appoint, load_units, make_official, unit

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 1, 15)


@pytest.fixture
def staffed():
    """Every head position of KPU, Setjen, one Biro, Kaltim and Bontang, filled."""
    load_units("64.74")
    heads = {}
    for code in [
        "kpu",
        "setjen",
        "setjen.biro-perencanaan",
        "64",
        "64.sekretariat",
        "64.74",
        "64.74.sekretariat",
        "64.74.sekretariat.keuangan",
    ]:
        heads[code] = appoint(code, make_official(f"Kepala {code}")).official.name
    return heads


@pytest.mark.parametrize(
    ("unit_code", "kind", "pertama", "kedua"),
    [
        ("kpu", PKKind.KPU, "kpu", None),
        ("setjen", PKKind.SETJEN, "setjen", "kpu"),
        ("setjen.biro-perencanaan", PKKind.ESELON_II, "setjen.biro-perencanaan", "setjen"),
        ("64", PKKind.PROVINSI, "64", None),
        ("64.sekretariat", PKKind.SEKRETARIAT_PROVINSI, "64.sekretariat", "64"),
        ("64.74", PKKind.KABKOTA, "64.74", None),
        ("64.74.sekretariat", PKKind.SEKRETARIAT_KABKOTA, "64.74.sekretariat", "64.74"),
        ("64.74.sekretariat.keuangan", PKKind.SUBUNIT, "64.74.sekretariat.keuangan",
         "64.74.sekretariat"),
    ],
)  # fmt: skip
def test_each_row_of_the_table(staffed, unit_code, kind, pertama, kedua):
    pair = signatories_for(unit(unit_code), DAY)
    assert pair.pk_kind == kind == pk_kind_for(unit(unit_code))
    assert pair.pihak_pertama.name == staffed[pertama]
    if kedua is None:
        assert pair.pihak_kedua is None
        assert pair.is_single and kind.is_single_signatory
    else:
        assert pair.pihak_kedua.name == staffed[kedua]
        assert not kind.is_single_signatory


def test_the_pair_carries_names_positions_and_nip_as_printed():
    load_units("96.71")
    appoint("96.71", make_official("BALTHASAR BERTH KAMBUAYA"))
    appoint("96.71.sekretariat", make_official("MARTHEN KAMBU", nip="197802282009021004"))
    pair = signatories_for(unit("96.71.sekretariat"), datetime.date(2024, 3, 6))
    assert pair.pihak_pertama.printed_position == "SEKRETARIS KPU KOTA SORONG"
    assert pair.pihak_pertama.nip == "197802282009021004"
    assert pair.pihak_kedua.printed_position == "KETUA KPU KOTA SORONG"
    assert pair.pihak_kedua.nip == ""


def test_an_acting_official_signs_when_the_post_has_no_definitive_holder():
    load_units("64.74")
    appoint("64.74", make_official("Ketua"))
    appoint("64.74.sekretariat", make_official("Pak Plt"), acting=Acting.PLT)
    pair = signatories_for(unit("64.74.sekretariat"), DAY)
    assert pair.pihak_pertama.name == "Pak Plt"
    assert pair.pihak_pertama.printed_position == "Plt. SEKRETARIS KPU KOTA BONTANG"


def test_the_definitive_holder_comes_before_a_plh():
    load_units("64.74")
    appoint("64.74", make_official("Ketua Definitif"))
    appoint("64.74", make_official("Ketua Plh"), acting=Acting.PLH, start=DAY)
    assert signatories_for(unit("64.74"), DAY).pihak_pertama.name == "Ketua Definitif"


def test_the_holder_on_the_date_is_chosen_when_officials_change():
    load_units("64.74")
    appoint("64.74", make_official("Ketua Lama"), end=datetime.date(2025, 6, 30))
    appoint("64.74", make_official("Ketua Baru"), start=datetime.date(2025, 7, 1))
    assert signatories_for(unit("64.74"), datetime.date(2025, 3, 1)).pihak_pertama.name == (
        "Ketua Lama"
    )
    assert signatories_for(unit("64.74"), DAY).pihak_pertama.name == "Ketua Baru"


def test_a_vacant_post_gives_a_clear_error():
    load_units("64.74")
    appoint("64.74.sekretariat", make_official("Sekretaris"))
    with pytest.raises(VacantPosition) as excinfo:
        signatories_for(unit("64.74.sekretariat"), DAY)  # the Ketua (Pihak Kedua) is vacant
    assert str(excinfo.value) == (
        "Tidak ada pejabat yang menjabat sebagai pimpinan KPU Kota Bontang pada 15 Januari 2026. "
        "Catat pejabat definitif atau Plt/Plh-nya terlebih dahulu."
    )
