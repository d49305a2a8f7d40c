import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from organisations.formatting import clock, format_rupiah, parse_rupiah, time_of_day


@pytest.mark.parametrize(
    ("amount", "printed"),
    [
        (21_057_000, "Rp 21.057.000,-"),
        (4_105_373_000, "Rp 4.105.373.000,-"),
        (0, "Rp 0,-"),
        (999, "Rp 999,-"),
        (-5_000, "-Rp 5.000,-"),
    ],
)
def test_rupiah_is_written_as_kpu_documents_write_it(amount, printed):
    assert format_rupiah(amount) == printed


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("Rp 21.057.000,-", 21_057_000),
        ("Rp21.057.000", 21_057_000),
        ("21057000", 21_057_000),
        ("  4.105.373.000 ", 4_105_373_000),
        ("Rp. 1.893.000,00", 1_893_000),
    ],
)
def test_typed_rupiah_is_read_back(typed, amount):
    assert parse_rupiah(typed) == amount


@pytest.mark.parametrize("typed", ["dua juta", "Rp 1.500,50", "12a", "", "-5000"])
def test_nonsense_rupiah_is_refused_in_indonesian(typed):
    with pytest.raises(ValidationError) as excinfo:
        parse_rupiah(typed)
    assert "bukan jumlah rupiah yang sah" in excinfo.value.messages[0]


def test_dates_are_written_in_full_indonesian():
    with translation.override("id"):
        assert date_format(datetime.date(2026, 1, 15)) == "15 Januari 2026"
        assert date_format(datetime.date(2024, 2, 29)) == "29 Februari 2024"
        rendered = Template("{{ d|date }} · {{ n|rupiah }}").render(
            Context({"d": datetime.date(2026, 12, 1), "n": 21057000})
        )
    assert rendered == "1 Desember 2026 · Rp 21.057.000,-"


def test_english_is_available():
    with translation.override("en"):
        assert date_format(datetime.date(2026, 1, 15)) == "15 January 2026"


def test_a_time_always_says_its_zone():
    moment = datetime.datetime(2027, 1, 15, 2, 0, tzinfo=datetime.UTC)
    template = Template(
        '{% load tz %}{{ t|date:"DATETIME_FORMAT" }} / '
        '{% timezone "Asia/Makassar" %}{{ t|date:"DATETIME_FORMAT" }}{% endtimezone %} / '
        '{{ t|timezone:"Asia/Jayapura"|date:"DATETIME_FORMAT" }}'
    )
    with translation.override("id"):
        printed = template.render(Context({"t": moment}))
    assert (
        printed
        == "15 Januari 2027, 09.00 WIB / 15 Januari 2027, 10.00 WITA / 15 Januari 2027, 11.00 WIT"
    )


# --- the clock: every time a person reads -----------------------------------------------------
def test_a_time_is_written_in_the_units_zone_with_the_zone_named():
    moment = datetime.datetime(2026, 1, 15, 15, 59, tzinfo=datetime.UTC)
    with translation.override("id"):
        assert clock(moment, "Asia/Makassar") == "15 Januari 2026 pukul 23.59 WITA"
        assert clock(moment, "Asia/Jayapura") == "16 Januari 2026 pukul 00.59 WIT"
        assert clock(moment) == "15 Januari 2026 pukul 22.59 WIB"  # no unit: the server's zone
        assert clock(datetime.date(2026, 1, 15)) == "15 Januari 2026"
        assert clock(None) == ""
    assert time_of_day(moment, "Asia/Makassar") == "23.59 WITA"
