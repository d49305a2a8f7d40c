"""The capaian rules (monitoring.capaian) with hand-made cases, and the amendment split."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from agreements.drafting import start_agreement
from agreements.lampiran import INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement, AgreementEvent, IndicatorRow
from indicators.targets import parse_target
from monitoring import capaian
from monitoring.amendments import Version, match_rows, quarter_owners, split_quarters
from monitoring.capaian import (
    COUNT,
    GRADE,
    PERCENTAGE,
    SCORE,
    Measure,
    Rules,
    average,
    categorise,
    grade_capaian,
    kind_of,
    measured_value,
    numeric_capaian,
    quarter_capaian,
)
from monitoring.models import (
    CapaianRule,
    Realisation,
    default_closing_date,
    quarter_end,
    quarter_start,
)
from monitoring.series import build_report, carried_from_older
from tests.factories import load_units, unit


# --- numbers, more is better -------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "realised", "expected", "category"),
    [
        (D(100), D(100), D("100.00"), capaian.ACHIEVED),  # 100% of a percentage target
        (D(100), D("85.5"), D("85.50"), capaian.NEARLY),
        (D(90), D(60), D("66.67"), capaian.NOT_ACHIEVED),
        (D(4), D(3), D("75.00"), capaian.NOT_ACHIEVED),  # 3 of 4 laporan
        (D(85), D(92), D("108.24"), capaian.ACHIEVED),  # a score above its target
        (D(10), D(50), D("120.00"), capaian.ACHIEVED),  # capped
        (D(300), D(0), D("0.00"), capaian.NOT_ACHIEVED),
    ],
)
def test_more_is_better_divides_the_realisation_by_the_target(target, realised, expected, category):
    result = numeric_capaian(target, realised, higher_is_better=True)
    assert result.value == expected
    assert result.category == category


def test_a_capped_value_says_so():
    result = numeric_capaian(D(10), D(50))
    assert result.value == D("120.00")
    assert "500" in result.explanation and "120" in result.explanation


# --- numbers, less is better --------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "realised", "expected"),
    [
        (D(10), D(10), D("100.00")),  # exactly the target
        (D(10), D(12), D("80.00")),  # 20% above a less-is-better target: 2 - 1.2
        (D(10), D(8), D("120.00")),  # 2 - 0.8 = 120%
        (D(10), D(5), D("120.00")),  # 150% capped
        (D(10), D(25), D("0.00")),  # 2 - 2.5 < 0: floored
        (D(20), D(23), D("85.00")),
    ],
)
def test_less_is_better_uses_two_minus_the_ratio(target, realised, expected):
    assert numeric_capaian(target, realised, higher_is_better=False).value == expected


def test_a_floored_value_says_so():
    assert "0%" in numeric_capaian(D(10), D(25), higher_is_better=False).explanation


# --- zero targets ---------------------------------------------------------------------------
def test_a_zero_target_met_exactly_is_100_percent_in_both_directions():
    for direction in (True, False):
        result = numeric_capaian(D(0), D(0), higher_is_better=direction)
        assert result.value == D("100.00") and result.category == capaian.ACHIEVED
        assert "Target 0" in result.explanation


def test_a_zero_target_missed_on_a_less_is_better_indicator_is_0_percent():
    result = numeric_capaian(D(0), D(3), higher_is_better=False)
    assert result.value == D("0.00") and result.category == capaian.NOT_ACHIEVED
    assert "tidak tercapai" in result.explanation


def test_a_zero_target_exceeded_on_a_more_is_better_indicator_is_the_cap():
    result = numeric_capaian(D(0), D(2), higher_is_better=True, rules=Rules(cap=D(150)))
    assert result.value == D("150.00")
    assert "150" in result.explanation


def test_no_realisation_or_no_numeric_target_gives_no_capaian():
    assert numeric_capaian(D(10), None).value is None
    assert numeric_capaian(D(10), None).category == capaian.NO_DATA
    assert numeric_capaian(None, D(3)).value is None
    assert "bukan angka" in numeric_capaian(None, D(3)).explanation


# --- grades ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("target", "realised", "expected"),
    [
        ("WTP", "WTP", D("100.00")),
        ("WDP", "WTP", D("100.00")),  # better than the target
        ("WTP", "WDP", D("66.67")),  # scores WTP 3, WDP 2, TW 1, TMP 0
        ("WTP", "TW", D("33.33")),
        ("WTP", "TMP", D("0.00")),
        ("WDP", "TW", D("50.00")),
        ("BB", "B", D("75.00")),  # SAKIP: AA 6 … BB 4, B 3 … D 0
        ("A", "CC", D("40.00")),
        ("B", "AA", D("100.00")),
    ],
)
def test_grades_are_compared_by_their_scores(target, realised, expected):
    assert grade_capaian(target, realised).value == expected


def test_a_worse_grade_explains_the_steps_and_a_foreign_grade_is_refused():
    assert "2 tingkat" in grade_capaian("WTP", "TW").explanation
    foreign = grade_capaian("WTP", "BB")
    assert foreign.value is None and "tidak dapat dibandingkan" in foreign.explanation
    assert grade_capaian("WTP", "").category == capaian.NO_DATA


# --- quarters: states vs flows ------------------------------------------------------------
def test_a_count_sums_the_quarters_up_to_the_one_measured():
    values = {1: D(1), 2: D(2), 3: None, 4: D(1)}
    assert measured_value(COUNT, values, 1) == D(1)
    assert measured_value(COUNT, values, 2) == D(3)
    assert measured_value(COUNT, values, 4) == D(4)  # the empty Triwulan III adds nothing
    assert measured_value(COUNT, {2: D(0)}, 2) == D(0)  # a reported 0 is a figure


def test_a_quarter_not_reported_has_no_capaian_even_for_a_count():
    assert measured_value(COUNT, {1: D(1), 2: D(2)}, 3) is None
    result = quarter_capaian(Measure(COUNT, True, D(4)), {1: D(1), 2: D(2)}, {}, 3)
    assert result.value is None and result.category == capaian.NO_DATA


def test_a_percentage_or_score_takes_the_latest_quarter_only():
    values = {1: D(40), 2: D(70)}
    assert measured_value(PERCENTAGE, values, 2) == D(70)
    assert measured_value(SCORE, values, 3) is None


def test_quarter_capaian_of_each_kind():
    count = Measure(COUNT, True, D(4))
    assert quarter_capaian(count, {1: D(1), 2: D(1)}, {}, 2).value == D("50.00")
    percentage = Measure(PERCENTAGE, True, D(100))
    assert quarter_capaian(percentage, {1: D(30), 2: D(95)}, {}, 2).value == D("95.00")
    score = Measure(SCORE, True, D(85))
    assert quarter_capaian(score, {1: D(68)}, {}, 1).value == D("80.00")
    lower = Measure(PERCENTAGE, False, D(5))
    assert quarter_capaian(lower, {3: D(4)}, {}, 3).value == D("120.00")
    grade = Measure(GRADE, True, None, "WTP")
    assert quarter_capaian(grade, {}, {2: "WDP"}, 2).value == D("66.67")


def test_the_kind_comes_from_the_catalogue_or_the_target():
    assert kind_of(None, "", "WTP") == GRADE
    assert kind_of(None, "%", "") == PERCENTAGE
    assert kind_of(None, "laporan", "") == COUNT
    assert kind_of(None, "", "") == SCORE
    assert kind_of(COUNT, "%", "") == COUNT  # the catalogue wins over the unit
    assert kind_of(PERCENTAGE, "", "WTP") == GRADE  # a grade target is always a grade


# --- averages and categories --------------------------------------------------------------
def test_an_average_leaves_out_indicators_without_a_realisation():
    result = average([numeric_capaian(D(100), D(100)), numeric_capaian(D(100), D(70)),
                      numeric_capaian(D(100), None)])  # fmt: skip
    assert result.value == D("85.00") and result.category == capaian.NEARLY
    assert "2 indikator" in result.explanation and "1 belum" in result.explanation
    assert average([numeric_capaian(D(1), None)]).value is None
    assert average([]).category == capaian.NO_DATA


def test_an_average_uses_the_capped_values():
    result = average([numeric_capaian(D(10), D(100)), numeric_capaian(D(100), D(60))])
    assert result.value == D("90.00")  # (120 + 60) / 2, not (1000 + 60) / 2


def test_categories_follow_the_thresholds_kpu_sets():
    assert [categorise(D(v)) for v in (100, D("99.99"), 80, D("79.99"))] == [
        capaian.ACHIEVED, capaian.NEARLY, capaian.NEARLY, capaian.NOT_ACHIEVED]  # fmt: skip
    strict = Rules(cap=D(110), achieved_from=D(100), nearly_from=D(90))
    assert categorise(D(85), strict) == capaian.NOT_ACHIEVED
    assert numeric_capaian(D(100), D(85), rules=strict).label == "Tidak tercapai"
    assert numeric_capaian(D(100), D(130), rules=strict).value == D("110.00")


@pytest.mark.django_db
def test_the_rules_kpu_saves_are_the_rules_in_force(django_capture_on_commit_callbacks):

    assert CapaianRule.current() == capaian.DEFAULT_RULES
    with django_capture_on_commit_callbacks(execute=True):  # the cache is told after commit
        CapaianRule.objects.create(cap=D(110), achieved_from=D(95), nearly_from=D(75))
    assert CapaianRule.current() == Rules(cap=D(110), achieved_from=D(95), nearly_from=D(75))
    with pytest.raises(ValidationError, match="Urutan ambang"):
        CapaianRule(cap=D(120), achieved_from=D(80), nearly_from=D(90)).full_clean()


# --- quarters and closing dates -----------------------------------------------------------
def test_quarter_dates_and_default_closing_dates():
    assert (quarter_start(2027, 2), quarter_end(2027, 2)) == (
        datetime.date(2027, 4, 1), datetime.date(2027, 6, 30))  # fmt: skip
    assert default_closing_date(2027, 1) == datetime.date(2027, 4, 15)
    assert default_closing_date(2027, 4) == datetime.date(2028, 1, 15)


# --- the amendment split ------------------------------------------------------------------
def test_a_pk_without_amendment_measures_every_quarter():
    assert split_quarters(2027, [Version(7, 1, datetime.date(2027, 1, 15))]) == {
        1: 7, 2: 7, 3: 7, 4: 7}  # fmt: skip
    assert split_quarters(2027, []) == {}


def test_an_amendment_measures_the_quarters_ending_on_or_after_its_date():
    versions = [
        Version(7, 1, datetime.date(2027, 1, 15)),
        Version(9, 2, datetime.date(2027, 6, 10)),
    ]
    assert split_quarters(2027, versions) == {1: 7, 2: 9, 3: 9, 4: 9}
    on_the_last_day = [versions[0], Version(9, 2, datetime.date(2027, 6, 30))]
    assert split_quarters(2027, on_the_last_day) == {1: 7, 2: 9, 3: 9, 4: 9}
    next_day = [versions[0], Version(9, 2, datetime.date(2027, 7, 1))]
    assert split_quarters(2027, next_day) == {1: 7, 2: 7, 3: 9, 4: 9}


def test_two_amendments_each_take_their_quarters():
    versions = [Version(3, 3, datetime.date(2027, 10, 2)), Version(1, 1, datetime.date(2027, 1, 5)),
                Version(2, 2, datetime.date(2027, 4, 20))]  # fmt: skip
    assert split_quarters(2027, versions) == {1: 1, 2: 2, 3: 2, 4: 3}


def test_rows_carry_over_by_their_normalised_text():
    old = [(1, "Persentase  Laporan Keuangan tepat waktu"), (2, "Jumlah laporan"),
           (3, "Jumlah laporan"), (4, "Dihapus pada perubahan")]  # fmt: skip
    new = [(10, "Jumlah Laporan"), (11, "persentase laporan keuangan, tepat waktu"),
           (12, "Jumlah laporan"), (13, "Indikator baru")]  # fmt: skip
    assert match_rows(old, new) == {10: 2, 11: 1, 12: 3}


@pytest.mark.django_db
def test_the_signed_versions_of_a_unit_split_its_year():

    load_units("64.74")
    first = start_agreement(unit("64.74.sekretariat"), 2027)
    Agreement.objects.filter(pk=first.pk).update(
        status="diterima", sign_date=datetime.date(2027, 1, 15)
    )
    amendment = Agreement.objects.create(
        unit=first.unit, year=2027, version=2, pk_kind=first.pk_kind, amends=first,
        status="ditandatangani", amendment_date=datetime.date(2027, 6, 1))  # fmt: skip
    # No printed date: the day the signing was recorded, in Bontang's time (UTC+8).
    event = AgreementEvent.objects.create(agreement=amendment, revision=1, action="sign",
                                          from_status="disetujui", to_status="ditandatangani")  # fmt: skip
    AgreementEvent.objects.filter(pk=event.pk).update(
        at=datetime.datetime(2027, 6, 30, 17, 0, tzinfo=datetime.UTC)
    )  # 1 July, 01:00 WITA
    Agreement.objects.create(
        unit=first.unit,
        year=2027,
        version=3,
        pk_kind=first.pk_kind,
        amends=amendment,
        sign_date=datetime.date(2027, 2, 1),
    )  # a draft
    owners = quarter_owners(first.unit_id, 2027)
    assert {q: a.version for q, a in owners.items()} == {1: 1, 2: 1, 3: 2, 4: 2}
    Agreement.objects.filter(pk=amendment.pk).update(sign_date=datetime.date(2027, 6, 10))
    owners = quarter_owners(first.unit_id, 2027)
    assert {q: a.version for q, a in owners.items()} == {1: 1, 2: 2, 3: 2, 4: 2}
    assert quarter_owners(first.unit_id, 2026) == {}


@pytest.mark.django_db
def test_an_amended_pk_measures_old_quarters_against_old_targets_and_carries_realisations():

    def rows(*pairs):
        return [LampiranRow(INDIKATOR, "", "P", "", "K", "Sasaran", text, parse_target(target))
                for text, target in pairs]  # fmt: skip

    def realise(agreement, text, quarter, value):
        row = IndicatorRow.objects.get(sasaran__kegiatan__programme__agreement=agreement, text=text)
        Realisation.objects.create(row=row, agreement=agreement, quarter=quarter, value=D(value))

    load_units("64.74")
    old = start_agreement(unit("64.74.sekretariat"), 2027, sign_date=datetime.date(2027, 1, 15))
    replace_lampiran(old, rows(("Jumlah laporan kinerja", "4 laporan"), ("Persentase X", "90%")))
    new = Agreement.objects.create(unit=old.unit, year=2027, version=2, pk_kind=old.pk_kind,
                                   amends=old, sign_date=datetime.date(2027, 6, 10))  # fmt: skip
    replace_lampiran(new, rows(("Jumlah Laporan  Kinerja", "6 laporan"), ("Persentase X", "95%"),
                               ("Indikator baru", "2 dokumen")))  # fmt: skip
    Agreement.objects.filter(pk__in=[old.pk, new.pk]).update(status="ditandatangani")
    old.refresh_from_db()
    new.refresh_from_db()
    realise(old, "Jumlah laporan kinerja", 1, 1)
    realise(old, "Persentase X", 1, 80)
    realise(old, "Jumlah laporan kinerja", 2, 5)  # entered before the amendment was signed
    realise(new, "Jumlah Laporan  Kinerja", 2, 2)
    realise(new, "Persentase X", 2, "93")

    report = build_report(new)
    count, percentage, added = report.lines
    assert {q: a.version for q, a in report.owners.items()} == {1: 1, 2: 2, 3: 2, 4: 2}
    q1, q2 = count.cells[1], count.cells[2]
    assert (q1.carried, q1.target_text, q1.measured, q1.capaian.value) == (
        True,
        "4 laporan",
        D(1),
        D("25.00"),
    )
    assert (q2.carried, q2.target_text, q2.measured, q2.capaian.value) == (
        False,
        "6 laporan",
        D(3),
        D("50.00"),
    )
    assert percentage.cells[1].capaian.value == D("88.89")  # 80 of the old 90%
    assert percentage.cells[2].capaian.value == D("97.89")  # 93 of the new 95%
    assert added.cells[1].measure is None and added.cells[1].capaian.value is None
    assert report.averages[1].value == D("56.95")  # (25 + 88.89) / 2; the new one not counted
    assert report.averages[2].value == D("73.95")  # (50 + 97.89) / 2; the new one not reported
    # The old version reads its second quarter from the amendment, against the new target.
    old_count = build_report(old).lines[0]
    assert (old_count.cells[2].carried, old_count.cells[2].target_text) == (True, "6 laporan")
    # The amendment's form for Triwulan II starts from what was entered on the old version.
    carried = carried_from_older(new, 2, [line.row for line in report.lines])
    assert {carried_row.value for carried_row in carried.values()} == {D(5)}
    assert list(carried) == [count.row.pk]
