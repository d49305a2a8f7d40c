"""The cascade checks on small hand-made PKs: a pass, a warning, an error and a spelling variant."""

import pytest
from django.urls import reverse

from agreements.checks import Check, Severity, cached_checks, run_checks
from agreements.checks.national import compare_targets
from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement, AgreementEvent, CheckAcceptance
from agreements.workflow import snapshot_of
from indicators.models import IKUDesignation, IKULevel, Indicator
from indicators.targets import parse_target
from organisations.models import Role
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db
DM = ("076.01.WA", "Program Dukungan Manajemen")


def ind(text, target, sasaran="Sasaran keuangan", programme=DM):
    return LampiranRow(INDIKATOR, programme[0], programme[1], "", "Pengelolaan Keuangan",
                       sasaran, text, parse_target(target))  # fmt: skip


def budget(amount, programme=DM):
    return LampiranRow(ANGGARAN, programme[0], programme[1], anggaran=amount)


@pytest.fixture
def bontang():
    load_units("64.74")
    for code, name in [
        ("64.74", "Muzarroby Renfly"),
        ("64.74.sekretariat", "Bambang Rahmadhany"),
        ("64.74.sekretariat.keuangan", "Indra Lesmana"),
        ("64.74.sekretariat.perencanaan", "Selvi Soraya"),
    ]:
        appoint(code, make_official(name))


def make_pk(code, rows, year=2026):
    agreement = start_agreement(unit(code), year)
    replace_lampiran(agreement, rows)
    return agreement


def findings(report, check, severity=None):
    return [
        f
        for f in report.findings
        if f.check == check and (severity is None or f.severity == severity)
    ]


def test_matching_pks_pass_every_cascade_check(bontang):
    make_pk("64.74.sekretariat", [ind("Jumlah Laporan Keuangan", "2 laporan"),
                                  ind("Persentase rekap piutang", "95%"), budget(300)])  # fmt: skip
    keuangan = make_pk("64.74.sekretariat.keuangan",
                       [ind("Jumlah Laporan Keuangan", "2 laporan"), budget(100)])  # fmt: skip
    make_pk("64.74.sekretariat.perencanaan", [ind("Persentase rekap piutang", "95%"), budget(200)])
    report = run_checks(keuangan)
    assert not report.errors and not report.warnings, [f.message for f in report.findings]
    assert findings(report, Check.SUBBAGIAN_IN_SEKRETARIAT, Severity.PASSED)
    assert findings(report, Check.BUDGET_ROLL_UP, Severity.PASSED)[0].details["selisih"] == 0


def test_a_different_target_is_an_error_on_both_pages(bontang):
    sekretariat = make_pk(
        "64.74.sekretariat", [ind("Persentase operator SAKTI", "95%"), budget(100)]
    )
    keuangan = make_pk(
        "64.74.sekretariat.keuangan", [ind("Persentase operator SAKTI", "85%"), budget(100)]
    )
    for pk in (keuangan, sekretariat):
        errors = findings(run_checks(pk), Check.SUBBAGIAN_IN_SEKRETARIAT, Severity.ERROR)
        assert len(errors) == 1
        assert "85%" in errors[0].message and "95%" in errors[0].message
    assert run_checks(keuangan).blocks_submission


def test_an_indicator_missing_from_the_sekretariat_is_an_error(bontang):
    make_pk("64.74.sekretariat", [ind("Jumlah Laporan Keuangan", "2 laporan"), budget(100)])
    keuangan = make_pk("64.74.sekretariat.keuangan",
                       [ind("Indikator yang tidak ada di induk", "1 Lembaga"), budget(100)])  # fmt: skip
    errors = findings(run_checks(keuangan), Check.SUBBAGIAN_IN_SEKRETARIAT, Severity.ERROR)
    assert "tidak ada di PK Sekretariat KPU Kota Bontang" in errors[0].message
    assert errors[0].row_index == 0


def test_an_indicator_no_subbagian_carries_is_a_warning(bontang):
    sekretariat = make_pk("64.74.sekretariat", [ind("Jumlah Laporan Keuangan", "2 laporan"),
                                                ind("Indikator yatim", "1 Lembaga"), budget(100)])  # fmt: skip
    make_pk(
        "64.74.sekretariat.keuangan", [ind("Jumlah Laporan Keuangan", "2 laporan"), budget(100)]
    )
    warnings = findings(run_checks(sekretariat), Check.SEKRETARIAT_CARRIED, Severity.WARNING)
    assert [w.row_index for w in warnings] == [1]


def test_spelling_variants_match_and_say_how(bontang):
    make_pk("64.74.sekretariat", [ind("Laporan Pertanggung Jawaban Penggunaan Anggaran", "2 laporan"),
                                  ind("Persentase KPU Kota Bontang dalam Menyajikan Informasi Produk Hukum", "100%"),
                                  budget(100)])  # fmt: skip
    keuangan = make_pk("64.74.sekretariat.keuangan", [
        ind("laporan pertanggungjawaban penggunaan  anggaran", "2 laporan"),
        ind("Persentase KFU Kota Bontang dalam Menyajikan Informasi Produk Hukom", "100%"),
        budget(100)])  # fmt: skip
    report = run_checks(keuangan)
    passed = findings(report, Check.SUBBAGIAN_IN_SEKRETARIAT, Severity.PASSED)
    assert len(passed) == 2, [f.message for f in report.findings]
    assert passed[0].match_note == "cocok setelah penyeragaman ejaan"
    assert "mirip" in passed[1].match_note


def test_budgets_that_do_not_add_up_show_the_difference(bontang):
    sekretariat = make_pk("64.74.sekretariat", [ind("A", "1 Lembaga"), budget(21_057_000)])
    make_pk("64.74.sekretariat.keuangan", [ind("A", "1 Lembaga"), budget(21_000_000)])
    errors = findings(run_checks(sekretariat), Check.BUDGET_ROLL_UP, Severity.ERROR)
    assert errors[0].details["selisih"] == -57_000
    assert "selisih -Rp 57.000,-" in errors[0].message
    # Nothing submitted yet, so no PK is known to have changed: every PK's amount is listed.
    message = errors[0].message
    assert "Rincian: PK Sekretariat KPU Kota Bontang 2026 Rp 21.057.000,-" in message
    assert "Subbagian Keuangan" in message and "Rp 21.000.000,-" in message
    assert "Yang perlu bertindak: operator Sekretariat KPU Kota Bontang" in message


def test_a_sibling_blocked_by_a_changed_budget_is_told_which_pk_changed_and_who_acts(
    client, bontang
):
    """Keuangan's budget changes by Rp 197.000 after both Subbagian PKs were submitted: on
    Perencanaan's page the error names Keuangan's PK, with a link, the change and its
    operators, and not Perencanaan's own."""
    sekretariat = make_pk("64.74.sekretariat", [ind("A", "1 Lembaga"), budget(300_000)])
    keuangan = make_pk("64.74.sekretariat.keuangan", [ind("A", "1 Lembaga"), budget(100_000)])
    perencanaan = make_pk("64.74.sekretariat.perencanaan", [ind("A", "1 Lembaga"), budget(200_000)])
    for pk in (sekretariat, keuangan, perencanaan):  # as each submission keeps it
        AgreementEvent.objects.create(agreement=pk, revision=1, action="submit",
                                      from_status="draf", to_status="diajukan",
                                      snapshot=snapshot_of(pk))  # fmt: skip
    assert not findings(run_checks(perencanaan), Check.BUDGET_ROLL_UP, Severity.ERROR)
    replace_lampiran(keuangan, [ind("A", "1 Lembaga"), budget(297_000)])

    error = findings(run_checks(perencanaan), Check.BUDGET_ROLL_UP, Severity.ERROR)[0]
    assert "selisih Rp 197.000,-" in error.message
    assert "Penyebabnya: PK Subbagian Keuangan" in error.message
    assert "berubah Rp 197.000,- sejak terakhir diajukan" in error.message
    assert "operator Subbagian Keuangan" in error.message
    assert "Perencanaan" not in error.message.split("Penyebabnya")[1]
    changed = [line for line in error.details["pks"] if line["change"]]
    assert [line["url"] for line in changed] == [keuangan.get_absolute_url()]

    client.force_login(make_user(unit_code="64.74.sekretariat"))
    page = client.get(reverse("agreements:checks", args=[perencanaan.pk]) + "?ulang=1")
    report = page.content.decode()
    assert f'href="{keuangan.get_absolute_url()}"' in report
    assert f'href="{sekretariat.get_absolute_url()}"' in report  # every PK of the family


@pytest.mark.parametrize(
    ("regional", "national", "outcome"),
    [("100%", "95%", 1), ("90%", "95%", -1), ("95%", "95%", 0), ("WDP", "WTP", -1),
     ("WTP", "WDP", 1), ("B", "BB", -1), ("2 laporan", "95%", None), ("WTP", "B", None)],
)  # fmt: skip
def test_targets_compare_like_with_like(regional, national, outcome):
    assert compare_targets(parse_target(regional), parse_target(national)) == outcome


def test_a_target_below_the_national_floor_is_an_error(bontang):
    indicator = Indicator.objects.create(text="Opini atas laporan keuangan")
    IKUDesignation.objects.create(indicator=indicator, level=IKULevel.KPU, first_year=2025,
                                  national_target="WTP")  # fmt: skip
    pk = make_pk("64.74", [ind("Opini atas laporan keuangan", "WDP"), budget(1)])
    errors = findings(run_checks(pk), Check.NATIONAL_FLOOR, Severity.ERROR)
    assert "di bawah target nasional WTP" in errors[0].message


def test_a_missing_iku_is_an_error_and_a_present_one_passes(bontang):
    present = Indicator.objects.create(text="Persentase partisipasi pemilih")
    missing = Indicator.objects.create(text="Indeks kepuasan layanan")
    for indicator in (present, missing):
        IKUDesignation.objects.create(indicator=indicator, level=IKULevel.KABKOTA, first_year=2026)
    pk = make_pk("64.74", [ind("Persentase Partisipasi Pemilih", "80%"), budget(1)])
    report = run_checks(pk)
    assert (
        "Indeks kepuasan layanan" in findings(report, Check.IKU_COVERAGE, Severity.ERROR)[0].message
    )
    assert len(findings(report, Check.IKU_COVERAGE, Severity.PASSED)) == 1


def test_form_wants_a_budget_per_programme_and_the_right_signatories(bontang):
    pk = make_pk("64.74", [ind("A", "1 Lembaga")])
    pk.pihak_pertama_name = "Orang Lain"
    pk.save()
    report = run_checks(pk)
    messages = [f.message for f in findings(report, Check.FORM)]
    assert any("tidak memiliki baris anggaran" in m for m in messages)
    assert any("Pihak Pertama pada" in m and "Muzarroby Renfly" in m for m in messages)


def test_checks_cost_a_fixed_number_of_queries(bontang, django_assert_max_num_queries):
    rows = [ind(f"Indikator nomor {i}", "100%") for i in range(250)] + [budget(1)]
    make_pk("64.74.sekretariat", rows)
    keuangan = make_pk("64.74.sekretariat.keuangan", rows[:100] + [budget(1)])
    with django_assert_max_num_queries(25):
        run_checks(keuangan)


def test_cached_checks_follow_every_change_of_the_family(
    bontang, django_assert_max_num_queries, django_capture_on_commit_callbacks
):

    sekretariat = make_pk("64.74.sekretariat", [ind("Persentase operator SAKTI", "95%"), budget(1)])
    keuangan = make_pk(
        "64.74.sekretariat.keuangan", [ind("Persentase operator SAKTI", "95%"), budget(1)]
    )
    with django_capture_on_commit_callbacks(execute=True):  # cached once committed
        assert not cached_checks(keuangan).errors
    with django_assert_max_num_queries(3):
        assert not cached_checks(keuangan).errors  # served from the cache
    replace_lampiran(sekretariat, [ind("Persentase operator SAKTI", "85%"), budget(1)])
    assert cached_checks(keuangan).errors  # the parent changed: computed again


def test_the_pk_page_lists_the_findings_and_a_warning_can_be_accepted(client, bontang):
    sekretariat = make_pk("64.74.sekretariat", [ind("Jumlah Laporan Keuangan", "2 laporan"),
                                                ind("Indikator yatim", "1 Lembaga"), budget(100)])  # fmt: skip
    make_pk(
        "64.74.sekretariat.keuangan", [ind("Jumlah Laporan Keuangan", "2 laporan"), budget(100)]
    )
    client.force_login(make_user(unit_code="64.74.sekretariat"))
    page = client.get(reverse("agreements:detail", args=[sekretariat.pk])).content.decode()
    assert "tidak diemban oleh Subbagian mana pun" in page
    assert f'href="/pk/{sekretariat.pk}/#indikator-2"' in page
    finding = next(f for f in run_checks(sekretariat).warnings)
    url = reverse("agreements:accept_warning", args=[sekretariat.pk])
    short = client.post(
        url, {"check_name": finding.check, "row_key": finding.row_key, "reason": "ok"}, follow=True
    )
    assert "minimal 10 karakter" in short.content.decode()
    assert not CheckAcceptance.objects.exists()
    client.post(url, {"check_name": finding.check, "row_key": finding.row_key,
                      "reason": "Diemban langsung oleh Sekretaris."})  # fmt: skip
    acceptance = CheckAcceptance.objects.get()
    assert acceptance.reason == "Diemban langsung oleh Sekretaris."
    page = client.get(reverse("agreements:checks", args=[sekretariat.pk])).content.decode()
    assert "Diterima" in page and "Diemban langsung oleh Sekretaris." in page


def test_the_check_summary_is_kept_on_the_pk_for_list_pages(bontang):

    keuangan = make_pk("64.74.sekretariat.keuangan", [ind("A", "1 Lembaga")])
    assert Agreement.objects.get(pk=keuangan.pk).check_errors is None
    cached_checks(keuangan)
    stored = Agreement.objects.get(pk=keuangan.pk)
    assert (stored.check_errors, stored.check_warnings) == (
        1,
        1,
    )  # no budget line; no Sekretariat PK yet


def test_the_dashboard_and_the_pk_page_agree_after_a_refused_submit(
    client, bontang, django_capture_on_commit_callbacks
):
    """One Subbagian budget line changed by Rp 1.000: the first check of the Sekretariat's PK
    after it runs inside a submit that is refused (and rolled back); the PK page then shows
    the error and the national dashboard's "Ada kesalahan" filter lists the PK."""
    sekretariat = make_pk("64.74.sekretariat", [ind("Jumlah Laporan Keuangan", "2 laporan"),
                                                budget(300_000)])  # fmt: skip
    Agreement.objects.filter(pk=sekretariat.pk).update(pihak_pertama_name="Bambang Rahmadhany")
    keuangan = make_pk("64.74.sekretariat.keuangan",
                       [ind("Jumlah Laporan Keuangan", "2 laporan"), budget(300_000)])  # fmt: skip
    operator = make_user(unit_code="64.74.sekretariat")
    reviewer = make_user(unit_code="setjen.biro-perencanaan", role=Role.REVIEWER_PERENCANAAN)
    page_url = reverse("agreements:detail", args=[sekretariat.pk])
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 kesalahan" not in client.get(page_url).content.decode()
    assert Agreement.objects.get(pk=sekretariat.pk).check_errors == 0

    replace_lampiran(keuangan, [ind("Jumlah Laporan Keuangan", "2 laporan"), budget(301_000)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("agreements:workflow_action", args=[sekretariat.pk, "submit"]), follow=True
        )
    assert "kesalahan pemeriksaan harus diperbaiki" in response.content.decode()
    assert Agreement.objects.get(pk=sekretariat.pk).status == "draf"

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(page_url).content.decode()
    assert "1 kesalahan" in page and "selisih Rp 1.000" in page
    assert Agreement.objects.get(pk=sekretariat.pk).check_errors == 1
    client.force_login(reviewer)
    board = client.get(reverse("review_dashboard", args=[2026]) + "?pemeriksaan=kesalahan")
    listed = [cell.agreement["id"] for row in board.context["page"] for cell in row.present_cells
              if cell.matched]  # fmt: skip
    assert listed == [sekretariat.pk]
