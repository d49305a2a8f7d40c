"""The quarter form, verification and evidence of a signed PK (monitoring.views)."""

import datetime
import io
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_fsm import TransitionNotAllowed
from PIL import Image
from pypdf import PdfWriter

from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import Agreement, IndicatorRow, Notification
from agreements.uploads import sanitise_pdf
from indicators.models import Indicator
from indicators.targets import parse_target
from monitoring.evidence import MAX_EVIDENCE_PER_REALISATION
from monitoring.models import Evidence, QuarterEvent, Realisation, ReportingPeriod
from monitoring.services import Entry, save_quarter
from organisations.models import Membership, Role
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db

# Bontang is WITA (UTC+8): 5 April 2027, 10:00 local, Triwulan I is open until 15 April.
IN_Q1_WINDOW = datetime.datetime(2027, 4, 5, 2, 0, tzinfo=datetime.UTC)
INDICATORS = [
    ("Persentase laporan keuangan tepat waktu", "100%"),
    ("Jumlah laporan kinerja", "4 laporan"),
    ("Opini BPK atas laporan keuangan", "WTP"),
    ("Persentase temuan yang belum ditindaklanjuti", "10%"),
]


def programme_rows(indicators=INDICATORS):
    programme = ("076.01.WA", "Program Dukungan Manajemen")
    rows = [LampiranRow(INDIKATOR, *programme, "", "Pengelolaan Keuangan", "Tata kelola keuangan",
                        text, parse_target(target)) for text, target in indicators]  # fmt: skip
    return [*rows, LampiranRow(ANGGARAN, *programme, anggaran=1_000_000)]


@pytest.fixture
def cast():
    load_units("64.74", "96.71")
    ketua = appoint("64.74", make_official("Muzarroby Renfly")).official
    appoint("64.74.sekretariat", make_official("Bambang Rahmadhany"))
    Indicator.objects.create(text=INDICATORS[3][0], kind="persen", unit_of_measure="%",
                             higher_is_better=False)  # fmt: skip
    agreement = start_agreement(
        unit("64.74.sekretariat"), 2027, sign_date=datetime.date(2027, 1, 15)
    )
    replace_lampiran(agreement, programme_rows())
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    agreement.refresh_from_db()
    return {
        "agreement": agreement,
        "operator": make_user("op.bontang", unit_code="64.74.sekretariat"),
        "subbagian": make_user("op.keuangan", unit_code="64.74.sekretariat.keuangan"),
        "ketua": make_user("ketua.bontang", unit_code="64.74", role=Role.SIGNATORY, official=ketua),
        "province": make_user("op.kaltim", unit_code="64.sekretariat"),
        "outsider": make_user("op.sorong", unit_code="96.71.sekretariat"),
    }


@pytest.fixture(autouse=True)
def in_q1_window():
    with time_machine.travel(IN_Q1_WINDOW, tick=False):
        yield


def url(agreement, quarter=1, name="quarter"):
    return reverse(f"monitoring:{name}", args=[agreement.pk, quarter])


def rows_of(agreement):
    return list(IndicatorRow.objects.filter(sasaran__kegiatan__programme__agreement=agreement)
                .order_by("position"))  # fmt: skip


def form_data(agreement, values, action="save", lock_versions=None, **extra):
    """The POST of the quarter form: `values` per indicator, in lampiran order."""
    rows = rows_of(agreement)
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000", "action": action}  # fmt: skip
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        lock = (lock_versions or {}).get(row.pk, "")
        data |= {f"form-{i}-row": str(row.pk), f"form-{i}-lock_version": str(lock),
                 f"form-{i}-explanation": f"Penjelasan {i}", f"form-{i}-obstacles": "",
                 f"form-{i}-follow_up": ""}  # fmt: skip
        data[f"form-{i}-grade" if row.target_grade else f"form-{i}-value"] = value
    return data | extra


def current_locks(agreement):
    return dict(Realisation.objects.filter(agreement=agreement, quarter=1)
                .values_list("row_id", "lock_version"))  # fmt: skip


def a_pdf() -> bytes:

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def a_png() -> bytes:

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


# --- the form -------------------------------------------------------------------------------
def test_the_operator_saves_the_quarter_in_one_post(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    page = client.get(url(agreement))
    assert page.status_code == 200
    for text, target in INDICATORS:
        assert text in page.content.decode() and target in page.content.decode()
    response = client.post(url(agreement), form_data(agreement, ["95,5", "1", "WDP", "12"]))
    assert response.status_code == 302
    saved = {r.row.text: r for r in Realisation.objects.filter(agreement=agreement, quarter=1)}
    assert saved[INDICATORS[0][0]].value == Decimal("95.5")
    assert saved[INDICATORS[1][0]].value == Decimal(1)
    assert saved[INDICATORS[2][0]].grade == "WDP"
    assert {r.status for r in saved.values()} == {"draf"}
    assert {r.entered_by for r in saved.values()} == {cast["operator"]}
    event = QuarterEvent.objects.get(agreement=agreement, quarter=1, action="save")
    assert any("95,5" in change for change in event.changes)
    page = client.get(url(agreement)).content.decode()
    assert "95,50%" in page  # capaian of the percentage
    assert "25,00%" in page  # 1 of 4 laporan
    assert "66,67%" in page  # WDP against WTP
    assert "80,00%" in page  # 12% left against a less-is-better target of 10%
    # The quarter's history says who saved what.
    assert 'id="riwayat-triwulan"' in page and "Disimpan" in page
    history = page.split('id="riwayat-triwulan"')[1]
    assert f"<li>{INDICATORS[0][0]}: — → 95,5</li>" in history


def test_an_error_saves_nothing_and_shows_every_typed_value_with_its_error(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    response = client.post(url(agreement), form_data(agreement, ["95,5", "empat", "WDP", "12"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "“empat” bukan angka" in page
    assert 'value="95,5"' in page and 'value="12"' in page and 'value="empat"' in page
    assert 'value="WDP" selected' in page
    assert "Penjelasan 3" in page
    assert not Realisation.objects.exists()


def test_a_grade_outside_the_targets_order_and_a_negative_number_are_refused(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    response = client.post(url(agreement), form_data(agreement, ["-5", "1", "BB", "12"]))
    assert response.status_code == 400
    assert "tidak boleh negatif" in response.content.decode()
    assert "BB" in response.content.decode()
    assert not Realisation.objects.exists()


def test_a_second_save_from_an_older_page_is_refused_and_its_input_kept(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    other = make_user("op.bontang2", unit_code="64.74.sekretariat")

    second = Client()
    second.force_login(other)
    opened = form_data(agreement, ["50", "1", "WTP", "8"])  # both opened an empty quarter
    assert client.post(url(agreement), opened).status_code == 302
    response = second.post(url(agreement), form_data(agreement, ["70", "2", "WDP", "9"]))
    assert response.status_code == 409
    page = response.content.decode()
    assert "telah disimpan oleh pengguna lain" in page
    assert 'value="70"' in page
    saved = Realisation.objects.get(row=rows_of(agreement)[0], quarter=1)
    assert saved.value == Decimal(50)
    # With the current versions the second save goes through.
    fresh = form_data(agreement, ["70", "2", "WDP", "9"], lock_versions=current_locks(agreement))
    assert second.post(url(agreement), fresh).status_code == 302
    saved.refresh_from_db()
    assert saved.value == Decimal(70) and saved.lock_version == 1


def test_a_closed_quarter_is_read_only(client, cast):
    agreement = cast["agreement"]
    # 16 April, 00:30 in Bontang: the default closing date (15 April) has passed there.
    with time_machine.travel(datetime.datetime(2027, 4, 15, 16, 30, tzinfo=datetime.UTC)):
        client.force_login(cast["operator"])  # a session lasts a working day
        page = client.get(url(agreement))
        assert "sudah ditutup" in page.content.decode()
        assert 'name="action"' not in page.content.decode()
        response = client.post(url(agreement), form_data(agreement, ["90", "1", "WTP", "8"]))
        assert response.status_code == 409
        page = response.content.decode()
        assert "sudah ditutup" in page
        assert not Realisation.objects.exists()
        # What was typed is shown back, not lost with the refusal.
        assert "Isian Anda (tidak tersimpan): 90" in page
        assert "Penjelasan Anda (tidak tersimpan): Penjelasan 0" in page
        # KPU extends the quarter: a row without a date keeps it open.
        ReportingPeriod.objects.create(year=2027, quarter=1, closes_on=None)
        assert (
            client.post(url(agreement), form_data(agreement, ["90", "1", "WTP", "8"])).status_code
            == 302
        )
    assert Realisation.objects.count() == 4


def test_a_quarter_not_begun_cannot_be_filled(client, cast):
    client.force_login(cast["operator"])
    page = client.get(url(cast["agreement"], quarter=3)).content.decode()
    assert "belum dimulai" in page and 'name="action"' not in page


def test_other_offices_get_a_404(client, cast):
    agreement = cast["agreement"]
    for who in ("outsider", "province"):
        client.force_login(cast[who])
        assert client.get(url(agreement)).status_code == 404
        assert (
            client.post(url(agreement), form_data(agreement, ["1", "1", "WTP", "1"])).status_code
            == 404
        )
        assert client.get(url(agreement, name="verify")).status_code == 404
    assert not Realisation.objects.exists()


def test_a_subbagian_operator_sees_the_quarter_but_may_not_fill_it(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["subbagian"])
    page = client.get(url(agreement)).content.decode()
    assert "Hanya operator" in page and 'name="action"' not in page
    client.post(url(agreement), form_data(agreement, ["1", "1", "WTP", "1"]))
    assert not Realisation.objects.exists()


def test_a_pk_not_yet_signed_has_no_quarter_form(client, cast):
    draft = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    client.force_login(cast["operator"])
    response = client.get(url(draft), follow=True)
    assert "sudah ditandatangani" in response.content.decode()
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()


def test_an_unknown_quarter_is_a_404(client, cast):
    client.force_login(cast["operator"])
    assert client.get(url(cast["agreement"], quarter=5)).status_code == 404


# --- evidence -----------------------------------------------------------------------------
def test_evidence_that_is_not_a_pdf_or_image_is_refused_with_a_message(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    fake = SimpleUploadedFile("bukti.pdf", b"%PDF-1.7 but not really a pdf", "application/pdf")
    data = form_data(agreement, ["90", "1", "WTP", "8"], **{"form-0-evidence": fake})
    response = client.post(url(agreement), data)
    assert response.status_code == 400
    assert "Bukti dukung harus berkas PDF yang utuh" in response.content.decode()
    word = SimpleUploadedFile("bukti.docx", b"PK\x03\x04 a word file", "application/msword")
    data = form_data(agreement, ["90", "1", "WTP", "8"], **{"form-1-evidence": word})
    assert client.post(url(agreement), data).status_code == 400
    assert not Realisation.objects.exists() and not Evidence.objects.exists()


def test_evidence_is_stored_and_served_only_to_those_who_see_the_pk(
    client, cast, django_capture_on_commit_callbacks
):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, ["90", "1", "WTP", "8"],
                     **{"form-0-evidence": SimpleUploadedFile("Laporan TW I.pdf", a_pdf()),
                        "form-2-evidence": SimpleUploadedFile("foto.png", a_png())})  # fmt: skip
    assert client.post(url(agreement), data).status_code == 302
    pdf = Evidence.objects.get(original_name="Laporan TW I.pdf")
    # Kept sanitised (agreements.uploads.sanitise_pdf): size and hash are the stored file's.
    stored_pdf = sanitise_pdf(a_pdf())
    assert (pdf.content_type, pdf.size) == ("application/pdf", len(stored_pdf))
    assert Evidence.objects.get(original_name="foto.png").content_type == "image/png"
    assert "Laporan TW I.pdf" not in pdf.file.name  # stored under its hash, not its name
    download = client.get(reverse("monitoring:evidence", args=[pdf.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored_pdf
    assert "Laporan TW I.pdf" in download["Content-Disposition"]
    assert download["Content-Security-Policy"].startswith("sandbox")
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(cast["ketua"])
    assert client.get(reverse("monitoring:evidence", args=[pdf.pk])).status_code == 200
    client.force_login(cast["outsider"])
    assert client.get(reverse("monitoring:evidence", args=[pdf.pk])).status_code == 404
    # Removing it deletes the row and the stored file.
    client.force_login(cast["operator"])
    stored = pdf.file.name
    data = form_data(agreement, ["90", "1", "WTP", "8"], lock_versions=current_locks(agreement),
                     **{"form-0-remove_evidence": [str(pdf.pk)]})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(agreement), data).status_code == 302
    assert not Evidence.objects.filter(pk=pdf.pk).exists()
    assert not pdf.file.storage.exists(stored)


# --- submitting, verifying, returning -----------------------------------------------------
def test_submitting_needs_a_value_or_an_explanation_for_every_indicator(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, ["90", "", "WTP", "8"], action="submit")
    data["form-1-explanation"] = ""
    response = client.post(url(agreement), data)
    assert response.status_code == 400
    assert "1 indikator belum diisi" in response.content.decode()
    assert not Realisation.objects.exists()  # the save went back with the refused submission


def test_a_refused_save_keeps_no_uploaded_file(client, cast, settings):

    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, ["90", "", "WTP", "8"], action="submit",
                     **{"form-0-evidence": SimpleUploadedFile("bukti.pdf", a_pdf())})  # fmt: skip
    data["form-1-explanation"] = ""
    response = client.post(url(agreement), data)
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    # Only the chosen file waits, as a pending upload the next save uses (or housekeeping
    # deletes): tests/test_quarter_evidence.py.
    media = Path(settings.MEDIA_ROOT)
    stored = [p.relative_to(media).parts[0] for p in media.rglob("*") if p.is_file()]
    assert stored == ["imports"]
    assert "bukti.pdf" in response.content.decode()


def test_the_ketua_verifies_or_returns_with_a_note(client, cast, mailoutbox, eager_celery):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    data = form_data(agreement, ["90", "", "WTP", "8"], action="submit")  # explained, no value
    assert client.post(url(agreement), data).status_code == 302
    assert set(Realisation.objects.values_list("status", flat=True)) == {"diajukan"}
    assert Notification.objects.filter(
        user=cast["ketua"], url=url(agreement, name="verify")
    ).exists()
    assert client.get(url(agreement, name="verify")).status_code == 403  # the operator
    assert client.post(url(agreement, name="verify_confirm")).status_code == 302
    assert set(Realisation.objects.values_list("status", flat=True)) == {"diajukan"}

    client.force_login(cast["ketua"])
    assert client.get(url(agreement, name="verify_confirm")).status_code == 405
    page = client.get(url(agreement, name="verify"))
    assert page.status_code == 200 and "Verifikasi semua" in page.content.decode()
    response = client.post(url(agreement, name="verify_return"), {"note": ""}, follow=True)
    assert "Tuliskan apa yang harus diperbaiki" in response.content.decode()
    client.post(url(agreement, name="verify_return"), {"note": "Lampirkan laporan keuangan."})
    assert set(Realisation.objects.values_list("status", flat=True)) == {"dikembalikan"}
    notice = Notification.objects.get(user=cast["operator"])
    assert "Lampirkan laporan keuangan." in notice.message

    client.force_login(cast["operator"])
    page = client.get(url(agreement)).content.decode()
    assert "Lampirkan laporan keuangan." in page and 'name="action"' in page
    data = form_data(agreement, ["90", "1", "WTP", "8"], action="submit",
                     lock_versions=current_locks(agreement))  # fmt: skip
    assert client.post(url(agreement), data).status_code == 302

    client.force_login(cast["ketua"])
    assert client.post(url(agreement, name="verify_confirm")).status_code == 302
    verified = Realisation.objects.all()
    assert {r.status for r in verified} == {"terverifikasi"}
    assert {r.verifier for r in verified} == {cast["ketua"]}
    actions = list(
        QuarterEvent.objects.filter(agreement=agreement).values_list("action", flat=True)
    )
    assert actions == ["save", "submit", "return", "save", "submit", "verify"]

    client.force_login(cast["operator"])
    page = client.get(url(agreement)).content.decode()
    assert "sudah diverifikasi" in page and 'name="action"' not in page


def test_the_submitter_never_verifies_their_own_quarter(client, cast):
    agreement = cast["agreement"]
    ketua = cast["ketua"]

    Membership.objects.create(user=ketua, unit=unit("64.74.sekretariat"), role=Role.OPERATOR)
    client.force_login(ketua)
    data = form_data(agreement, ["90", "1", "WTP", "8"], action="submit")
    assert client.post(url(agreement), data).status_code == 302
    response = client.post(url(agreement, name="verify_confirm"), follow=True)
    assert "tidak dapat memverifikasinya" in response.content.decode()
    assert set(Realisation.objects.values_list("status", flat=True)) == {"diajukan"}


# --- the PK page ----------------------------------------------------------------------------
def test_the_pk_page_shows_a_chart_and_the_capaian_per_quarter(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    client.post(url(agreement), form_data(agreement, ["95", "1", "WDP", "12"]))
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "Pemantauan kinerja 2027" in page
    assert page.count("<svg") == len(INDICATORS)
    assert url(agreement, quarter=4) in page
    assert "Triwulan I: realisasi 95, target 100%, capaian 95%" in page
    assert "95,00%" in page


def test_a_draft_pk_has_no_monitoring_panel(client, cast):
    draft = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    client.force_login(cast["operator"])
    assert "Pemantauan kinerja" not in client.get(draft.get_absolute_url()).content.decode()


def test_the_quarter_closes_at_midnight_in_the_units_own_time(client, cast):
    agreement = cast["agreement"]
    # 15 April, 23:30 in Bontang (WITA) is still the last day; in Jakarta it is 22:30.
    with time_machine.travel(datetime.datetime(2027, 4, 15, 15, 30, tzinfo=datetime.UTC)):
        client.force_login(cast["operator"])
        assert (
            client.post(url(agreement), form_data(agreement, ["90", "1", "WTP", "8"])).status_code
            == 302
        )
    assert Realisation.objects.count() == 4


def test_verifying_stays_possible_after_closing_but_returning_does_not(client, cast):
    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    client.post(url(agreement), form_data(agreement, ["90", "1", "WTP", "8"], action="submit"))
    with time_machine.travel(datetime.datetime(2027, 4, 20, 2, 0, tzinfo=datetime.UTC)):
        client.force_login(cast["ketua"])
        response = client.post(
            url(agreement, name="verify_return"), {"note": "Perbaiki"}, follow=True
        )
        assert "sudah ditutup" in response.content.decode()
        assert set(Realisation.objects.values_list("status", flat=True)) == {"diajukan"}
        client.post(url(agreement, name="verify_confirm"))
    assert set(Realisation.objects.values_list("status", flat=True)) == {"terverifikasi"}


def test_at_most_ten_evidence_files_per_indicator(client, cast):

    agreement = cast["agreement"]
    client.force_login(cast["operator"])
    for n in range(MAX_EVIDENCE_PER_REALISATION):
        data = form_data(agreement, ["90", "1", "WTP", "8"], lock_versions=current_locks(agreement),
                         **{"form-0-evidence": SimpleUploadedFile(f"b{n}.png", a_png())})  # fmt: skip
        assert client.post(url(agreement), data).status_code == 302
    data = form_data(agreement, ["91", "1", "WTP", "8"], lock_versions=current_locks(agreement),
                     **{"form-0-evidence": SimpleUploadedFile("extra.png", a_png())})  # fmt: skip
    response = client.post(url(agreement), data)
    assert response.status_code == 400 and "Paling banyak 10 bukti" in response.content.decode()
    assert Evidence.objects.count() == MAX_EVIDENCE_PER_REALISATION
    assert Realisation.objects.get(row=rows_of(agreement)[0], quarter=1).value == Decimal(90)


@pytest.mark.parametrize(
    ("status", "transition", "allowed"),
    [
        ("draf", "submit", True), ("draf", "verify", False), ("draf", "return_for_correction", False),
        ("diajukan", "submit", False), ("diajukan", "verify", True),
        ("diajukan", "return_for_correction", True),
        ("terverifikasi", "submit", False), ("terverifikasi", "verify", False),
        ("terverifikasi", "return_for_correction", True),
        ("dikembalikan", "submit", True), ("dikembalikan", "verify", False),
        ("dikembalikan", "return_for_correction", False),
    ],
)  # fmt: skip
def test_each_state_and_transition_of_a_realisation(status, transition, allowed):

    realisation = Realisation(quarter=1, status=status)
    args = (None, IN_Q1_WINDOW, "catatan") if transition == "return_for_correction" else (
        None, IN_Q1_WINDOW)  # fmt: skip
    if allowed:
        getattr(realisation, transition)(*args)
        assert realisation.status != status
    else:
        with pytest.raises(TransitionNotAllowed):
            getattr(realisation, transition)(*args)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_keep_one_and_refuse_the_other(cast):

    agreement = cast["agreement"]
    rows = rows_of(agreement)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(user, value):
        try:
            entries = [Entry(row=row, expected_lock_version=None, value=Decimal(value),
                             grade="WTP" if row.target_grade else "") for row in rows]  # fmt: skip
            barrier.wait()
            save_quarter(agreement, 1, entries, user, now=IN_Q1_WINDOW)
            outcomes.append("saved")
        except Exception as exc:  # the outcome is what the test checks
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(cast["operator"], v)) for v in ("10", "20")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["StaleRealisation", "saved"]
    assert Realisation.objects.count() == len(rows)
    assert len({r.value for r in Realisation.objects.all()}) == 1


def _pk_of(size, unit_code):
    """A signed 2027 PK of `size` indicators for a Bontang Subbagian."""
    texts = [(f"Persentase dokumen nomor {i} selesai tepat waktu", "100%") for i in range(size)]
    agreement = start_agreement(unit(unit_code), 2027)
    replace_lampiran(agreement, programme_rows(texts))
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    agreement.refresh_from_db()
    return agreement


def test_the_quarter_form_and_the_pk_page_cost_the_same_queries_at_any_size(
    client, cast, django_capture_on_commit_callbacks
):
    """Saving, resaving and showing the quarter form, and the PK page with a chart per
    indicator, make as many queries for 40 indicators as for 4."""
    client.force_login(cast["operator"])
    counts = {}
    for size in (4, 40):  # the same Subbagian's PK, made again at each size
        Agreement.objects.filter(unit__code="64.74.sekretariat.keuangan").delete()
        agreement = _pk_of(size, "64.74.sekretariat.keuangan")
        counted, form = {}, url(agreement)
        # Warm: what is cached across PKs (the capaian rules, the viewer's memberships) is
        # read once; the saves below change the PK, so its page is rendered again after them.
        client.get(form)
        client.get(agreement.get_absolute_url())
        for step in ("save", "resave"):
            data = form_data(agreement, [f"{size + (step == 'resave')},5"] * size,
                             lock_versions=current_locks(agreement))  # fmt: skip
            committed = django_capture_on_commit_callbacks(execute=True)  # as in production
            with CaptureQueriesContext(connection) as queries, committed:
                assert client.post(form, data).status_code == 302, step
            counted[step] = len(queries)
        for step, page in (("form", form), ("page", agreement.get_absolute_url()),
                           ("page again", agreement.get_absolute_url())):  # fmt: skip
            committed = django_capture_on_commit_callbacks(execute=True)
            with CaptureQueriesContext(connection) as queries, committed:
                assert client.get(page).status_code == 200, step
            counted[step] = len(queries)
        assert Realisation.objects.filter(agreement=agreement, quarter=1).count() == size
        counts[size] = counted
    assert counts[4] == counts[40]
    assert counts[40]["page again"] < counts[40]["page"]  # the charts come from the cache


def test_the_history_lists_twenty_changes_of_a_save_and_counts_the_rest(client, cast):
    client.force_login(cast["operator"])
    agreement = _pk_of(23, "64.74.sekretariat.keuangan")
    assert client.post(url(agreement), form_data(agreement, ["7,5"] * 23)).status_code == 302
    history = client.get(url(agreement)).content.decode().split('id="riwayat-triwulan"')[1]
    listed = history.split("</section>")[0]
    assert listed.count("→ 7,5</li>") == 20
    assert "<li>Persentase dokumen nomor 0 selesai tepat waktu: — → 7,5</li>" in listed
    assert "dan 3 perubahan lain" in listed
