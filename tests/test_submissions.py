"""Routing by PK kind, submitting signed PKs, and the reviewer's decision."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from agreements.drafting import start_agreement
from agreements.models import Agreement, Notification, SignedDocument
from organisations.models import Role
from organisations.signatories import PKKind
from submissions.models import Compilation, Decision
from submissions.routing import Channel, destination_unit, route_for
from submissions.services import SubmissionRefused, decide, record_delivery, submit
from tests.factories import appoint, load_units, make_official, make_user, unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "channel", "scan", "hardcopy", "compiled"),
    [
        (PKKind.KPU, Channel.MINISTRIES, False, True, False),
        (PKKind.SETJEN, Channel.MINISTRIES, False, True, False),
        (PKKind.ESELON_II, Channel.MINISTRIES, False, True, False),
        (PKKind.PROVINSI, Channel.KPU, True, False, False),
        (PKKind.SEKRETARIAT_PROVINSI, Channel.KPU, True, False, False),
        (PKKind.KABKOTA, Channel.PROVINSI, True, True, True),
        (PKKind.SEKRETARIAT_KABKOTA, Channel.PROVINSI, True, True, True),
        (PKKind.SUBUNIT, Channel.INTERNAL, False, False, False),
    ],
)
def test_the_routing_table(kind, channel, scan, hardcopy, compiled):
    route = route_for(kind)
    assert (route.channel, route.needs_scan, route.needs_hardcopy, route.compiled_by_province) == (
        channel, scan, hardcopy, compiled)  # fmt: skip


@pytest.fixture
def offices():
    load_units("64.74", "96.71")
    for code in ["kpu", "setjen", "setjen.biro-perencanaan", "64", "64.sekretariat", "64.74",
                 "64.74.sekretariat", "64.74.sekretariat.keuangan"]:  # fmt: skip
        appoint(code, make_official(f"Kepala {code}"))
    return {
        "operator": make_user("op.bontang", unit_code="64.74.sekretariat"),
        "outsider": make_user("op.sorong", unit_code="96.71.sekretariat"),
        "reviewer": make_user(
            "perencanaan", unit_code="setjen.biro-perencanaan", role=Role.REVIEWER_PERENCANAAN
        ),
        "compiler": make_user("kompilasi", unit_code="64", role=Role.COMPILER),
        "sekretaris": make_user("sekretaris", unit_code="64.74.sekretariat", role=Role.SIGNATORY),
    }


def signed_pk(code, method="basah", year=2027):
    agreement = start_agreement(unit(code), year)
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    agreement.refresh_from_db()
    if method:
        document = SignedDocument(agreement=agreement, revision=agreement.revision, method=method,
                                  sha256="0" * 64, is_complete=True)  # fmt: skip
        document.file.save("pk.pdf", ContentFile(b"%PDF-1.7 signed"), save=True)
    return agreement


def test_destinations_follow_the_route(offices):
    assert destination_unit(signed_pk("64.74.sekretariat")).code == "64"
    assert destination_unit(signed_pk("64.sekretariat")).code == "kpu"
    assert destination_unit(signed_pk("64.74.sekretariat.keuangan")).code == "64.74.sekretariat"
    assert destination_unit(signed_pk("setjen")) is None


def test_a_signed_pk_is_submitted_to_its_province(offices):
    agreement = signed_pk("64.74.sekretariat")
    submission = submit(agreement, offices["operator"])
    agreement.refresh_from_db()
    assert agreement.status == "disampaikan"
    assert (submission.channel, submission.destination.code) == (Channel.PROVINSI, "64")
    assert agreement.events.get().action == "deliver"


def test_where_the_rules_ask_for_a_scan_it_goes_and_an_electronic_original_goes_otherwise(
    offices,
):
    unsigned = signed_pk("64.74.sekretariat", method=None)
    with pytest.raises(SubmissionRefused, match="pindaian dokumen bertanda tangan basah"):
        submit(unsigned, offices["operator"])
    unsigned.refresh_from_db()
    assert unsigned.status == "ditandatangani"

    electronic = signed_pk("64.74.sekretariat", method="elektronik", year=2028)
    assert submit(electronic, offices["operator"]).softcopy.method == "elektronik"

    both = signed_pk("64.74.sekretariat", method="elektronik", year=2029)
    scan = SignedDocument(agreement=both, revision=both.revision, method="basah",
                          sha256="1" * 64, is_complete=True)  # fmt: skip
    scan.file.save("pindaian.pdf", ContentFile(b"%PDF-1.7 scan"), save=True)
    assert submit(both, offices["operator"]).softcopy == scan


def test_only_its_own_office_submits_a_pk(offices):
    agreement = signed_pk("64.74.sekretariat")
    with pytest.raises(SubmissionRefused, match="Hanya penyusun atau penandatangan"):
        submit(agreement, offices["outsider"])
    draft = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    with pytest.raises(SubmissionRefused, match="sudah ditandatangani"):
        submit(draft, offices["operator"])


def test_a_kab_kota_pk_is_decided_only_after_its_province_compiled_it(offices):
    submission = submit(signed_pk("64.74.sekretariat"), offices["operator"])
    with pytest.raises(SubmissionRefused, match="belum dikompilasi"):
        decide(submission, offices["reviewer"], accept=True)
    compilation = Compilation.objects.create(
        province=unit("64"),
        year=2027,
        submitted_at=datetime.datetime(2027, 1, 28, tzinfo=datetime.UTC),
    )
    submission.compilation = compilation
    submission.save()
    with pytest.raises(SubmissionRefused, match="reviewer Biro Perencanaan"):
        decide(submission, offices["compiler"], accept=True)
    decide(submission, offices["reviewer"], accept=True)
    submission.refresh_from_db()
    assert submission.decision == Decision.ACCEPTED
    assert submission.agreement.status == "diterima"


def test_a_return_by_the_reviewer_reopens_the_pk_as_a_new_revision(offices):
    agreement = signed_pk("64.sekretariat")
    submission = submit(agreement, make_user(unit_code="64.sekretariat"))
    with pytest.raises(SubmissionRefused, match="catatan"):
        decide(submission, offices["reviewer"], accept=False)
    decide(submission, offices["reviewer"], accept=False, note="Target IKU di bawah nasional.")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.revision, agreement.is_editable) == (
        "dikembalikan",
        2,
        True,
    )
    event = agreement.events.latest("at")
    assert (event.action, event.note) == ("review_return", "Target IKU di bawah nasional.")
    with pytest.raises(SubmissionRefused, match="sudah diputuskan"):
        decide(submission, offices["reviewer"], accept=True)


def test_a_subbagian_pk_is_decided_by_its_sekretaris(offices):
    submission = submit(
        signed_pk("64.74.sekretariat.keuangan", method="elektronik"), offices["operator"]
    )
    with pytest.raises(SubmissionRefused, match="Sekretaris"):
        decide(submission, offices["reviewer"], accept=True)
    decide(submission, offices["sekretaris"], accept=True)
    assert (
        submission.agreement.__class__.objects.get(pk=submission.agreement_id).status == "diterima"
    )


def test_a_ministry_delivery_needs_a_proof(offices):
    submission = submit(signed_pk("setjen", method="elektronik"), make_user(unit_code="setjen"))
    assert submission.channel == Channel.MINISTRIES
    with pytest.raises(SubmissionRefused, match="nomor tanda terima atau unggah bukti"):
        record_delivery(
            submission, submission.submitted_by, "Kementerian Keuangan", datetime.date(2027, 1, 20)
        )
    delivery = record_delivery(submission, submission.submitted_by, "Kementerian Keuangan",
                               datetime.date(2027, 1, 20), receipt_number="TT-001")  # fmt: skip
    assert delivery.receipt_number == "TT-001"
    with pytest.raises(SubmissionRefused, match="tiga kementerian"):
        record_delivery(
            submission, submission.submitted_by, "Kementerian Lain", datetime.date(2027, 1, 20), "X"
        )


def test_a_reviewer_return_notifies_the_drafters_with_the_note(offices):

    agreement = signed_pk("64.sekretariat")
    drafter = make_user("op.kaltim", unit_code="64.sekretariat")
    submission = submit(agreement, drafter)
    decide(submission, offices["reviewer"], accept=False, note="Lengkapi IKU.")
    notice = Notification.objects.get(user=drafter)
    assert "dikembalikan" in notice.message and "Lengkapi IKU." in notice.message


def test_the_pk_page_sends_a_signed_pk_and_tracks_its_hardcopy(client, offices):

    agreement = signed_pk("64.74.sekretariat")
    client.force_login(offices["operator"])
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "Sampaikan PK" in page and "KPU Provinsi Kalimantan Timur" in page
    url = reverse("submission_submit", args=[agreement.pk])
    assert client.get(url).status_code == 405
    client.force_login(offices["outsider"])
    assert client.post(url).status_code == 404
    client.force_login(offices["operator"])
    assert client.post(url).status_code == 302
    submission = agreement.submissions.get()
    hardcopy = reverse("hardcopy_update", args=[submission.pk])
    client.post(hardcopy, {"hardcopy_sent_on": "2027-01-20", "archive_location": "Lemari A"})
    submission.refresh_from_db()
    assert str(submission.hardcopy_sent_on) == "2027-01-20" and submission.archive_location == ""
    client.force_login(offices["compiler"])
    client.post(
        hardcopy, {"hardcopy_received_on": "2027-01-22", "archive_location": "Lemari A, rak 3"}
    )
    submission.refresh_from_db()
    assert (
        str(submission.hardcopy_received_on) == "2027-01-22"
        and submission.archive_location == "Lemari A, rak 3"
    )
    assert str(submission.hardcopy_sent_on) == "2027-01-20"


def test_a_ministry_delivery_is_recorded_from_the_pk_page(client, offices):

    operator = make_user(unit_code="setjen")
    submission = submit(signed_pk("setjen", method="elektronik"), operator)
    client.force_login(operator)
    client.post(reverse("delivery_add", args=[submission.pk]),
                {"recipient": "Kementerian Keuangan", "sent_on": "2027-01-25", "receipt_number": "TT-9"})  # fmt: skip
    assert submission.deliveries.get().receipt_number == "TT-9"
    page = client.get(reverse("agreements:detail", args=[submission.agreement_id])).content.decode()
    assert "Kementerian Keuangan: 25 Januari 2027 (TT-9)" in page
