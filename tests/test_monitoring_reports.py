"""The monitoring dashboards (national and Provinsi), their filters, counts, permissions and
.xlsx, and the measurement table of one PK's quarter as .xlsx and PDF (monitoring.report_views,
monitoring.dashboards, monitoring.exports). The helpers here also serve the API and reminder
tests (tests/test_monitoring_api.py, tests/test_monitoring_reminders.py)."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from agreements.drafting import start_agreement, start_amendment
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement, IndicatorRow
from indicators.models import Indicator
from indicators.targets import parse_target
from monitoring.dashboards.rows import load_rows
from monitoring.exports import measurement_table
from monitoring.models import CapaianRule, Realisation, RealisationStatus
from monitoring.series import build_report
from monitoring.tasks import warm_dashboard_scores
from monitoring.views import reports as report_views
from organisations.models import Role, Unit
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db

YEAR = 2027
INDICATORS = [
    ("Persentase laporan keuangan tepat waktu", "100%"),
    ("Jumlah laporan kinerja", "4 laporan"),
    ("Opini BPK atas laporan keuangan", "WTP"),
    ("Persentase temuan yang belum ditindaklanjuti", "10%"),
]
# Triwulan I of Bontang's Sekretariat: 95,5% of 100% → 95,50; 1 of 4 laporan → 25,00;
# WDP against WTP → 66,67; 12% left against a less-is-better 10% → 80,00. Mean 66,79.
Q1_VALUES = ["95.5", "1", "WDP", "12"]
Q1_AVERAGE = "66.79"
# Triwulan II: 98% → 98,00; 1 + 2 laporan of 4 → 75,00; WTP → 100; 9% → 110,00. Mean 95,75.
Q2_VALUES = ["98", "2", "WTP", "9"]
Q2_AVERAGE = "95.75"


def programme_rows(sasaran="Tata kelola keuangan", indicators=INDICATORS):
    programme = ("076.01.WA", "Program Dukungan Manajemen")
    rows = [LampiranRow(INDIKATOR, *programme, "", "Pengelolaan Keuangan", sasaran, text,
                        parse_target(target)) for text, target in indicators]  # fmt: skip
    return [*rows, LampiranRow(ANGGARAN, *programme, anggaran=1_000_000)]


def signed_pk(code, rows=None, sign_date=datetime.date(YEAR, 1, 15)):
    agreement = start_agreement(unit(code), YEAR, sign_date=sign_date)
    replace_lampiran(agreement, rows or programme_rows())
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    agreement.refresh_from_db()
    return agreement


def rows_of(agreement):
    return list(
        IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement=agreement).order_by(
            "sasaran__position", "position", "pk"
        )
    )


def report(agreement, quarter, values, status=RealisationStatus.VERIFIED):
    """Realisations of `quarter` for the PK's rows in order (a grade where the target is one)."""
    for row, value in zip(rows_of(agreement), values, strict=True):
        Realisation.objects.create(
            row=row,
            agreement=agreement,
            quarter=quarter,
            value=None if row.target_grade else Decimal(value),
            grade=value if row.target_grade else "",
            explanation="Sesuai rencana.",
            status=status,
        )


@pytest.fixture
def kaltim():
    return make_kaltim()


def make_kaltim():
    """Kalimantan Timur with Bontang (reported Triwulan I) and Samarinda (not reported), KPU
    Kota Bontang's own PK still a draft; Sorong in another province; everyone around them."""
    load_units("64.74", "64.72", "96.71")
    Indicator.objects.create(text=INDICATORS[3][0], kind="persen", unit_of_measure="%",
                             higher_is_better=False)  # fmt: skip
    appoint("64.74", make_official("Muzarroby Renfly"))
    appoint("64.74.sekretariat", make_official("Bambang Rahmadhany"))
    ketua_kaltim = appoint("64", make_official("Ketua Kaltim")).official
    bontang = signed_pk("64.74.sekretariat")
    report(bontang, 1, Q1_VALUES)
    samarinda = signed_pk("64.72.sekretariat")
    draft = start_agreement(unit("64.74"), YEAR)
    return {
        "bontang": bontang,
        "samarinda": samarinda,
        "draft": draft,
        "reviewer": make_user("perencanaan", unit_code="setjen.biro-perencanaan",
                              role=Role.REVIEWER_PERENCANAAN),
        "inspektorat": make_user("inspektorat", unit_code="setjen.inspektorat",
                                 role=Role.REVIEWER_INSPEKTORAT),
        "compiler": make_user("kompilasi.kaltim", unit_code="64", role=Role.COMPILER),
        "ketua_kaltim": make_user("ketua.kaltim", unit_code="64", role=Role.SIGNATORY,
                                  official=ketua_kaltim),
        "province_operator": make_user("op.kaltim", unit_code="64.sekretariat"),
        "operator": make_user("op.bontang", unit_code="64.74.sekretariat",
                              email="op@bontang.example"),
        "outsider": make_user("op.sorong", unit_code="96.71.sekretariat"),
        "other_compiler": make_user("kompilasi.pbd", unit_code="96", role=Role.COMPILER),
    }  # fmt: skip


def national_url(quarter=1, year=YEAR):
    return reverse("monitoring_reports:national", args=[year, quarter])


def province_url(code="64", quarter=1, year=YEAR):
    return reverse("monitoring_reports:province", args=[code, year, quarter])


def rows_by_code(response) -> dict:
    return {row.unit["code"]: row for row in response.context["page"].object_list}


# --- what the pages show ------------------------------------------------------------------
def test_the_national_page_shows_each_units_capaian_category_and_state(client, kaltim):
    client.force_login(kaltim["reviewer"])
    response = client.get(national_url())
    assert response.status_code == 200
    rows = rows_by_code(response)
    bontang = rows["64.74.sekretariat"]
    assert bontang.state == "terverifikasi"
    assert bontang.average.value == Decimal(Q1_AVERAGE)
    assert bontang.category == "tidak" and bontang.score.entered == 4
    assert rows["64.72.sekretariat"].state == "belum"  # signed, nothing entered
    assert rows["64.74"].state == "belum-ttd"  # a draft PK cannot report
    assert rows["64.72"].state == "tanpa-pk"
    page = response.content.decode()
    assert "66,79%" in page and "Tidak tercapai" in page and "Belum melapor" in page
    assert reverse("agreements:detail", args=[kaltim["bontang"].pk]) in page
    assert reverse("monitoring:quarter", args=[kaltim["bontang"].pk, 1]) in page
    assert reverse("monitoring_reports:measurement_pdf", args=[kaltim["bontang"].pk, 1]) in page


def test_the_figures_are_those_of_the_pk_page_in_every_quarter(client, kaltim):
    bontang = kaltim["bontang"]
    report(bontang, 2, Q2_VALUES, status=RealisationStatus.DRAFT)
    units = Unit.objects.all()
    expected = build_report(bontang)
    for quarter in (1, 2, 3, 4):
        rows, _provinces = load_rows(units, YEAR, quarter)
        row = next(r for r in rows if r.unit["code"] == "64.74.sekretariat")
        assert row.average == expected.averages[quarter], quarter
        assert (row.score.status or "") == expected.statuses[quarter], quarter
    assert expected.averages[2].value == Decimal(Q2_AVERAGE)  # the count summed over quarters


def test_an_amended_pk_is_measured_by_the_version_owning_the_quarter(client, kaltim):
    bontang = kaltim["bontang"]
    amendment = start_amendment(bontang, kaltim["operator"], "pejabat", "Perubahan target",
                                datetime.date(YEAR, 5, 10))  # fmt: skip
    Agreement.objects.filter(pk=amendment.pk).update(status="ditandatangani")
    amendment.refresh_from_db()
    report(amendment, 2, Q2_VALUES, status=RealisationStatus.SUBMITTED)
    client.force_login(kaltim["reviewer"])
    first = rows_by_code(client.get(national_url(1)))["64.74.sekretariat"]
    second = rows_by_code(client.get(national_url(2)))["64.74.sekretariat"]
    assert first.agreement["id"] == bontang.pk and first.state == "terverifikasi"
    assert second.agreement["id"] == amendment.pk and second.state == "diajukan"
    assert second.average == build_report(amendment).averages[2]
    assert second.average.value == Decimal(Q2_AVERAGE)  # Triwulan I's laporan carried over
    lines = {line["label"]: line["value"] for line in measurement_table(amendment, 2)["unit_lines"]}
    assert lines["Diukur dengan"] == "PK versi 2"


def test_a_changed_realisation_shows_at_once_despite_the_cache(client, kaltim):
    client.force_login(kaltim["reviewer"])
    assert rows_by_code(client.get(national_url()))["64.74.sekretariat"].average.value == Decimal(
        Q1_AVERAGE
    )
    realisation = Realisation.objects.get(agreement=kaltim["bontang"], quarter=1,
                                          row__text=INDICATORS[0][0])  # fmt: skip
    realisation.value = Decimal("55.5")  # 95,50 → 55,50: the mean loses 10 points
    realisation.save()
    row = rows_by_code(client.get(national_url()))["64.74.sekretariat"]
    assert row.average.value == Decimal("56.79")


def test_new_capaian_rules_apply_at_once(client, kaltim, django_capture_on_commit_callbacks):
    client.force_login(kaltim["reviewer"])
    client.get(national_url())  # cached with the default rules
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        CapaianRule.objects.create(cap=120, achieved_from=60, nearly_from=50)
    assert callbacks  # the old rules leave the cache only once the new row is committed
    row = rows_by_code(client.get(national_url()))["64.74.sekretariat"]
    assert row.category == "tercapai"


def test_the_warm_task_scores_ahead_of_the_first_visit(kaltim, eager_celery):

    with time_machine.travel(datetime.datetime(YEAR, 4, 20, 2, 0, tzinfo=datetime.UTC)):
        assert warm_dashboard_scores.delay().get() == 4  # 2 signed PKs × Triwulan I and II
    with CaptureQueriesContext(connection) as queries:
        rows, _provinces = load_rows(Unit.objects.all(), YEAR, 1)
    assert not any("agreements_indicatorrow" in q["sql"] for q in queries.captured_queries)
    bontang = next(row for row in rows if row.unit["code"] == "64.74.sekretariat")
    assert bontang.average.value == Decimal(Q1_AVERAGE)


def test_the_belum_melapor_filter_shows_who_has_not_reported(client, kaltim):
    client.force_login(kaltim["reviewer"])
    response = client.get(national_url() + "?status=belum")
    assert set(rows_by_code(response)) == {"64.72.sekretariat"}
    counts = response.context["counts"]
    assert counts["belum"] == 1 and counts["terverifikasi"] == 1 and counts["signed"] == 2
    assert 'data-count="belum">1<' in response.content.decode()
    not_submitted = client.get(national_url() + "?status=belum-diajukan")
    assert set(rows_by_code(not_submitted)) == {"64.72.sekretariat"}
    achieved = client.get(national_url() + "?kategori=tidak")
    assert set(rows_by_code(achieved)) == {"64.74.sekretariat"}


def test_a_filter_value_that_is_no_choice_is_reported_and_ignored(client, kaltim):
    client.force_login(kaltim["reviewer"])
    response = client.get(national_url() + "?status=semua-saja&provinsi=99")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "64.74.sekretariat" in rows_by_code(response)


def test_the_province_filter_and_pagination(client, kaltim, monkeypatch):
    signed_pk("96.71.sekretariat")
    client.force_login(kaltim["reviewer"])
    response = client.get(national_url() + "?provinsi=64")
    only_kaltim = rows_by_code(response)
    assert "96.71.sekretariat" not in only_kaltim and "64.74.sekretariat" in only_kaltim
    # The filter narrows the units read in the database; every province stays a choice.
    assert response.context["counts"]["total"] == len(only_kaltim)
    assert {"64", "96"} <= {code for code, _name in response.context["form"].fields[
        "provinsi"].choices}  # fmt: skip
    monkeypatch.setattr(report_views, "PER_PAGE", 2)
    first = client.get(national_url())
    assert first.context["page"].paginator.num_pages > 1
    second = client.get(national_url() + "?halaman=2")
    assert set(rows_by_code(first)).isdisjoint(rows_by_code(second))
    assert "halaman=2" in first.content.decode()


def test_the_query_count_does_not_grow_with_the_number_of_pks(client, kaltim):
    client.force_login(kaltim["reviewer"])
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        client.get(national_url())
    for code in ("96.71", "96.71.sekretariat", "64.72", "64.74.sekretariat.keuangan"):
        if not Agreement.objects.filter(unit__code=code, year=YEAR).exists():
            agreement = signed_pk(code)
            report(agreement, 1, Q1_VALUES)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(national_url())
    rows = rows_by_code(response)
    assert rows["96.71"].state == "terverifikasi"
    assert rows["64.74.sekretariat.keuangan"].office == "Sekretariat KPU Kota Bontang"
    assert len(large) == len(small)


def test_the_province_page_lists_only_its_province(client, kaltim):
    signed_pk("96.71.sekretariat")
    client.force_login(kaltim["compiler"])
    response = client.get(province_url())
    assert response.status_code == 200
    rows = rows_by_code(response)
    assert {"64", "64.sekretariat", "64.74.sekretariat", "64.72.sekretariat"} <= set(rows)
    assert not any(code.startswith("96") for code in rows)
    assert "provinsi" not in response.context["form"].fields
    assert rows["64.74.sekretariat"].average.value == Decimal(Q1_AVERAGE)


def test_the_home_links_send_each_role_to_its_page(client, kaltim):

    with time_machine.travel(datetime.datetime(YEAR, 5, 2, 3, 0, tzinfo=datetime.UTC)):
        client.force_login(kaltim["compiler"])
        response = client.get(reverse("monitoring_reports:province_home"))
        assert response["Location"] == province_url("64", 1)
        client.force_login(kaltim["reviewer"])
        response = client.get(reverse("monitoring_reports:national_home"))
        assert response["Location"] == national_url(1)
        client.force_login(kaltim["operator"])
        assert client.get(reverse("monitoring_reports:province_home")).status_code == 403
    assert report_views.last_ended_quarter(datetime.date(YEAR, 2, 1)) == (YEAR - 1, 4)
    assert report_views.last_ended_quarter(datetime.date(YEAR, 12, 31)) == (YEAR, 3)


# --- who may see them -----------------------------------------------------------------------
def test_only_national_reviewers_see_the_national_page(client, kaltim):
    url = national_url()
    export = reverse("monitoring_reports:national_xlsx", args=[YEAR, 1])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for name in ("operator", "compiler", "ketua_kaltim", "province_operator"):
        client.force_login(kaltim[name])
        assert client.get(url).status_code == 403, name
        assert client.get(export).status_code == 403, name
    for name in ("reviewer", "inspektorat"):
        client.force_login(kaltim[name])
        assert client.get(url).status_code == 200, name
    client.force_login(make_user("root", is_superuser=True))
    assert client.get(url).status_code == 200


def test_who_may_see_the_province_page(client, kaltim):
    url = province_url()
    export = reverse("monitoring_reports:province_xlsx", args=["64", YEAR, 1])
    for name in ("compiler", "ketua_kaltim", "reviewer"):
        client.force_login(kaltim[name])
        assert client.get(url).status_code == 200, name
        assert client.get(export).status_code == 200, name
    sheet = load_sheet(client.get(export).content)
    assert sheet.freeze_panes == "A2" and sheet.protection.sheet and sheet["A1"].font.bold
    # Another province's compiler, and a Kab/Kota operator, do not see Kalimantan Timur at all.
    for name in ("other_compiler", "operator", "outsider"):
        client.force_login(kaltim[name])
        assert client.get(url).status_code == 404, name
        assert client.get(export).status_code == 404, name
    # The province's own operator sees the province, but this page is not for that role.
    client.force_login(kaltim["province_operator"])
    assert client.get(url).status_code == 403
    assert "operator kompilasi" in client.get(url).content.decode()


def test_a_provincial_official_gets_no_links_to_pks_they_may_not_open(client, kaltim):
    client.force_login(kaltim["ketua_kaltim"])
    rows = rows_by_code(client.get(province_url()))
    bontang = rows["64.74.sekretariat"]
    assert bontang.average.value == Decimal(Q1_AVERAGE)
    assert bontang.url == "" and bontang.export_urls == {}
    pk_page = reverse("agreements:detail", args=[kaltim["bontang"].pk])
    assert client.get(pk_page).status_code == 404  # hence no link
    client.force_login(kaltim["compiler"])
    assert rows_by_code(client.get(province_url()))["64.74.sekretariat"].url == pk_page


def test_unknown_years_quarters_and_provinces_are_404(client, kaltim):
    client.force_login(kaltim["reviewer"])
    assert client.get(national_url(5)).status_code == 404
    assert client.get(national_url(1, 1999)).status_code == 404
    assert client.get(province_url("99")).status_code == 404
    assert client.get(province_url("64.74")).status_code == 404  # not a province


# --- the dashboard's .xlsx ------------------------------------------------------------------
def load_sheet(content: bytes):

    return load_workbook(io.BytesIO(content)).active


def test_the_dashboard_export_has_the_filtered_rows(client, kaltim):
    client.force_login(kaltim["reviewer"])
    url = reverse("monitoring_reports:national_xlsx", args=[YEAR, 1])
    response = client.get(url + "?provinsi=64")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_sheet(response.content)
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Provinsi", "Kode unit", "Unit"] and "Capaian (%)" in header
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    bontang = rows["64.74.sekretariat"]
    assert bontang[header.index("Capaian (%)")] == pytest.approx(66.79)
    assert bontang[header.index("Kategori")] == "Tidak tercapai"
    assert bontang[header.index("Pelaporan Triwulan I")] == "Terverifikasi"
    assert rows["64.72.sekretariat"][header.index("Pelaporan Triwulan I")] == "Belum melapor"
    assert not any(code.startswith("96") for code in rows)
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.column_dimensions["C"].width == 36
    score = sheet.cell(2 + list(rows).index("64.74.sekretariat"), header.index("Capaian (%)") + 1)
    assert isinstance(score.value, float) and score.number_format == "0.00"
    assert sheet.protection.sheet and not sheet.protection.sort
    assert not sheet.protection.autoFilter and sheet.auto_filter.ref.startswith("A1:")
    assert sheet["B2"].protection.locked
    only_late = load_sheet(client.get(url + "?status=belum").content)
    assert [r[1] for r in only_late.iter_rows(min_row=2, values_only=True)] == ["64.72.sekretariat"]


# --- one PK's measurement table -------------------------------------------------------------
def measurement_url(agreement, quarter=1, kind="xlsx"):
    return reverse(f"monitoring_reports:measurement_{kind}", args=[agreement.pk, quarter])


def test_the_measurement_table_xlsx_has_the_columns_values_and_averages(client, kaltim):
    client.force_login(kaltim["operator"])
    response = client.get(measurement_url(kaltim["bontang"]))
    assert response.status_code == 200
    assert (
        "Pengukuran-Kinerja-2027-TW1-Sekretariat-KPU-Kota-Bontang.xlsx"
        in response["Content-Disposition"]
    )
    sheet = load_sheet(response.content)
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "PENGUKURAN KINERJA TRIWULAN I TAHUN 2027"
    header_at = next(i for i, row in enumerate(values) if row and row[0] == "No")
    header = values[header_at]
    assert header[1:5] == ["Sasaran", "Indikator", "Target", "Realisasi"]
    assert "Capaian (%)" in header
    capaian_col = header.index("Capaian (%)")
    by_indicator = {row[2]: row for row in values[header_at + 1 :] if row and len(row) > 2}
    first = by_indicator[INDICATORS[0][0]]
    assert first[1] == "Tata kelola keuangan" and first[3] == "100%"
    assert first[4] == pytest.approx(95.5) and first[capaian_col] == pytest.approx(95.5)
    assert by_indicator[INDICATORS[2][0]][4] == "WDP"
    assert by_indicator[INDICATORS[2][0]][capaian_col] == pytest.approx(66.67)
    assert by_indicator[INDICATORS[3][0]][capaian_col] == pytest.approx(80)
    assert by_indicator["Rata-rata capaian sasaran"][capaian_col] == pytest.approx(66.79)
    assert by_indicator["Rata-rata capaian PK"][capaian_col] == pytest.approx(66.79)


def test_the_measurement_table_xlsx_looks_finished_and_is_read_only(client, kaltim):
    client.force_login(kaltim["operator"])
    sheet = load_sheet(client.get(measurement_url(kaltim["bontang"])).content)
    header_row = next(c.row for c in sheet["A"] if c.value == "No")
    assert sheet.freeze_panes == f"A{header_row + 1}"
    assert all(c.font.bold for c in sheet[header_row] if c.value)
    assert sheet.column_dimensions["C"].width == 50
    indicator = next(c for c in sheet["C"] if c.value == INDICATORS[0][0])
    first = sheet.cell(indicator.row, 7)
    assert isinstance(first.value, float) and first.number_format == "0.00"
    assert indicator.alignment.wrap_text
    assert sheet.protection.sheet and sheet.cell(indicator.row, 5).protection.locked


def test_the_measurement_table_is_indonesian_whatever_the_readers_language(client, kaltim):
    client.force_login(kaltim["operator"])
    url = measurement_url(kaltim["bontang"])
    in_indonesian = load_sheet(client.get(url, HTTP_ACCEPT_LANGUAGE="id").content)
    in_english = load_sheet(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content)
    assert [r for r in in_english.iter_rows(values_only=True)] == [
        r for r in in_indonesian.iter_rows(values_only=True)
    ]


def test_text_that_looks_like_a_formula_is_written_as_text(client, kaltim):
    agreement = signed_pk("64.72", rows=programme_rows(sasaran="=HYPERLINK(\"http://x\")",
                                                       indicators=INDICATORS[:1]))  # fmt: skip
    client.force_login(kaltim["reviewer"])
    sheet = load_sheet(client.get(measurement_url(agreement)).content)
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    formula_like = [c for c in cells if str(c.value).startswith("=")]
    assert formula_like and all(c.data_type == "s" for c in formula_like)


def test_the_measurement_pdf_reads_like_the_lampiran_and_is_stored(client, kaltim):

    agreement = kaltim["bontang"]
    client.force_login(kaltim["operator"])
    response = client.get(measurement_url(agreement, kind="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in ("PENGUKURAN KINERJA TRIWULAN I TAHUN 2027", "Sekretariat Komisi Pemilihan",
                     "SASARAN", "INDIKATOR", "TARGET", "REALISASI", "CAPAIAN (%)",
                     "Tata kelola keuangan", "95,5%", "95,50", "66,67", "80,00", "WDP",
                     "Rata-rata capaian sasaran", "66,79", "Terverifikasi"):  # fmt: skip
        assert expected in text, expected
    assert reader.metadata.title.startswith("Pengukuran Kinerja Triwulan I 2027")
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4, like the PK's documents
    _dirs, stored = default_storage.listdir(f"monitoring/pengukuran/{agreement.pk}")
    assert len(stored) == 1
    again = client.get(measurement_url(agreement, kind="pdf"))
    assert again.content == response.content  # read back from storage
    assert default_storage.listdir(f"monitoring/pengukuran/{agreement.pk}")[1] == stored


def test_measurement_tables_are_for_those_who_see_the_pk(client, kaltim):
    for kind in ("xlsx", "pdf"):
        url = measurement_url(kaltim["bontang"], kind=kind)
        client.force_login(kaltim["outsider"])
        assert client.get(url).status_code == 404
        client.force_login(kaltim["other_compiler"])
        assert client.get(url).status_code == 404
        client.force_login(kaltim["compiler"])
        assert client.get(url).status_code == 200
    client.force_login(kaltim["operator"])
    assert client.get(measurement_url(kaltim["bontang"], quarter=5)).status_code == 404


def test_a_pk_not_signed_has_no_measurement_table(client, kaltim):
    client.force_login(kaltim["reviewer"])
    response = client.get(measurement_url(kaltim["draft"]), follow=True)
    assert response.redirect_chain[0][0] == kaltim["draft"].get_absolute_url()
    assert "sudah ditandatangani" in response.content.decode()


def test_a_rebuilt_lampiran_shows_its_new_targets_at_once_despite_the_cache(client, kaltim):
    """A returned PK gets a new target; its realisations follow their rows
    (monitoring.carry_over) without changing themselves: the page must not keep the old."""
    client.force_login(kaltim["reviewer"])
    assert rows_by_code(client.get(national_url()))["64.74.sekretariat"].average.value == Decimal(
        Q1_AVERAGE
    )
    bontang = kaltim["bontang"]
    Agreement.objects.filter(pk=bontang.pk).update(status="dikembalikan")
    bontang.refresh_from_db()
    halved = [(INDICATORS[0][0], "50%"), *INDICATORS[1:]]  # 95,5 of 50% is capped at 120
    replace_lampiran(bontang, programme_rows(indicators=halved))
    Agreement.objects.filter(pk=bontang.pk).update(status="ditandatangani")
    expected = build_report(Agreement.objects.get(pk=bontang.pk)).averages[1].value
    assert expected != Decimal(Q1_AVERAGE)
    row = rows_by_code(client.get(national_url()))["64.74.sekretariat"]
    assert row.average.value == expected


def test_an_amended_units_score_is_cached_and_follows_its_realisations(client, kaltim):
    bontang = kaltim["bontang"]
    amendment = start_amendment(bontang, kaltim["operator"], "pejabat", "Perubahan target",
                                datetime.date(YEAR, 5, 10))  # fmt: skip
    Agreement.objects.filter(pk=amendment.pk).update(status="ditandatangani")
    report(amendment, 2, Q2_VALUES, status=RealisationStatus.SUBMITTED)
    client.force_login(kaltim["reviewer"])
    first = rows_by_code(client.get(national_url(2)))["64.74.sekretariat"]
    assert first.average.value == Decimal(Q2_AVERAGE)
    with CaptureQueriesContext(connection) as cached:
        again = rows_by_code(client.get(national_url(2)))["64.74.sekretariat"]
    assert again.average == first.average
    # No report is built again: no query reads the lampiran rows of the versions.
    assert not [q for q in cached.captured_queries if "agreements_indicatorrow" in q["sql"]]
    realisation = Realisation.objects.get(agreement=amendment, quarter=2,
                                          row__text=INDICATORS[0][0])  # fmt: skip
    realisation.value = Decimal("58")  # 98,00 → 58,00: the mean loses 10 points
    realisation.save()
    changed = rows_by_code(client.get(national_url(2)))["64.74.sekretariat"]
    assert changed.average.value == Decimal(Q2_AVERAGE) - 10
