"""Wet signatures: the scan of the PK signed on paper is checked by parsing it, then kept."""

import hashlib
import io
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from agreements.documents import LENGKAP, render_pdf
from agreements.models import AgreementEvent, Signature, SignedDocument
from agreements.scans import (
    MAX_SCAN_BYTES,
    confirm_scan,
    confirmable_parties,
    generated_page_count,
    record_wet_signature,
    validate_scan,
)
from agreements.uploads import UnsafePdf, sanitise_pdf, sanitised_upload
from agreements.workflow import WorkflowRefused, perform
from monitoring.evidence import validate_evidence
from organisations.models import Membership
from tests.corpus import files
from tests.factories import make_subbagian_cast, subbagian_rows

pytestmark = pytest.mark.django_db
ROWS = subbagian_rows()


@pytest.fixture
def cast():
    """The approved Subbagian Keuangan PK of Bontang and everyone around it."""
    agreement, users = make_subbagian_cast()
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "approve", users["approver"])
    return agreement, users


def pdf_bytes(pages: int, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if password is not None:
        writer.encrypt(password, "pemilik")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload(data: bytes, name="pindaian.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored_scans() -> list[str]:
    try:
        return default_storage.listdir("signed")[0] + default_storage.listdir("signed")[1]
    except FileNotFoundError:
        return []


def test_a_real_pdf_with_enough_pages_is_accepted(cast):
    agreement, _users = cast
    pages = generated_page_count(agreement)
    data = pdf_bytes(pages + 1)
    info = validate_scan(upload(data), agreement)
    assert info.page_count == pages + 1
    assert info.sha256 == hashlib.sha256(info.content).hexdigest()  # the file as stored


def test_the_generated_document_itself_is_accepted(cast):
    agreement, _users = cast
    data = render_pdf(agreement, LENGKAP)
    assert validate_scan(upload(data), agreement).page_count == generated_page_count(agreement)


def _truncated_pdf() -> bytes:
    data = pdf_bytes(3)
    return data[: len(data) // 2]


REFUSED = {
    "a text file named .pdf": (lambda pages: b"Tanda tangan sudah dibubuhkan.\n" * 50,
                               "bukan PDF yang utuh"),
    "an HTML file with a PDF header": (
        lambda pages: b"%PDF-1.7\n<html><script>alert('x')</script></html>\n%%EOF\n",
        "bukan PDF yang utuh"),
    "a truncated PDF": (lambda pages: _truncated_pdf(), "bukan PDF yang utuh"),
    "an encrypted PDF": (lambda pages: pdf_bytes(pages, password=""), "terenkripsi"),
    "a PDF with too few pages": (lambda pages: pdf_bytes(pages - 1),
                                 "halaman, padahal dokumen PK yang dicetak"),
    "an empty file": (lambda pages: b"", "kosong"),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSED)
def test_a_bad_file_is_refused_with_the_reason_and_nothing_is_saved(cast, case):
    agreement, users = cast
    make, message = REFUSED[case]
    data = make(generated_page_count(agreement))
    with pytest.raises(ValidationError, match=message):
        validate_scan(upload(data), agreement)
    with pytest.raises(ValidationError, match=message):
        record_wet_signature(agreement, upload(data), users["drafter"])
    agreement.refresh_from_db()
    assert agreement.status == "disetujui"
    assert not SignedDocument.objects.exists() and not Signature.objects.exists()
    assert stored_scans() == []
    assert not AgreementEvent.objects.filter(action="sign").exists()


class HugeUpload:
    """An upload that says it is over 20 MB and fails the test if anything reads it."""

    name = "besar.pdf"
    size = MAX_SCAN_BYTES + 1

    def _read(self, *args, **kwargs):
        raise AssertionError("the size must be checked before the file is read")

    read = chunks = seek = __iter__ = _read


def test_a_file_over_20_mb_is_refused_before_it_is_read(cast):
    agreement, users = cast
    with pytest.raises(ValidationError, match="terlalu besar .*Batasnya 20 MB"):
        validate_scan(HugeUpload(), agreement)
    with pytest.raises(ValidationError, match="terlalu besar"):
        record_wet_signature(agreement, HugeUpload(), users["drafter"])
    assert not SignedDocument.objects.exists()


def test_a_good_upload_waits_for_each_partys_confirmation_then_signs(client, cast):
    agreement, users = cast
    data = pdf_bytes(generated_page_count(agreement))
    client.force_login(users["drafter"])
    url = reverse("agreements:scan_upload", args=[agreement.pk])
    response = client.post(url, {"pindaian": upload(data)}, follow=True)
    assert "menunggu konfirmasi setiap penandatangan" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "pindaian_diunggah"
    document = SignedDocument.objects.get()
    assert (document.method, document.revision, document.is_complete) == ("basah", 1, False)
    assert document.page_count == generated_page_count(agreement)
    assert document.created_by == users["drafter"]
    with default_storage.open(document.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
    assert not document.signatures.exists()
    # The drafter confirms nothing; Pihak Pertama confirms theirs: still waiting.
    assert confirmable_parties(agreement, users["drafter"]) == []
    with pytest.raises(WorkflowRefused):
        confirm_scan(agreement, users["drafter"])
    client.force_login(users["pihak_pertama"])
    review = client.get(reverse("agreements:review", args=[agreement.pk])).content.decode()
    assert "Ya, ini kertas yang saya tanda tangani" in review
    client.post(reverse("agreements:scan_confirm", args=[agreement.pk]))
    agreement.refresh_from_db()
    assert agreement.status == "pindaian_diunggah"
    # Pihak Kedua (the approver's account) confirms: now Ditandatangani.
    client.force_login(users["approver"])
    response = client.post(reverse("agreements:scan_confirm", args=[agreement.pk]), follow=True)
    assert "sekarang Ditandatangani" in response.content.decode()
    agreement.refresh_from_db()
    document.refresh_from_db()
    assert agreement.status == "ditandatangani" and document.is_complete
    signatures = {s.party: s for s in document.signatures.all()}
    assert signatures["pihak_pertama"].signer_name == agreement.pihak_pertama_name
    assert signatures["pihak_pertama"].user == users["pihak_pertama"]
    assert signatures["pihak_kedua"].signer_name == agreement.pihak_kedua_name
    assert signatures["pihak_kedua"].user == users["approver"]
    assert [e.action for e in agreement.events.order_by("at", "pk")][-2:] == ["upload_scan", "sign"]
    assert agreement.events.last().actor == users["approver"]


def test_the_approver_confirms_for_a_party_without_an_account(cast):
    agreement, users = cast
    Membership.objects.filter(user=users["pihak_pertama"]).update(is_active=False)
    record_wet_signature(agreement, upload(pdf_bytes(generated_page_count(agreement))),
                         users["drafter"])  # fmt: skip
    assert confirmable_parties(agreement, users["approver"]) == ["pihak_pertama", "pihak_kedua"]
    confirm_scan(agreement, users["approver"])
    agreement.refresh_from_db()
    assert agreement.status == "ditandatangani"
    assert {s.user for s in Signature.objects.all()} == {users["approver"]}


def test_a_signatory_rejects_a_scan_that_is_not_their_paper(client, cast):
    agreement, users = cast
    record_wet_signature(agreement, upload(pdf_bytes(generated_page_count(agreement))),
                         users["drafter"])  # fmt: skip
    client.force_login(users["pihak_pertama"])
    url = reverse("agreements:scan_reject", args=[agreement.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"note": "Bukan kertas saya."})
    agreement.refresh_from_db()
    assert agreement.status == "disetujui"
    assert not SignedDocument.objects.exists()
    event = agreement.events.last()
    assert (event.action, event.note, event.actor) == ("reject_scan", "Bukan kertas saya.",
                                                       users["pihak_pertama"])  # fmt: skip


def test_a_signatory_may_upload_and_the_scan_is_only_a_download(client, cast):
    agreement, users = cast
    client.force_login(users["pihak_pertama"])
    data = pdf_bytes(generated_page_count(agreement))
    client.post(reverse("agreements:scan_upload", args=[agreement.pk]), {"pindaian": upload(data)})
    agreement.refresh_from_db()
    assert agreement.status == "pindaian_diunggah"  # uploading is not confirming
    document = SignedDocument.objects.get()
    page = client.get(reverse("agreements:review", args=[agreement.pk])).content.decode()
    scan_url = reverse("agreements:scan_file", args=[agreement.pk, document.pk])
    assert f'href="{scan_url}"' in page and f'src="{scan_url}"' not in page
    response = client.get(scan_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == document.sha256


def test_another_offices_user_gets_a_404_and_nothing_is_saved(client, cast):
    agreement, users = cast
    data = pdf_bytes(generated_page_count(agreement))
    client.force_login(users["outsider"])
    url = reverse("agreements:scan_upload", args=[agreement.pk])
    assert client.post(url, {"pindaian": upload(data)}).status_code == 404
    assert not SignedDocument.objects.exists()


def test_someone_who_neither_drafts_nor_signs_is_refused(client, cast):
    agreement, users = cast
    client.force_login(users["compiler"])  # sees the province's PKs, signs none of them
    url = reverse("agreements:scan_upload", args=[agreement.pk])
    data = pdf_bytes(generated_page_count(agreement))
    response = client.post(url, {"pindaian": upload(data)}, follow=True)
    assert "Hanya penyusun atau penandatangan PK ini" in response.content.decode()
    assert not SignedDocument.objects.exists() and stored_scans() == []
    with pytest.raises(WorkflowRefused):
        record_wet_signature(agreement, upload(data), users["compiler"])


def test_a_pk_not_yet_approved_takes_no_scan(client, cast):
    agreement, users = cast
    perform(agreement, "return", users["approver"], note="Perbaiki target.")
    client.force_login(users["drafter"])
    response = client.post(
        reverse("agreements:scan_upload", args=[agreement.pk]),
        {"pindaian": upload(pdf_bytes(5))},
        follow=True,
    )
    assert "hanya dapat diunggah untuk PK berstatus Disetujui" in response.content.decode()
    assert not SignedDocument.objects.exists()


def test_a_missing_file_says_so(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    url = reverse("agreements:scan_upload", args=[agreement.pk])
    response = client.post(url, follow=True)
    assert "Pilih berkas PDF" in response.content.decode()


def test_the_upload_refuses_get(client, cast):
    agreement, users = cast
    client.force_login(users["drafter"])
    assert client.get(reverse("agreements:scan_upload", args=[agreement.pk])).status_code == 405


def test_the_scan_is_a_404_for_another_office(client, cast):
    agreement, users = cast
    record_wet_signature(
        agreement, upload(pdf_bytes(generated_page_count(agreement))), users["drafter"]
    )
    document = SignedDocument.objects.get()
    client.force_login(users["outsider"])
    assert client.get(
        reverse("agreements:scan_file", args=[agreement.pk, document.pk])
    ).status_code == 404  # fmt: skip


# --- finding 2 of the independent test (issue 16), replayed ----------------------------------
ACTIVE = [b"JavaScript", b"app.alert", b"OpenAction", b"/AA", b"Launch", b"cmd.exe",
          b"EmbeddedFile", b"MZ-payload"]  # fmt: skip


def test_finding_2_a_javascript_pdf_leaves_the_pk_awaiting_confirmation_and_runs_nothing(
    client, cast
):
    agreement, users = cast
    data = files.javascript_pdf(max(10, generated_page_count(agreement)))
    assert all(marker in data for marker in ACTIVE)
    client.force_login(users["drafter"])  # the operator of the finding
    client.post(reverse("agreements:scan_upload", args=[agreement.pk]),
                {"pindaian": upload(data)})  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.status == "pindaian_diunggah"  # not Ditandatangani
    document = SignedDocument.objects.get()
    with default_storage.open(document.file.name, "rb") as handle:
        kept = handle.read()
    assert not [marker for marker in ACTIVE if marker in kept]
    served = client.get(reverse("agreements:scan_file", args=[agreement.pk, document.pk]))
    assert served["Content-Disposition"].startswith("attachment")
    assert served["Content-Security-Policy"].startswith("sandbox")
    assert served["X-Content-Type-Options"] == "nosniff"

    # The public verification page says what the portal knows, and claims no signature.
    client.logout()
    verification = reverse("verification", args=[document.verification_code])
    page = client.get(verification).content.decode()
    assert "Dokumen ini adalah pindaian kertas yang ditandatangani basah, bukan tanda tangan " \
           "elektronik." in page  # fmt: skip
    assert "pindaian diunggah oleh op.keuangan pada " in page
    assert "belum dikonfirmasi oleh setiap penandatangan." in page
    assert "dikonfirmasi oleh kasubbag" not in page and "Sertifikat" not in page


def test_the_verification_page_of_a_confirmed_scan_names_who_confirmed_when(client, cast):
    agreement, users = cast
    record_wet_signature(agreement, upload(pdf_bytes(generated_page_count(agreement))),
                         users["drafter"])  # fmt: skip
    confirm_scan(agreement, users["pihak_pertama"])
    confirm_scan(agreement, users["approver"])
    document = SignedDocument.objects.get()
    page = client.get(reverse("verification", args=[document.verification_code])).content.decode()
    when = document.signatures.get(party="pihak_pertama").signed_at
    local = when.astimezone(zoneinfo.ZoneInfo(agreement.unit.time_zone))
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember"]  # fmt: skip
    day = f"{local.day} {months[local.month - 1]} {local.year} pukul {local:%H.%M}"
    assert (f"dikonfirmasi oleh kasubbag sebagai Pihak Pertama ({agreement.pihak_pertama_name}) "
            f"pada {day}") in page  # fmt: skip
    assert "dikonfirmasi oleh sekretaris sebagai Pihak Kedua" in page
    assert "belum dikonfirmasi" not in page
    assert "Tanda tangan elektronik" not in page.split('id="wet-statement"')[1].split("</div>")[0]


def test_a_javascript_pdf_as_evidence_or_proof_is_kept_without_its_javascript():

    data = files.javascript_pdf(1)
    info = validate_evidence(upload(data, "bukti.pdf"))
    assert info.content_type == "application/pdf" and info.content
    assert not [marker for marker in ACTIVE if marker in info.content]
    assert info.sha256 == hashlib.sha256(info.content).hexdigest()
    proof = sanitised_upload(upload(data, "tanda-terima.pdf"), "application/pdf")
    assert proof.name == "tanda-terima.pdf"
    assert not [marker for marker in ACTIVE if marker in proof.read()]


def test_a_pdf_that_cannot_be_rewritten_is_refused():

    with pytest.raises(UnsafePdf):
        sanitise_pdf(b"%PDF-1.7\n<script>alert(1)</script>")


def test_the_verification_page_stays_up_when_the_uploaders_account_is_gone(client, cast):
    """The uploader's and a confirming signatory's accounts may be deleted (SET_NULL): the
    public page still answers, with a dash where the name was."""
    agreement, users = cast
    record_wet_signature(agreement, upload(pdf_bytes(generated_page_count(agreement))),
                         users["drafter"])  # fmt: skip
    confirm_scan(agreement, users["pihak_pertama"])
    users["drafter"].delete()
    users["pihak_pertama"].delete()
    document = SignedDocument.objects.get()
    response = client.get(reverse("verification", args=[document.verification_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "pindaian diunggah oleh — pada " in page
    assert "dikonfirmasi oleh — sebagai Pihak Pertama" in page
