"""Wet signatures: the scan of the PK signed on paper is checked by parsing it, then kept."""

import hashlib
import io

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
    generated_page_count,
    record_wet_signature,
    validate_scan,
)
from agreements.workflow import WorkflowRefused, perform
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
    assert info.sha256 == hashlib.sha256(data).hexdigest()


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


def test_a_good_upload_signs_the_pk_with_both_parties_as_printed(client, cast):
    agreement, users = cast
    data = pdf_bytes(generated_page_count(agreement))
    client.force_login(users["drafter"])
    url = reverse("agreements:scan_upload", args=[agreement.pk])
    response = client.post(url, {"pindaian": upload(data)}, follow=True)
    assert "sekarang berstatus Ditandatangani" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "ditandatangani"
    document = SignedDocument.objects.get()
    assert (document.method, document.revision, document.is_complete) == ("basah", 1, True)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.page_count == generated_page_count(agreement)
    assert document.created_by == users["drafter"]
    with default_storage.open(document.file.name, "rb") as handle:
        assert handle.read() == data
    signatures = {s.party: s for s in document.signatures.all()}
    assert signatures["pihak_pertama"].signer_name == agreement.pihak_pertama_name
    assert signatures["pihak_pertama"].signer_position == agreement.pihak_pertama_position
    assert signatures["pihak_kedua"].signer_name == agreement.pihak_kedua_name
    assert {s.user for s in signatures.values()} == {users["drafter"]}
    assert agreement.events.last().action == "sign"


def test_a_signatory_may_upload_and_the_scan_shows_beside_the_document(client, cast):
    agreement, users = cast
    client.force_login(users["pihak_pertama"])
    data = pdf_bytes(generated_page_count(agreement))
    client.post(reverse("agreements:scan_upload", args=[agreement.pk]), {"pindaian": upload(data)})
    agreement.refresh_from_db()
    assert agreement.status == "ditandatangani"
    document = SignedDocument.objects.get()
    page = client.get(reverse("agreements:review", args=[agreement.pk])).content.decode()
    scan_url = reverse("agreements:scan_file", args=[agreement.pk, document.pk])
    assert f'src="{scan_url}"' in page
    assert f'src="{reverse("agreements:review_pdf", args=[agreement.pk])}"' in page
    response = client.get(scan_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(response.streaming_content) == data
    download = client.get(scan_url + "?unduh=1")
    assert download["Content-Disposition"].startswith("attachment")


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
