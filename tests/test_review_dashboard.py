"""The national review: the dashboard, its filters, counts and export, a submission's page with
the accept and return forms, the softcopy download, and the national dataset generator."""

import datetime
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode
from openpyxl import load_workbook

from agreements.drafting import start_agreement
from agreements.lampiran import INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement, IndicatorRow, SignedDocument
from indicators.targets import parse_target
from organisations.models import Role, Unit
from organisations.national import load_national_units, national_specs
from submissions.dataset import DatasetExists, generate_national_dataset
from submissions.models import Compilation, Decision, Submission
from submissions.routing import route_for
from submissions.services import submit
from submissions.views import review as review_views
from tests.factories import load_units, make_user, unit

pytestmark = pytest.mark.django_db

YEAR = 2026  # its submission deadline (31 January 2026) has passed
WIB = ZoneInfo("Asia/Jakarta")
_SPECS = []


def load_provinces(*codes):
    """The central offices and whole provinces (every Kab/Kota), through the national loader."""
    if not _SPECS:
        _SPECS.extend(national_specs())
    load_national_units([s for s in _SPECS if s.code.split(".")[0] in {*codes, "kpu", "setjen"}])


@pytest.fixture
def people():
    load_units("64.74", "96.71")
    return {
        "reviewer": make_user(
            "perencanaan", unit_code="setjen.biro-perencanaan", role=Role.REVIEWER_PERENCANAAN
        ),
        "inspektorat": make_user(
            "inspektorat", unit_code="setjen.inspektorat", role=Role.REVIEWER_INSPEKTORAT
        ),
        "operator": make_user("op.bontang", unit_code="64.74.sekretariat"),
        "outsider": make_user("op.sorong", unit_code="96.71.sekretariat"),
        "compiler": make_user("kompilasi.kaltim", unit_code="64", role=Role.COMPILER),
    }


def make_pk(
    code,
    status="draf",
    *,
    submitted_at=None,
    decision=Decision.PENDING,
    revision=1,
    checks=(None, None),
    year=YEAR,
):
    """A PK of `code` in `status`; with `submitted_at`, a submission of revision 1 too."""
    agreement = start_agreement(unit(code), year)
    Agreement.objects.filter(pk=agreement.pk).update(
        status=status, revision=revision, check_errors=checks[0], check_warnings=checks[1]
    )
    agreement.refresh_from_db()
    if submitted_at:
        document = SignedDocument(
            agreement=agreement, revision=1, method="basah", sha256="0" * 64, is_complete=True
        )
        document.file.save("pk.pdf", ContentFile(b"%PDF-1.7 signed"), save=True)
        submission = Submission.objects.create(
            agreement=agreement,
            revision=1,
            channel=route_for(agreement.pk_kind).channel,
            softcopy=document,
            decision=decision,
        )
        Submission.objects.filter(pk=submission.pk).update(submitted_at=submitted_at)
    return agreement


def signed_pk(code, year=YEAR):
    agreement = make_pk(code, "ditandatangani", year=year)
    document = SignedDocument(
        agreement=agreement,
        revision=agreement.revision,
        method="basah",
        sha256="0" * 64,
        is_complete=True,
    )
    document.file.save("pk.pdf", ContentFile(b"%PDF-1.7 signed by hand"), save=True)
    return agreement


def dashboard(client, query="", year=YEAR):
    response = client.get(reverse("review_dashboard", args=[year]) + query)
    assert response.status_code == 200
    return response


def codes(response) -> list[str]:
    return [row.unit["code"] for row in response.context["page"].object_list]


# --- who may see it -------------------------------------------------------------------------
def test_only_national_reviewers_see_the_dashboard(client, people):
    url = reverse("review_dashboard", args=[YEAR])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for name in ("operator", "compiler"):
        client.force_login(people[name])
        assert client.get(url).status_code == 403, name
        assert client.get(reverse("review_export", args=[YEAR])).status_code == 403, name
    for name in ("reviewer", "inspektorat"):
        client.force_login(people[name])
        assert client.get(url).status_code == 200, name
    client.force_login(make_user("root", is_superuser=True))
    assert client.get(url).status_code == 200


def test_its_query_count_does_not_grow_with_the_number_of_units(
    client, people, django_assert_num_queries
):
    generate_national_dataset(YEAR, provinces=["64"], indicators_per_pk=1)
    client.force_login(people["reviewer"])
    url = reverse("review_dashboard", args=[YEAR])
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    small_rows = response.context["page"].paginator.count
    assert small_rows < 25 and len(small) <= 10

    load_provinces("32", "33", "35")  # Jawa Barat, Jawa Tengah, Jawa Timur: 100 Kab/Kota
    generate_national_dataset(
        YEAR, provinces=["64", "32", "33", "35"], indicators_per_pk=1, replace=True
    )
    assert Unit.objects.count() > 600
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert response.context["page"].paginator.count > 100 > small_rows
    assert len(response.context["page"].object_list) == 100
    with django_assert_num_queries(len(small)):
        client.get(url + "?provinsi=35&pemeriksaan=kesalahan&halaman=2")


# --- filters, counts, lateness --------------------------------------------------------------
@pytest.fixture
def year_in_review(people):
    """Bontang and Sorong submit at the same instant, 31 January 22:30 WIB: 23:30 in Bontang
    (WITA), in time; 00:30 on 1 February in Sorong (WIT), late."""
    same_instant = datetime.datetime(YEAR, 1, 31, 22, 30, tzinfo=WIB)
    make_pk("64.74", "disampaikan", submitted_at=same_instant, checks=(0, 0))
    make_pk(
        "64.74.sekretariat",
        "diterima",
        checks=(0, 1),
        decision=Decision.ACCEPTED,
        submitted_at=datetime.datetime(YEAR, 1, 25, 10, tzinfo=WIB),
    )
    make_pk("96.71", "disampaikan", submitted_at=same_instant, checks=(0, 0))
    make_pk("96.71.sekretariat", "draf", checks=(2, 1))
    make_pk(
        "64",
        "dikembalikan",
        revision=2,
        decision=Decision.RETURNED,
        checks=(0, 0),
        submitted_at=datetime.datetime(YEAR, 1, 10, 9, tzinfo=WIB),
    )
    make_pk("64.sekretariat", "ditandatangani", checks=(0, 3))
    make_pk("64.74.sekretariat.keuangan", "diterima")  # a Subbagian PK: not on the dashboard
    return people


def test_every_office_has_a_row_with_its_own_and_its_sekretariat_pk(client, year_in_review):
    client.force_login(year_in_review["reviewer"])
    response = dashboard(client)
    rows = {row.unit["code"]: row for row in response.context["page"].object_list}
    assert codes(response)[:2] == ["kpu", "setjen"]
    assert {"setjen.inspektorat", "64", "64.74", "96", "96.71"} <= set(rows)
    assert "64.74.sekretariat" not in rows and "64.74.sekretariat.keuangan" not in rows
    bontang = rows["64.74"]
    assert [c.pk_kind for c in bontang.cells] == ["f", "g"]
    assert [c.state for c in bontang.cells] == ["menunggu", "diterima"]
    assert rows["setjen"].cells[1] is None and rows["setjen"].cells[0].agreement is None
    assert [c.late for c in rows["96.71"].cells] == [True, True]
    assert [c.late for c in bontang.cells] == [False, False]
    assert rows["64"].cells[0].state == "dikembalikan" and not rows["64"].cells[0].late
    counts = response.context["counts"]
    assert counts == {
        "total": 21,
        "menunggu": 2,
        "diterima": 1,
        "dikembalikan": 1,
        "belum": 17,
        "late": 18,
        "errors": 1,
    }
    assert "Terlambat" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected", "total"),
    [
        ("?provinsi=96", ["96", "96.71"], 4),
        ("?status=menunggu", ["64.74", "96.71"], 2),
        ("?status=dikembalikan", ["64"], 1),
        ("?status=ditandatangani", ["64"], 1),
        ("?status=tanpa-pk&provinsi=64", [], 0),
        ("?jenis=g&status=diterima", ["64.74"], 1),
        ("?terlambat=ya&provinsi=64", ["64"], 1),
        ("?terlambat=tidak", ["64", "64.74"], 3),
        ("?pemeriksaan=kesalahan", ["96.71"], 1),
        ("?pemeriksaan=peringatan&jenis=e", ["64"], 1),
    ],
)
def test_the_filters_give_the_right_rows(client, year_in_review, query, expected, total):
    client.force_login(year_in_review["reviewer"])
    response = dashboard(client, query)
    assert codes(response) == expected
    assert response.context["counts"]["total"] == total


def test_a_value_that_is_not_a_choice_is_ignored_and_reported(client, year_in_review):
    client.force_login(year_in_review["reviewer"])
    response = dashboard(client, "?status=hilang&provinsi=96")
    assert codes(response) == ["96", "96.71"]
    assert response.context["form"].errors["status"]


def test_the_pages_hold_a_hundred_rows_and_keep_the_filters(client, people):
    load_provinces("32", "33", "35")
    client.force_login(people["reviewer"])
    first = dashboard(client, "?provinsi=35")
    assert first.context["page"].paginator.num_pages == 1
    everything = dashboard(client)
    assert len(everything.context["page"].object_list) == 100
    assert "halaman=2" in everything.content.decode()
    second = dashboard(client, "?terlambat=ya&halaman=2")
    assert second.context["page"].number == 2
    assert "terlambat=ya&amp;halaman=1" in second.content.decode()


def test_a_rows_province_link_keeps_the_lists_own_filters_and_nothing_else(client, year_in_review):
    client.force_login(year_in_review["reviewer"])
    page = dashboard(client, "?status=menunggu&utm_source=surel&next=//x.example&halaman=1")
    links = set(re.findall(r'class="link-secondary" href="([^"]+)"', page.content.decode()))
    assert links and links <= {
        "?status=menunggu&amp;provinsi=64",
        "?status=menunggu&amp;provinsi=96",
    }


# --- export ---------------------------------------------------------------------------------
def test_the_export_has_the_filtered_rows_as_text(client, year_in_review):

    Unit.objects.filter(code="64.74").update(short_name='=HYPERLINK("http://x.example","klik")')
    client.force_login(year_in_review["reviewer"])
    response = client.get(reverse("review_export", args=[YEAR]) + "?provinsi=64")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert [r[1].value for r in rows[1:]] == ["64", "64.74"]
    hyperlink = rows[2][2]
    assert hyperlink.value == '=HYPERLINK("http://x.example","klik")'
    assert hyperlink.data_type == "s"
    assert all(cell.data_type != "f" for row in rows for cell in row)
    assert rows[2][4].value == "Disampaikan" and rows[1][5].value == "Dikembalikan"

    everything = client.get(reverse("review_export", args=[YEAR]))
    rows = list(load_workbook(io.BytesIO(everything.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 17 and rows[1][:3] == (None, "kpu", "KPU")
    assert rows[1][11:] == (None,) * 8  # KPU's row has no Sekretariat PK


def test_the_export_looks_finished_keeps_dates_as_dates_and_is_read_only(client, year_in_review):
    client.force_login(year_in_review["reviewer"])
    response = client.get(reverse("review_export", args=[YEAR]) + "?provinsi=64")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["C"].width == 30
    assert sheet.protection.sheet and not sheet.protection.sort
    header = [cell.value for cell in sheet[1]]
    submitted = [
        sheet.cell(row, header.index("PK Satker: Pertama disampaikan") + 1)
        for row in range(2, sheet.max_row + 1)
    ]
    dated = [cell for cell in submitted if cell.value is not None]
    assert dated and all(isinstance(cell.value, datetime.datetime) for cell in dated)
    assert all(cell.number_format.startswith("[$-421]d mmmm yyyy hh:mm") for cell in dated)
    revision = sheet.cell(3, header.index("PK Satker: Revisi") + 1)
    assert revision.data_type == "n"


# --- one submission -------------------------------------------------------------------------
def test_the_submission_page_shows_the_pk_and_its_documents(client, people):
    agreement = signed_pk("64.sekretariat")
    submission = submit(agreement, make_user(unit_code="64.sekretariat"))
    client.force_login(people["reviewer"])
    response = client.get(reverse("review_submission", args=[submission.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("review_softcopy", args=[submission.pk]) in page
    assert reverse("agreements:document_pdf", args=[agreement.pk, "lengkap"]) in page
    assert "Sekretariat KPU Provinsi Kalimantan Timur" in page
    assert "Terima PK" in page and "Kembalikan untuk perbaikan" in page
    client.force_login(people["operator"])
    assert client.get(reverse("review_submission", args=[submission.pk])).status_code == 403


def test_a_reviewer_accepts_through_the_form(client, people):
    submission = submit(signed_pk("64.sekretariat"), make_user(unit_code="64.sekretariat"))
    client.force_login(people["reviewer"])
    response = client.post(
        reverse("review_accept", args=[submission.pk]), {"catatan": ""}, follow=True
    )
    assert "diterima" in response.content.decode()
    submission.refresh_from_db()
    assert submission.decision == Decision.ACCEPTED
    assert submission.decided_by == people["reviewer"]
    assert Agreement.objects.get(pk=submission.agreement_id).status == "diterima"


def test_a_reviewer_returns_with_a_note_and_the_pk_gets_a_new_revision(client, people):
    submission = submit(signed_pk("64.sekretariat"), make_user(unit_code="64.sekretariat"))
    client.force_login(people["inspektorat"])
    url = reverse("review_return", args=[submission.pk])
    empty = client.post(url, {"catatan": "  "})
    assert empty.status_code == 400
    assert "Tuliskan catatan" in empty.content.decode()
    assert Agreement.objects.get(pk=submission.agreement_id).status == "disampaikan"
    client.post(url, {"catatan": "Target IKU di bawah target nasional."})
    agreement = Agreement.objects.get(pk=submission.agreement_id)
    assert (agreement.status, agreement.revision) == ("dikembalikan", 2)
    submission.refresh_from_db()
    assert submission.decision == Decision.RETURNED
    assert submission.decision_note == "Target IKU di bawah target nasional."
    assert agreement.events.latest("at").action == "review_return"


def test_a_kab_kota_pk_not_yet_compiled_is_refused_and_nothing_changes(client, people):
    submission = submit(signed_pk("64.74.sekretariat"), people["operator"])
    client.force_login(people["reviewer"])
    page = client.get(reverse("review_submission", args=[submission.pk])).content.decode()
    assert "belum dikompilasi" in page and "Terima PK" not in page
    response = client.post(reverse("review_accept", args=[submission.pk]), follow=True)
    assert "belum dikompilasi dan disampaikan oleh KPU Provinsi" in response.content.decode()
    submission.refresh_from_db()
    assert submission.decision == Decision.PENDING and submission.decided_at is None
    agreement = Agreement.objects.get(pk=submission.agreement_id)
    assert (agreement.status, agreement.revision) == ("disampaikan", 1)
    # Once the province submitted its compilation, the same form works.
    submission.compilation = Compilation.objects.create(
        province=unit("64"), year=YEAR, submitted_at=datetime.datetime(YEAR, 1, 28, tzinfo=WIB)
    )
    submission.save()
    client.post(reverse("review_accept", args=[submission.pk]))
    assert Agreement.objects.get(pk=submission.agreement_id).status == "diterima"


def test_the_decisions_refuse_get(client, people):
    submission = submit(signed_pk("64.sekretariat"), make_user(unit_code="64.sekretariat"))
    client.force_login(people["reviewer"])
    for name in ("review_accept", "review_return"):
        assert client.get(reverse(name, args=[submission.pk])).status_code == 405
    assert Submission.objects.get(pk=submission.pk).decision == Decision.PENDING


def test_others_may_not_decide(client, people):
    submission = submit(signed_pk("64.74.sekretariat"), people["operator"])
    client.force_login(people["compiler"])
    response = client.post(reverse("review_accept", args=[submission.pk]))
    assert response.status_code == 403
    assert Submission.objects.get(pk=submission.pk).decision == Decision.PENDING


# --- the way back to the list ---------------------------------------------------------------
@pytest.fixture
def two_pages(people, monkeypatch):
    """Kalimantan Timur with two PKs waiting for review, one a page: the Sekretariat KPU
    Provinsi's (row "64", page 1) and Bontang's Sekretariat's, compiled (row "64.74", page 2)."""
    monkeypatch.setattr(review_views, "PER_PAGE", 1)
    submit(signed_pk("64.sekretariat"), make_user(unit_code="64.sekretariat"))
    second = submit(signed_pk("64.74.sekretariat"), people["operator"])
    second.compilation = Compilation.objects.create(
        province=unit("64"), year=YEAR, submitted_at=datetime.datetime(YEAR, 1, 28, tzinfo=WIB)
    )
    second.save()
    return second


LIST = "provinsi=64&status=menunggu&cari=KPU&halaman=2"  # as the dashboard writes it


@pytest.mark.parametrize(
    ("decision", "note", "said"),
    [
        ("review_accept", "", "diterima."),
        (
            "review_return",
            "Target di bawah nasional.",
            "dikembalikan untuk perbaikan dengan catatan.",
        ),
    ],
)
def test_a_submission_opened_from_a_filtered_page_leads_back_to_that_page(
    client, people, two_pages, decision, note, said
):
    submission = two_pages
    client.force_login(people["reviewer"])
    listing = dashboard(client, "?cari=KPU&status=menunggu&provinsi=64&halaman=2")
    assert codes(listing) == ["64.74"]
    link = reverse("review_submission", args=[submission.pk]) + "?" + urlencode({"kembali": LIST})
    assert f'href="{escape(link)}"' in listing.content.decode()

    page = client.get(link)
    the_list = reverse("review_dashboard", args=[YEAR]) + "?" + LIST
    assert page.context["dashboard_url"] == the_list
    assert f'<a href="{escape(the_list)}">Reviu PK {YEAR}</a>' in page.content.decode()
    assert page.content.decode().count(f'name="kembali" value="{escape(LIST)}"') == 2

    response = client.post(
        reverse(decision, args=[submission.pk]), {"catatan": note, "kembali": LIST}
    )
    assert response.status_code == 302 and response["Location"] == the_list
    assert Submission.objects.get(pk=submission.pk).decision != Decision.PENDING
    back = client.get(the_list).content.decode()
    assert f"{Agreement.objects.get(pk=submission.agreement_id)} {said}" in back


def test_a_forged_way_back_keeps_only_the_dashboards_own_filters(client, people, two_pages):
    submission = two_pages
    client.force_login(people["reviewer"])
    url = reverse("review_submission", args=[submission.pk])
    dashboard_url = reverse("review_dashboard", args=[YEAR])

    def way_back(forged):
        return client.get(url, {"kembali": forged}).context["dashboard_url"]

    kept = "provinsi=64&status=menunggu&halaman=3"
    assert way_back("next=https://evil.example/&status=menunggu&provinsi=64&halaman=3") == (
        f"{dashboard_url}?{kept}"
    )
    for forged in (
        "https://evil.example/",
        "//evil.example/reviu/",
        "https://evil.example/?provinsi=64",
        "javascript:alert(1)",
        "provinsi=99&status=hilang&halaman=-1&halaman=0x2",
        "&" * 50 + "provinsi=64",
    ):
        assert way_back(forged) == dashboard_url, forged
    page = client.get(url, {"kembali": "https://evil.example/"}).content.decode()
    assert f'<a href="{dashboard_url}">Reviu PK {YEAR}</a>' in page
    assert page.count('name="kembali" value=""') == 2  # the decision forms carry nothing of it
    # Decided with a forged way back: the unfiltered dashboard, never elsewhere.
    response = client.post(
        reverse("review_accept", args=[submission.pk]),
        {"kembali": "https://evil.example/?status=menunggu"},
    )
    assert response["Location"] == dashboard_url


def test_a_submission_opened_from_elsewhere_leads_to_its_province(client, people, two_pages):
    """From a notification: the breadcrumb leads to the PK's province, and a decision stays on
    the submission's page, as before."""
    submission = two_pages
    client.force_login(people["reviewer"])
    url = reverse("review_submission", args=[submission.pk])
    page = client.get(url)
    assert (
        page.context["dashboard_url"] == reverse("review_dashboard", args=[YEAR]) + "?provinsi=64"
    )
    assert 'name="kembali"' not in page.content.decode()
    response = client.post(reverse("review_accept", args=[submission.pk]), {"catatan": ""})
    assert response["Location"] == url


def test_the_softcopy_goes_only_to_whoever_may_see_the_pk(client, people):
    submission = submit(signed_pk("64.74.sekretariat"), people["operator"])
    url = reverse("review_softcopy", args=[submission.pk])
    assert client.get(url).status_code == 302
    for name in ("reviewer", "operator", "compiler"):
        client.force_login(people[name])
        response = client.get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == b"%PDF-1.7 signed by hand"
        assert response["Content-Type"] == "application/pdf"
    client.force_login(people["outsider"])
    assert client.get(url).status_code == 404


# --- the national dataset generator ---------------------------------------------------------
def test_the_generator_makes_every_state_and_is_idempotent(people):
    load_provinces("64", "96")
    report = generate_national_dataset(2027, provinces=["64", "96"], indicators_per_pk=5)
    agreements = Agreement.objects.filter(year=2027)
    assert report.agreements == agreements.count() > 100
    assert set(agreements.values_list("status", flat=True)) == {
        "draf",
        "diajukan",
        "disetujui",
        "ditandatangani",
        "disampaikan",
        "diterima",
        "dikembalikan",
    }
    assert (
        not agreements.exclude(unit__province__code__in=["64", "96"])
        .exclude(unit__province__isnull=True)
        .exists()
    )
    rows = IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement__year=2027)
    assert 4 * report.agreements <= rows.count() <= 6 * report.agreements
    # Rows are numbered through each PK, as the import numbers them (the page's #indikator-N).
    for agreement in agreements[:20]:
        positions = sorted(
            rows.filter(sasaran__kegiatan__programme__agreement=agreement).values_list(
                "position", flat=True
            )
        )
        assert positions == list(range(len(positions)))
    submissions = Submission.objects.filter(agreement__year=2027)
    assert submissions.filter(decision=Decision.ACCEPTED).exists()
    assert submissions.filter(decision=Decision.RETURNED).exists()
    assert set(agreements.values_list("check_errors", flat=True)) > {None, 0}
    # Every submitted PK's softcopy is one shared file, and decided Kab/Kota PKs were compiled.
    assert (
        len(set(SignedDocument.objects.filter(agreement__year=2027).values_list("file", flat=True)))
        == 1
    )
    assert (
        not submissions.filter(channel="provinsi", compilation__submitted_at__isnull=True)
        .exclude(decision=Decision.PENDING)
        .exists()
    )
    for submission in submissions:
        assert submission.agreement.status in {"disampaikan", "diterima", "dikembalikan"}

    with pytest.raises(DatasetExists, match="--replace"):
        generate_national_dataset(2027, provinces=["64", "96"], indicators_per_pk=5)
    assert Agreement.objects.filter(year=2027).count() == report.agreements
    again = generate_national_dataset(
        2027, provinces=["64", "96"], indicators_per_pk=5, replace=True
    )
    assert (again.replaced, again.agreements, again.statuses) == (
        report.agreements,
        report.agreements,
        report.statuses,
    )
    assert Agreement.objects.filter(year=2027).count() == report.agreements


def test_the_command_refuses_a_year_with_real_pks(people):
    start_agreement(unit("64.74"), 2028)
    with pytest.raises(CommandError, match="--replace"):
        call_command(
            "generate_national_dataset", "--year", "2028", "--provinces", "64", "--indicators", "2"
        )
    with pytest.raises(CommandError, match="tidak dibuat oleh generator"):
        call_command(
            "generate_national_dataset",
            "--year",
            "2028",
            "--provinces",
            "64",
            "--indicators",
            "2",
            "--replace",
        )
    assert Agreement.objects.filter(year=2028).count() == 1


def test_the_dashboard_reads_the_generated_dataset(client, people):
    generate_national_dataset(YEAR, provinces=["64", "96"], indicators_per_pk=2)
    client.force_login(people["reviewer"])
    response = dashboard(client)
    counts = response.context["counts"]
    assert counts["total"] == sum(
        counts[s] for s in ("menunggu", "diterima", "dikembalikan", "belum")
    )
    assert counts["diterima"] and counts["menunggu"]
    row = next(r for r in response.context["page"].object_list if r.cells[0].submission)
    detail = client.get(row.cells[0].url)
    assert detail.status_code == 200


def test_the_dashboard_shows_days_left_to_the_deadline_in_local_time(client):

    load_units("96.71")
    reviewer = make_user(
        "reviu.tz", unit_code="setjen.biro-perencanaan", role=Role.REVIEWER_PERENCANAAN
    )
    with time_machine.travel(dt.datetime(2027, 1, 24, 3, tzinfo=dt.UTC), tick=False):
        client.force_login(reviewer)
        page = client.get(
            reverse("review_dashboard", args=[2027]) + "?provinsi=96"
        ).content.decode()
    assert "7 hari lagi" in page
    with time_machine.travel(dt.datetime(2027, 2, 3, 3, tzinfo=dt.UTC), tick=False):
        client.force_login(reviewer)
        page = client.get(
            reverse("review_dashboard", args=[2027]) + "?provinsi=96"
        ).content.decode()
    assert "Terlambat 3 hari" in page


# --- search ---------------------------------------------------------------------------------------
def test_the_dashboard_finds_an_office_by_part_of_its_name_an_official_or_an_indicator(
    client, year_in_review
):
    Agreement.objects.filter(unit__code="96.71").update(pihak_pertama_name="Ibu Sorong Sejati")
    sekretariat = Agreement.objects.get(unit__code="64.sekretariat")
    Agreement.objects.filter(pk=sekretariat.pk).update(status="draf")
    replace_lampiran(sekretariat, [LampiranRow(
        INDIKATOR, "076.01.WA", "Program Dukungan Manajemen", "", "Kegiatan", "Sasaran",
        "Indeks Kepuasan Pengguna Layanan Arsip", parse_target("3 nilai"))])  # fmt: skip
    client.force_login(year_in_review["reviewer"])
    assert codes(dashboard(client, "?cari=bontang")) == ["64.74"]
    assert codes(dashboard(client, "?cari=SORONG+sejati")) == ["96.71"]
    found = dashboard(client, "?cari=kepuasan+pengguna")
    assert codes(found) == ["64"] and found.context["counts"]["total"] == 1
    assert 'value="kepuasan pengguna"' in found.content.decode()


def test_the_export_file_name_says_which_filter_it_holds(client, year_in_review):
    client.force_login(year_in_review["reviewer"])
    url = reverse("review_export", args=[YEAR])
    assert f'filename="reviu-pk-{YEAR}.xlsx"' in client.get(url)["Content-Disposition"]
    response = client.get(url + "?provinsi=64&terlambat=ya&cari=Kota Bontang")
    assert f'filename="reviu-pk-{YEAR}-64-terlambat-cari-kota-bontang.xlsx"' in response[
        "Content-Disposition"]  # fmt: skip


# --- the page agrees with plain querysets (filters, counts and pages run in the database) ------
ROW_KINDS = {"kpu", "setjen", "eselon_ii", "provinsi", "kabkota"}


def _office_code(unit_row: Unit) -> str:
    """The office whose dashboard row shows a unit's PK: a Sekretariat's is its parent's."""
    return unit_row.code if unit_row.kind in ROW_KINDS else unit_row.parent.code


def _all_rows(client, query: str) -> tuple[list[str], dict]:
    """Every row's office code, page after page, and the counts of the first page."""
    first = dashboard(client, query)
    found, page = codes(first), first.context["page"]
    while page.has_next():
        separator = "&" if query else "?"
        response = dashboard(client, f"{query}{separator}halaman={page.next_page_number()}")
        page = response.context["page"]
        assert response.context["counts"] == first.context["counts"]
        found += codes(response)
    assert len(found) == len(set(found)) == first.context["page"].paginator.count
    return found, first.context["counts"]


@pytest.fixture
def four_provinces(people):
    load_provinces("32", "33", "35")  # 100 Kab/Kota, and Bontang and Sorong (people)
    generate_national_dataset(YEAR, provinces=["64", "32", "33", "35"], indicators_per_pk=1)
    return people


def test_the_rows_and_counts_are_what_plain_querysets_say(client, four_provinces):
    client.force_login(four_provinces["reviewer"])
    pks = Agreement.objects.filter(year=YEAR).exclude(pk_kind="sub").select_related("unit__parent")
    slots = Unit.objects.filter(kind__in=[*ROW_KINDS, "sekretariat_provinsi",
                                          "sekretariat_kabkota"], is_active=True)  # fmt: skip

    def offices(agreements) -> set[str]:
        return {_office_code(a.unit) for a in agreements}

    everything, counts = _all_rows(client, "")
    assert len(everything) == slots.filter(kind__in=ROW_KINDS).count() > 100
    assert counts["total"] == slots.count()
    assert counts["menunggu"] == pks.filter(status="disampaikan").count() > 0
    assert counts["diterima"] == pks.filter(status="diterima").count() > 0
    assert counts["errors"] == pks.filter(check_errors__gt=0).count() > 0

    rows, counts = _all_rows(client, "?provinsi=35")
    in_province = slots.filter(province__code="35")
    assert set(rows) == set(in_province.filter(kind__in=ROW_KINDS).values_list("code", flat=True))
    assert counts["total"] == in_province.count()

    rows, counts = _all_rows(client, "?status=menunggu")
    waiting = pks.filter(status="disampaikan")
    assert set(rows) == offices(waiting) and counts["total"] == waiting.count()

    rows, counts = _all_rows(client, "?pemeriksaan=kesalahan&provinsi=32")
    with_errors = pks.filter(check_errors__gt=0, unit__province__code="32")
    assert set(rows) == offices(with_errors) and counts["total"] == with_errors.count()
    assert counts["errors"] == counts["total"]

    rows, counts = _all_rows(client, "?cari=ban")  # Bandung, Banyuwangi, Bantul…
    named = slots.filter(short_name__icontains="ban").select_related("parent")
    found = {_office_code(u) for u in named} | offices(pks.matching("ban"))
    assert set(rows) == found and len(rows) > 1
    assert counts["total"] == len({u.pk for u in named} | {a.unit_id for a in pks.matching("ban")})


def test_the_pages_of_a_filtered_board_keep_its_filters(client, four_provinces):
    client.force_login(four_provinces["reviewer"])
    first = dashboard(client, "?jenis=f")  # every Kab/Kota: more than a page
    assert first.context["page"].paginator.num_pages == 2
    assert "jenis=f&amp;halaman=2" in first.content.decode()
    second = dashboard(client, "?jenis=f&halaman=2")
    rows = first.context["page"].paginator.count
    assert len(codes(second)) == rows - 100 and not set(codes(first)) & set(codes(second))
    assert "jenis=f&amp;halaman=1" in second.content.decode()
    for row in second.context["page"].object_list:
        own, secretariat = row.cells
        assert own.matched and own.pk_kind == "f" and not secretariat.matched


def test_the_queries_are_the_same_at_two_sizes_for_every_filter(client, people):
    client.force_login(people["reviewer"])
    url = reverse("review_dashboard", args=[YEAR])
    queries = ["", "?provinsi=64", "?status=menunggu", "?pemeriksaan=kesalahan&halaman=2",
               "?cari=kota", "?terlambat=ya&jenis=f"]  # fmt: skip
    counted = {}
    for size, provinces in (("small", ["64"]), ("large", ["64", "32", "33", "35"])):
        if size == "large":
            load_provinces("32", "33", "35")
        generate_national_dataset(YEAR, provinces=provinces, indicators_per_pk=1, replace=True)
        for query in queries:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url + query).status_code == 200
            counted[size, query] = len(captured)
    for query in queries:
        assert counted["small", query] == counted["large", query], query
