"""Electronic signing: two PAdES signatures validated by pyHanko, the refusals, the pages,
the development keys and the BSrE client against a fake local eSign Client Service."""

import hashlib
import html
import io
import json
import re
import subprocess
import threading
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pikepdf
import pytest
from asn1crypto import pem, x509
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from agreements.documents import render_html, render_pdf
from agreements.documents.rendering import layout
from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.models import AgreementEvent, Signature, SignedDocument
from agreements.signing import devkeys, placement, service
from agreements.signing.service import (
    FIELD_NAMES,
    SigningRefused,
    panel_context,
    sign_agreement,
    signing_state,
)
from agreements.signing.signers import (
    BSrESigner,
    PKCS12Signer,
    SignerIdentity,
    SignerRejected,
    SignerUnavailable,
    key_storage_name,
)
from agreements.templatetags.pk_workflow import subjek_sertifikat
from agreements.workflow import perform
from indicators.targets import parse_target
from organisations.models import Official, Role
from tests.factories import (
    appoint,
    give_otp_device,
    load_units,
    make_official,
    make_user,
    otp_code,
    unit,
    verify_otp,
)

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-uji-yang-panjang"  # the one make_user gives
SECRET = devkeys.DEMO_SIGNING_SECRET  # what create_dev_signing_keys enrols officials with
KEUANGAN = "64.74.sekretariat.keuangan"
ROWS = [
    LampiranRow(INDIKATOR, "076.01.WA", "Program Dukungan Manajemen", "", "Pengelolaan Keuangan",
                "Terkelolanya keuangan", "Persentase laporan keuangan tepat waktu",
                parse_target("100%")),
    LampiranRow(ANGGARAN, "076.01.WA", "Program Dukungan Manajemen", anggaran=404_205_000),
]  # fmt: skip


@pytest.fixture
def cast():
    """The Subbagian Keuangan PK of Bontang, its signatories' keys, and everyone around it."""
    load_units("64.74", "96.71")
    ketua = appoint("64.74", make_official("Muzarroby Renfly")).official
    sekretaris = appoint(
        "64.74.sekretariat", make_official("Bambang Rahmadhany", nip="197906232009121001")
    ).official
    kasubbag = appoint(KEUANGAN, make_official("Indra Lesmana", nip="198503122010121002")).official
    agreement = start_agreement(unit(KEUANGAN), 2027)
    replace_lampiran(agreement, ROWS)
    users = {
        "drafter": make_user("op.keuangan", unit_code=KEUANGAN),
        "pihak_pertama": make_user("kasubbag", unit_code=KEUANGAN, role=Role.SIGNATORY,
                                   official=kasubbag),
        "pihak_kedua": make_user("sekretaris", unit_code="64.74.sekretariat",
                                 role=Role.SIGNATORY, official=sekretaris),
        "ketua": make_user("ketua", unit_code="64.74", role=Role.SIGNATORY, official=ketua),
        "outsider": make_user("op.sorong", unit_code="96.71.sekretariat"),
    }  # fmt: skip
    devkeys.create_dev_signing_keys([kasubbag, sekretaris])
    for signatory in ("pihak_pertama", "pihak_kedua", "ketua"):
        verify_otp(users[signatory])  # as if each had given a one-time code this session
    return agreement, users


def approve(agreement, users):
    perform(agreement, "submit", users["drafter"])
    perform(agreement, "approve", users["pihak_kedua"])
    return agreement


def sign_as(agreement, users, party, **kwargs):
    kwargs.setdefault("secret", SECRET)
    return sign_agreement(agreement, party, users[party], PASSWORD, **kwargs)


def stored(document) -> bytes:
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        return handle.read()


def validate(pdf: bytes):
    """pyHanko's verdict on every signature of `pdf`, trusting only the development CA."""

    _type, _headers, der = pem.unarmor(devkeys.dev_ca_certificate_pem())
    context = ValidationContext(trust_roots=[x509.Certificate.load(der)], allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(pdf))
    return {
        sig.field_name: validate_pdf_signature(sig, context) for sig in reader.embedded_signatures
    }


# --- the two signatures ----------------------------------------------------------------------
def test_both_parties_sign_and_pyhanko_trusts_both_signatures(cast):
    agreement, users = approve(*cast), cast[1]

    first = sign_as(agreement, users, "pihak_pertama")
    assert agreement.status == "disetujui"
    document = first.document
    assert (document.method, document.revision, document.is_complete) == ("elektronik", 1, False)
    after_first = stored(document)
    assert hashlib.sha256(after_first).hexdigest() == document.sha256
    only = validate(after_first)[FIELD_NAMES["pihak_pertama"]]
    assert only.intact and only.valid and only.trusted and only.bottom_line

    second = sign_as(agreement, users, "pihak_kedua")
    document.refresh_from_db()
    final = stored(document)
    assert final.startswith(after_first)  # an incremental update: the first revision kept
    assert document.is_complete and document.sha256 == hashlib.sha256(final).hexdigest()
    assert document.page_count >= 2
    statuses = validate(final)
    assert set(statuses) == {"TTE_PihakPertama", "TTE_PihakKedua"}
    for status in statuses.values():
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.bottom_line, status.pretty_print_details()
    # The first signature still covers its own revision, and the second only added a form
    # field: pyHanko accepts the later change.
    assert statuses["TTE_PihakPertama"].modification_level.name in {"FORM_FILLING", "NONE"}
    assert statuses["TTE_PihakKedua"].coverage.name == "ENTIRE_FILE"

    agreement.refresh_from_db()
    assert agreement.status == "ditandatangani"
    event = AgreementEvent.objects.get(agreement=agreement, action="sign")
    assert (event.from_status, event.actor) == ("disetujui", users["pihak_kedua"])
    rows = list(Signature.objects.filter(document=document).order_by("signed_at"))
    assert [(s.party, s.signer_name, s.signer_nip, s.user) for s in rows] == [
        ("pihak_pertama", "Indra Lesmana", "198503122010121002", users["pihak_pertama"]),
        ("pihak_kedua", "Bambang Rahmadhany", "197906232009121001", users["pihak_kedua"]),
    ]
    assert rows[0].signer_position == agreement.pihak_pertama_position
    assert "Indra Lesmana" in first.certificate_subject
    assert "Bambang Rahmadhany" in second.certificate_subject
    # Only the final file is kept.
    assert SignedDocument.objects.count() == 1


def test_each_stamp_sits_in_the_box_the_statement_page_reserved(cast):

    agreement, users = approve(*cast), cast[1]
    sign_as(agreement, users, "pihak_pertama")
    document = sign_as(agreement, users, "pihak_kedua").document
    final = stored(document)
    reader = PdfFileReader(io.BytesIO(final))
    widgets = {}
    for page_index in range(int(reader.root["/Pages"]["/Count"])):
        page_ref, _resources = reader.find_page_for_modification(page_index)
        for annot in page_ref.get_object().get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                widgets[str(annot["/T"])] = (page_index, [float(v) for v in annot["/Rect"]])
    for party, field in FIELD_NAMES.items():
        box = placement.find_box(final, placement.ANCHORS[party])
        page_index, rect = widgets[field]
        assert page_index == box.page_index == 0  # the statement page
        assert rect == pytest.approx(box.box, abs=1)
    # Pihak Kedua's box on the left, Pihak Pertama's on the right, side by side.
    assert widgets["TTE_PihakKedua"][1][2] < widgets["TTE_PihakPertama"][1][0]


def text_in_box(pdf: bytes, found: placement.Placement) -> str:
    """What pdftotext reads inside `found`'s box (its own coordinates: top-left, 72 dpi)."""
    x1, y1, x2, y2 = found.box
    reader = PdfFileReader(io.BytesIO(pdf))
    page_ref, _resources = reader.find_page_for_modification(found.page_index)
    height = float(page_ref.get_object()["/MediaBox"][3])
    number = str(found.page_index + 1)
    args = ["-f", number, "-l", number, "-x", str(int(x1)), "-y", str(int(height - y2))]
    args += ["-W", str(int(x2 - x1) + 1), "-H", str(int(y2 - y1) + 1)]
    result = subprocess.run(
        ["/usr/bin/pdftotext", *args, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def test_each_lampiran_box_points_to_its_partys_signature_and_both_stay_valid(cast, tmp_path):
    agreement, users = approve(*cast), cast[1]
    sign_as(agreement, users, "pihak_pertama")
    document = sign_as(agreement, users, "pihak_kedua").document
    final = stored(document)

    names = {"pihak_pertama": "Indra Lesmana", "pihak_kedua": "Bambang Rahmadhany"}
    for party, name in names.items():
        box = placement.find_box(final, placement.LAMPIRAN_ANCHORS[party])
        assert box.page_index > 0  # under the lampiran, not on the statement page
        text = text_in_box(final, box)
        assert "Tanda tangan elektronik" in text and name in text, text
        assert "halaman pernyataan" in text and document.verification_code in text.replace(" ", "")
        other = names["pihak_kedua" if party == "pihak_pertama" else "pihak_pertama"]
        assert other not in text
        stamp = text_in_box(final, placement.find_box(final, placement.ANCHORS[party]))
        assert "Ditandatangani secara elektronik oleh:" in stamp and name in stamp, stamp
    # The stamps' glyph widths are in thousandths of an em, as PDF reads them (no glyph of
    # Liberation Sans is wider than an em): letters are not spread out and lines not cut.
    with pikepdf.open(io.BytesIO(final)) as opened:
        widths = [
            float(width)
            for font in opened.objects
            if isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == "/CIDFontType2"
            for entry in font.get("/W", [])
            if isinstance(entry, pikepdf.Array)
            for width in entry
        ]
    assert widths and max(widths) <= 1015, max(widths)
    statuses = validate(final)
    assert set(statuses) == {"TTE_PihakPertama", "TTE_PihakKedua"}
    for status in statuses.values():
        assert status.intact and status.valid and status.bottom_line, status.pretty_print_details()
    assert statuses["TTE_PihakPertama"].modification_level.name in {"FORM_FILLING", "NONE"}
    (tmp_path / "signed.pdf").write_bytes(final)
    fonts = subprocess.run(
        ["/usr/bin/pdffonts", str(tmp_path / "signed.pdf")], capture_output=True, check=True
    ).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts


def test_the_stamp_size_is_the_size_of_the_laid_out_box(cast):
    """The PDF's named destinations give the box's corner; its size is a constant that must
    stay the size of `.sig-box` as WeasyPrint lays it out (CSS px × 0.75, y flipped)."""

    agreement, _users = approve(*cast), cast[1]
    pdf = render_pdf(agreement, "lengkap")
    pages = layout(render_html(agreement, "pernyataan")).pages
    for party, anchor in placement.ANCHORS.items():
        page_index = next(i for i, p in enumerate(pages) if anchor in p.anchors)
        x1, y1, x2, y2 = pages[page_index].anchors[anchor]  # CSS px, y downwards
        found = placement.find_box(pdf, anchor)
        assert found.page_index == page_index, party
        fx1, fy1, fx2, fy2 = found.box
        assert (fx2 - fx1, fy2 - fy1) == pytest.approx(
            ((x2 - x1) * 0.75, (y2 - y1) * 0.75), abs=0.5
        )
        page_height = pages[page_index].height * 0.75
        assert (fx1, fy2) == pytest.approx((x1 * 0.75, page_height - y1 * 0.75), abs=0.5)


def test_a_file_changed_by_one_byte_is_not_the_signed_file(client, cast):
    agreement, users = approve(*cast), cast[1]
    sign_as(agreement, users, "pihak_pertama")
    document = sign_as(agreement, users, "pihak_kedua").document
    final = stored(document)
    at = final.index(b"stream", 200) + 40  # inside the first page's content stream
    tampered = final[:at] + bytes([final[at] ^ 0x01]) + final[at + 1 :]
    assert len(tampered) == len(final)

    for status in validate(tampered).values():
        assert not status.intact and not status.bottom_line

    url = reverse("verification", args=[document.verification_code])
    upload = SimpleUploadedFile("pk.pdf", tampered, content_type="application/pdf")
    html = client.post(url, {"file": upload}).content.decode()
    assert "Tidak cocok" in html and "BUKAN berkas yang ditandatangani" in html
    assert hashlib.sha256(tampered).hexdigest() in html


# --- refusals ----------------------------------------------------------------------------------
def assert_refused(agreement, user, party, match, password=PASSWORD):
    with pytest.raises(SigningRefused, match=match):
        sign_agreement(agreement, party, user, password, secret=SECRET)


def test_a_wrong_password_is_refused(cast):
    agreement, users = approve(*cast), cast[1]
    assert_refused(agreement, users["pihak_pertama"], "pihak_pertama", "Sandi .* salah",
                   password="bukan-sandinya")  # fmt: skip
    assert_refused(agreement, users["pihak_pertama"], "pihak_pertama", "Sandi .* salah",
                   password="")  # fmt: skip
    assert not SignedDocument.objects.exists()


@pytest.mark.parametrize(
    ("who", "party"),
    [
        ("drafter", "pihak_pertama"),
        ("outsider", "pihak_pertama"),
        ("pihak_kedua", "pihak_pertama"),
        ("ketua", "pihak_kedua"),
        ("pihak_pertama", "pihak_kedua"),
    ],
)
def test_only_the_partys_own_official_may_sign_for_it(cast, who, party):
    agreement, users = approve(*cast), cast[1]
    if party == "pihak_kedua":
        sign_as(agreement, users, "pihak_pertama")
    assert_refused(agreement, users[who], party, "Anda bukan")
    assert not Signature.objects.filter(party=party).exists()


def test_pihak_kedua_cannot_sign_before_pihak_pertama(cast):
    agreement, users = approve(*cast), cast[1]
    assert_refused(agreement, users["pihak_kedua"], "pihak_kedua",
                   "Pihak Pertama harus menandatangani lebih dahulu")  # fmt: skip
    assert not SignedDocument.objects.exists()


@pytest.mark.parametrize("state", ["draf", "diajukan", "dikembalikan", "ditandatangani"])
def test_only_an_approved_pk_is_signed(cast, state):
    agreement, users = cast
    agreement.__class__.objects.filter(pk=agreement.pk).update(status=state)
    agreement.refresh_from_db()
    assert_refused(agreement, users["pihak_pertama"], "pihak_pertama",
                   "hanya PK yang telah disetujui")  # fmt: skip
    assert not SignedDocument.objects.exists()


def test_a_party_cannot_sign_twice(cast):
    agreement, users = approve(*cast), cast[1]
    document = sign_as(agreement, users, "pihak_pertama").document
    before = stored(document)
    assert_refused(agreement, users["pihak_pertama"], "pihak_pertama", "sudah menandatangani")
    assert stored(document) == before and Signature.objects.count() == 1


def test_a_second_click_on_a_stale_page_is_refused_under_the_lock(cast, monkeypatch):
    """Both clicks pass the first check; the second finds the signature once it holds the lock."""

    agreement, users = approve(*cast), cast[1]
    sign_as(agreement, users, "pihak_pertama")
    calls = []
    real = service.refusal

    def first_check_sees_a_stale_page(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(service, "refusal", first_check_sees_a_stale_page)
    with pytest.raises(SigningRefused, match="sudah menandatangani"):
        sign_as(agreement, users, "pihak_pertama")
    assert Signature.objects.count() == 1


def test_a_signer_that_rewrites_the_file_is_refused(cast, monkeypatch):
    """Pihak Kedua's signature must be appended: a rewritten file would void Pihak Pertama's."""

    agreement, users = approve(*cast), cast[1]
    document = sign_as(agreement, users, "pihak_pertama").document
    before = stored(document)
    real_sign = PKCS12Signer.sign

    def rewriting_sign(self, pdf, **kwargs):
        signed = real_sign(self, pdf, **kwargs)
        out = io.BytesIO()
        with pikepdf.open(io.BytesIO(signed)) as rewritten:
            rewritten.save(out)
        return out.getvalue()

    monkeypatch.setattr(PKCS12Signer, "sign", rewriting_sign)
    with pytest.raises(SigningRefused, match="tidak sah"):
        sign_as(agreement, users, "pihak_kedua")
    assert stored(document) == before and Signature.objects.count() == 1
    agreement.refresh_from_db()
    assert agreement.status == "disetujui"


def test_an_official_without_a_key_gets_a_clear_message(cast):

    agreement, users = approve(*cast), cast[1]
    default_storage.delete(key_storage_name(agreement.pihak_pertama_official_id))
    assert_refused(agreement, users["pihak_pertama"], "pihak_pertama", "belum mendaftarkan kunci")
    assert not SignedDocument.objects.exists()


def test_a_return_between_the_signatures_starts_a_new_document_for_the_new_revision(client, cast):
    agreement, users = approve(*cast), cast[1]
    old = sign_as(agreement, users, "pihak_pertama").document
    perform(agreement, "return", users["pihak_kedua"], note="Target perlu diperbaiki.")
    replace_lampiran(agreement, ROWS)
    approve(agreement, users)
    assert agreement.revision == 2
    sign_as(agreement, users, "pihak_pertama")
    new = sign_as(agreement, users, "pihak_kedua").document
    assert (new.revision, new.is_complete) == (2, True) and new.pk != old.pk
    old.refresh_from_db()
    assert (old.revision, old.is_complete, old.signatures.count()) == (1, False, 1)
    html = client.get(reverse("verification", args=[old.verification_code])).content.decode()
    assert "bukan revisi terakhir PK" in html and "belum lengkap" in html


def test_a_single_signatory_pk_is_complete_after_pihak_pertama(cast):
    agreement, users = cast
    kota = start_agreement(unit("64.74"), 2027)
    replace_lampiran(kota, ROWS)
    devkeys.create_dev_signing_keys([users["ketua"].memberships.get().official])
    operator = make_user("op.kota", unit_code="64.74")
    perform(kota, "submit", operator)
    perform(kota, "approve", users["ketua"])
    assert_refused(kota, users["ketua"], "pihak_kedua", "hanya ditandatangani oleh Pihak Pertama")
    signature = sign_agreement(kota, "pihak_pertama", users["ketua"], PASSWORD, secret=SECRET)
    kota.refresh_from_db()
    assert signature.document.is_complete and kota.status == "ditandatangani"
    (status,) = validate(stored(signature.document)).values()
    assert status.bottom_line


def test_without_recorded_officials_the_unit_signatories_sign(cast):
    agreement, users = approve(*cast), cast[1]
    agreement.__class__.objects.filter(pk=agreement.pk).update(
        pihak_pertama_official=None, pihak_kedua_official=None
    )
    agreement.refresh_from_db()
    assert_refused(agreement, users["pihak_kedua"], "pihak_pertama", "Anda bukan")
    sign_as(agreement, users, "pihak_pertama")
    sign_as(agreement, users, "pihak_kedua")
    agreement.refresh_from_db()
    assert agreement.status == "ditandatangani"


# --- pages -------------------------------------------------------------------------------------
def test_the_signatory_signs_through_the_page(client, cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code, then at once the right one
    agreement, users = approve(*cast), cast[1]
    url = reverse("agreements:sign", args=[agreement.pk])
    client.force_login(users["pihak_pertama"])
    page = client.get(url).content.decode()
    assert "sebagai <strong>Pihak Pertama</strong>" in page
    assert "Tandatangani secara elektronik" in page
    assert 'name="otp_token"' in page  # not yet given in this session

    no_code = client.post(
        url, {"party": "pihak_pertama", "password": PASSWORD, "signing_secret": SECRET}
    )
    assert "otp_token" in no_code.context["form"].errors
    # The right code with a wrong password: the code counts for the session, the password not.
    code = otp_code(users["pihak_pertama"])
    refused = client.post(url, {"party": "pihak_pertama", "password": "salah-sandi",
                                "otp_token": code, "signing_secret": SECRET})  # fmt: skip
    assert refused.status_code == 200
    assert "Sandi yang Anda masukkan salah" in refused.content.decode()
    assert not SignedDocument.objects.exists()
    assert 'name="otp_token"' not in refused.content.decode()

    response = client.post(
        url, {"party": "pihak_pertama", "password": PASSWORD, "signing_secret": SECRET}, follow=True
    )
    assert response.redirect_chain[-1][0] == agreement.get_absolute_url()
    assert "Tanda tangan elektronik Pihak Pertama tersimpan" in response.content.decode()
    document = SignedDocument.objects.get()

    # Pihak Pertama again: nothing to sign; Pihak Kedua now may.
    assert "Tandatangani secara elektronik</button>" not in client.get(url).content.decode()
    client.force_login(users["pihak_kedua"])
    assert "sebagai <strong>Pihak Kedua</strong>" in client.get(url).content.decode()
    wrong = client.post(
        url,
        {
            "party": "pihak_kedua",
            "password": PASSWORD,
            "otp_token": "000000",
            "signing_secret": SECRET,
        },
    )
    assert "Kode sekali pakai salah" in wrong.content.decode()
    code = otp_code(users["pihak_kedua"])
    client.post(
        url,
        {"party": "pihak_kedua", "password": PASSWORD, "otp_token": code, "signing_secret": SECRET},
    )
    document.refresh_from_db()
    assert document.is_complete

    download = client.get(reverse("agreements:signed_download", args=[agreement.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == stored(document)


def test_the_pages_are_scoped_and_changes_need_post(client, cast):
    agreement, users = approve(*cast), cast[1]
    document = sign_as(agreement, users, "pihak_pertama").document
    sign_url = reverse("agreements:sign", args=[agreement.pk])
    download_url = reverse("agreements:signed_download", args=[agreement.pk, document.pk])

    anonymous = client.get(sign_url)
    assert anonymous.status_code == 302 and "/akun/login/" in anonymous["Location"]
    assert client.get(download_url).status_code == 302

    client.force_login(users["outsider"])
    assert client.get(sign_url).status_code == 404
    assert client.post(sign_url, {"party": "pihak_kedua", "password": PASSWORD}).status_code == 404
    assert client.get(download_url).status_code == 404

    client.force_login(users["drafter"])  # sees the PK, may not sign it
    verify_otp(users["drafter"], client)
    page = client.get(sign_url).content.decode()
    assert "Menunggu tanda tangan Pihak Kedua" in page
    assert client.post(download_url).status_code == 405
    response = client.post(sign_url, {"party": "pihak_kedua", "password": PASSWORD,
                                      "signing_secret": SECRET})  # fmt: skip
    assert "Anda bukan Pihak Kedua" in response.content.decode()
    assert Signature.objects.count() == 1
    other = reverse("agreements:signed_download", args=[agreement.pk, document.pk + 999])
    assert client.get(other).status_code == 404


def test_the_verification_page_is_public_and_recognises_the_exact_file(client, cast):
    agreement, users = approve(*cast), cast[1]
    sign_as(agreement, users, "pihak_pertama")
    document = sign_as(agreement, users, "pihak_kedua").document
    url = reverse("verification", args=[document.verification_code])

    html = client.get(url).content.decode()  # anonymous
    assert client.get(url).status_code == 200
    for text in ("Subbagian Keuangan", "2027", "Indra Lesmana", "Bambang Rahmadhany",
                 "Ditandatangani", document.sha256, "Revisi dokumen", "WITA"):  # fmt: skip
        assert text in html, text
    upload = SimpleUploadedFile("pk.pdf", stored(document), content_type="application/pdf")
    html = client.post(url, {"file": upload}).content.decode()
    assert "Cocok: berkas yang Anda unggah sama persis" in html

    assert client.get(reverse("verification", args=["tidak-ada-kode-ini"])).status_code == 404


def test_the_verification_page_refuses_a_file_over_20_mb(client, cast):
    agreement, users = approve(*cast), cast[1]
    document = sign_as(agreement, users, "pihak_pertama").document
    url = reverse("verification", args=[document.verification_code])
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (20 * 1024 * 1024))
    html = client.post(url, {"file": big}).content.decode()
    assert "terlalu besar" in html and "paling besar 20 MB" in html
    assert "Cocok" not in html
    huge = client.post(url, b"x", content_type="multipart/form-data; boundary=x",
                       CONTENT_LENGTH=str(30 * 1024 * 1024))  # fmt: skip
    assert huge.status_code == 413


def test_the_qr_code_points_at_the_public_verification_page(cast, settings, monkeypatch):
    settings.SIGNING_VERIFICATION_BASE_URL = "https://pk.kpu.go.id"
    agreement, users = approve(*cast), cast[1]
    seen = []
    real_sign = PKCS12Signer.sign

    def recording_sign(self, pdf, **kwargs):
        seen.append(kwargs)
        return real_sign(self, pdf, **kwargs)

    monkeypatch.setattr(PKCS12Signer, "sign", recording_sign)
    document = sign_as(agreement, users, "pihak_pertama").document
    (call,) = seen
    assert call["qr_url"] == f"https://pk.kpu.go.id/verifikasi/{document.verification_code}/"
    assert call["field_name"] == "TTE_PihakPertama" and call["page_index"] == 0
    assert call["signer"].name == "Indra Lesmana"
    lines = call["stamp_text"].splitlines()
    assert lines[:3] == ["Ditandatangani secara", "elektronik oleh:", "Indra Lesmana"]
    assert lines[-1].startswith("pukul ") and lines[-1].endswith(" WITA")  # Bontang's time
    assert all(len(line) <= 26 for line in lines)


def test_the_panel_offers_the_button_to_whoever_signs_next(cast):
    agreement, users = cast
    request = RequestFactory().get("/")

    def panel(user):
        request.user = user
        context = {"agreement": agreement, "request": request, **panel_context(agreement, user)}
        return render_to_string("signing/_panel.html", context, request=request)

    assert "dapat ditandatangani setelah disetujui" in panel(users["pihak_pertama"])
    approve(agreement, users)
    assert "Tandatangani secara elektronik" in panel(users["pihak_pertama"])
    assert "Tandatangani secara elektronik" not in panel(users["pihak_kedua"])
    assert "Pihak Pertama harus menandatangani lebih dahulu" in panel(users["pihak_kedua"])
    assert "Tandatangani secara elektronik" not in panel(users["drafter"])

    document = sign_as(agreement, users, "pihak_pertama").document
    html = panel(users["pihak_kedua"])
    assert "Tandatangani secara elektronik" in html and "belum lengkap" in html
    assert reverse("agreements:signed_download", args=[agreement.pk, document.pk]) in html
    assert reverse("verification", args=[document.verification_code]) in html
    state = signing_state(agreement, users["drafter"])
    assert (state.can_sign, state.next_party, state.reason) == (False, "pihak_kedua", None)


# --- development keys ----------------------------------------------------------------------------
def test_the_dev_key_command_is_idempotent(cast):

    _agreement, _users = cast
    kasubbag = Official.objects.get(name="Indra Lesmana")
    before = default_storage.open(key_storage_name(kasubbag.pk)).read()
    ca = devkeys.dev_ca_certificate_pem()
    out = io.StringIO()
    with pytest.raises(Exception, match="hanya untuk DEBUG"):
        call_command("create_dev_signing_keys", stdout=out)
    call_command("create_dev_signing_keys", "--demo", stdout=out)
    assert f"Kunci baru: {Official.objects.count() - 2}, sudah ada: 2." in out.getvalue()
    assert default_storage.open(key_storage_name(kasubbag.pk)).read() == before
    assert devkeys.dev_ca_certificate_pem() == ca
    out = io.StringIO()
    call_command("create_dev_signing_keys", "--demo", "--official-id", str(kasubbag.pk), stdout=out)
    assert "Kunci baru: 0, sudah ada: 1." in out.getvalue()
    with pytest.raises(Exception, match="tidak ditemukan: 999999"):
        call_command("create_dev_signing_keys", "--demo", "--official-id", "999999")


def test_the_dev_ca_key_is_stored_encrypted(cast):

    pem = default_storage.open(devkeys.CA_KEY_NAME).read()
    assert b"ENCRYPTED PRIVATE KEY" in pem


# --- BSrE ----------------------------------------------------------------------------------------
class FakeBSrE(BaseHTTPRequestHandler):
    """A tiny eSign Client Service: checks the request, signs with the dev key of the official
    registered for the NIK (or refuses as BSrE does), returns the PDF."""

    nik_to_official: dict = {}
    requests: list = []

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_POST(self):  # noqa: N802 - the http.server API
        length = int(self.headers["Content-Length"])
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        raw = head + self.rfile.read(length)
        message = BytesParser(policy=HTTP).parsebytes(raw)
        fields, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                files[name] = part.get_payload(decode=True)
            else:
                fields[name] = part.get_content().strip()
        self.requests.append({"path": self.path, "auth": self.headers["Authorization"],
                              "fields": fields, "files": files})  # fmt: skip
        official = self.nik_to_official.get(fields.get("nik"))
        if official is None or fields.get("passphrase") != "rahasia-bsre":
            code = 2011 if official is None else 2031
            body = json.dumps({"error": "gagal", "status_code": code}).encode()
            self.send_response(400)
            self.send_header("Content-Type", "application/json")
        else:
            x, y = float(fields["xAxis"]), float(fields["yAxis"])
            body = PKCS12Signer().sign(
                files["file"],
                field_name=f"BSrE_{len(self.requests)}",
                page_index=int(fields["page"]) - 1,
                box=(x, y, x + float(fields["width"]), y + float(fields["height"])),
                stamp_text="BSrE",
                qr_url=fields["linkQR"],
                signer=SignerIdentity(official_id=official, name="", position="", secret=SECRET),
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("id_dokumen", "fake-1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def fake_bsre(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBSrE)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeBSrE.requests, FakeBSrE.nik_to_official = [], {}
    settings.SIGNER_BACKEND = "bsre"
    settings.BSRE_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.BSRE_USERNAME, settings.BSRE_PASSWORD = "esign", "client-secret"
    yield FakeBSrE
    server.shutdown()
    server.server_close()


def test_bsre_signs_through_the_client_service(cast, fake_bsre):
    agreement, users = approve(*cast), cast[1]
    fake_bsre.nik_to_official = {
        "6474010101800001": agreement.pihak_pertama_official_id,
        "6474010101800002": agreement.pihak_kedua_official_id,
    }
    with pytest.raises(SigningRefused, match="Passphrase BSrE salah"):
        sign_as(agreement, users, "pihak_pertama", nik="6474010101800001", passphrase="keliru")
    with pytest.raises(SigningRefused, match="NIK tidak terdaftar"):
        sign_as(agreement, users, "pihak_pertama", nik="6474999999999999", passphrase="x")
    with pytest.raises(SigningRefused, match="NIK dan passphrase"):
        sign_as(agreement, users, "pihak_pertama")
    assert not SignedDocument.objects.exists()

    sign_as(agreement, users, "pihak_pertama", nik="6474010101800001", passphrase="rahasia-bsre")
    document = sign_as(
        agreement, users, "pihak_kedua", nik="6474010101800002", passphrase="rahasia-bsre"
    ).document
    agreement.refresh_from_db()
    assert agreement.status == "ditandatangani" and document.is_complete
    request = fake_bsre.requests[-1]
    assert request["path"] == "/api/sign/pdf"
    assert request["auth"] == "Basic ZXNpZ246Y2xpZW50LXNlY3JldA=="  # esign:client-secret
    fields = request["fields"]
    assert fields["tampilan"] == "visible" and fields["image"] == "false"
    assert fields["linkQR"].endswith(f"/verifikasi/{document.verification_code}/")
    box = placement.find_box(request["files"]["file"], "sig-pihak-kedua")
    assert fields["page"] == str(box.page_index + 1)
    assert [int(fields[k]) for k in ("xAxis", "yAxis")] == [round(box.box[0]), round(box.box[1])]
    assert int(fields["width"]) == round(box.box[2] - box.box[0])
    assert all(s.bottom_line for s in validate(stored(document)).values())


def test_with_bsre_the_page_asks_for_nik_and_passphrase(client, cast, fake_bsre):
    agreement, users = approve(*cast), cast[1]
    fake_bsre.nik_to_official = {"6474010101800001": agreement.pihak_pertama_official_id}
    url = reverse("agreements:sign", args=[agreement.pk])
    client.force_login(users["pihak_pertama"])
    verify_otp(users["pihak_pertama"], client)
    page = client.get(url).content.decode()
    assert 'name="nik"' in page and 'name="passphrase"' in page
    data = {"party": "pihak_pertama", "password": PASSWORD, "nik": "6474 0101 0180 0001"}
    refused = client.post(url, {**data, "passphrase": "keliru"}).content.decode()
    assert "Passphrase BSrE salah" in refused
    client.post(url, {**data, "passphrase": "rahasia-bsre"})
    assert Signature.objects.get().party == "pihak_pertama"
    assert fake_bsre.requests[-1]["fields"]["nik"] == "6474010101800001"


def test_bsre_unreachable_is_a_clear_message(settings):
    settings.BSRE_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    signer = BSrESigner(timeout=2)
    identity = SignerIdentity(None, "A", "B", nik="6474010101800001", passphrase="x")
    with pytest.raises(SignerUnavailable, match="tidak dapat dihubungi"):
        signer.sign(b"%PDF-1.7", field_name="f", page_index=0, box=(0, 0, 10, 10),
                    stamp_text="", qr_url="http://x/", signer=identity)  # fmt: skip
    with pytest.raises(SignerRejected):
        signer.sign(b"%PDF-1.7", field_name="f", page_index=0, box=(0, 0, 10, 10),
                    stamp_text="", qr_url="http://x/",
                    signer=SignerIdentity(None, "A", "B"))  # fmt: skip


# --- one-time codes ----------------------------------------------------------------------------
def test_a_signatory_without_a_one_time_code_is_sent_to_set_one_up(client, cast):

    agreement, users = approve(*cast), cast[1]
    kasubbag = users["pihak_pertama"]
    TOTPDevice.objects.filter(user=kasubbag).delete()
    url = reverse("agreements:sign", args=[agreement.pk])
    client.force_login(kasubbag)
    page = client.get(url).content.decode()
    assert "memerlukan kode sekali pakai" in page
    assert 'name="password"' not in page
    setup = reverse("otp_settings")
    assert f'href="{setup}?next=/pk/{agreement.pk}/tandatangan/"' in page
    # A hand-made POST is refused by the service all the same.
    refused = client.post(
        url, {"party": "pihak_pertama", "password": PASSWORD, "signing_secret": SECRET}
    )
    assert "Pasang kode sekali pakai" in refused.content.decode()
    assert not Signature.objects.exists()
    # Setting it up from there comes back to the signing page, verified for this session.
    client.post(reverse("otp_start"), {"next": url})
    device = TOTPDevice.objects.get(user=kasubbag, confirmed=False)

    done = client.post(
        reverse("otp_confirm"), {"token": f"{totp(device.bin_key):06d}", "next": url}
    )
    assert done.status_code == 302 and done["Location"] == url
    client.post(url, {"party": "pihak_pertama", "password": PASSWORD, "signing_secret": SECRET})
    assert Signature.objects.get().party == "pihak_pertama"


def test_the_service_refuses_a_session_without_a_code(cast):
    agreement, users = approve(*cast), cast[1]
    fresh = type(users["pihak_pertama"]).objects.get(pk=users["pihak_pertama"].pk)
    give_otp_device(fresh)
    assert_refused(agreement, fresh, "pihak_pertama", "Masukkan kode sekali pakai")


def test_the_code_can_be_switched_off_by_setting(cast, settings):
    settings.SIGNING_REQUIRES_OTP = False
    agreement, users = approve(*cast), cast[1]
    fresh = type(users["pihak_pertama"]).objects.get(pk=users["pihak_pertama"].pk)
    signature = sign_agreement(agreement, "pihak_pertama", fresh, PASSWORD, secret=SECRET)
    assert signature.party == "pihak_pertama"


def test_a_signed_file_lost_by_the_storage_is_a_404_not_a_500(client, cast):
    agreement, users = approve(*cast), cast[1]
    document = sign_as(agreement, users, "pihak_pertama").document
    document.file.storage.delete(document.file.name)
    client.force_login(users["drafter"])
    url = reverse("agreements:signed_download", args=[agreement.pk, document.pk])
    assert client.get(url).status_code == 404


# --- the signatory's queue and review page ------------------------------------------------------
def test_the_queue_says_sign_only_to_whoever_signs_next_and_the_review_page_offers_it(client, cast):
    agreement, users = cast
    approve(agreement, users)
    review = reverse("agreements:review", args=[agreement.pk])
    sign = reverse("agreements:sign", args=[agreement.pk])

    def queue(role):
        client.force_login(users[role])
        return client.get(reverse("agreements:waiting")).content.decode()

    first = queue("pihak_pertama")
    assert "Tandatangani" in first and f'href="{review}#pk-signing"' in first
    assert sign in client.get(review).content.decode()  # the e-sign button, on the review page
    second = queue("pihak_kedua")
    assert "Menunggu Pihak Pertama" in second and "Tinjau dan tandatangani" not in second
    assert sign not in client.get(review).content.decode()

    sign_as(agreement, users, "pihak_pertama")
    assert f'data-pk="{agreement.pk}"' not in queue("pihak_pertama")  # signed: nothing waits
    second = queue("pihak_kedua")
    assert "Tinjau dan tandatangani" in second and "Menunggu Pihak Pertama" not in second
    page = client.get(review).content.decode()
    assert sign in page and "Tidak ada tindakan yang dapat Anda lakukan" not in page


# A link or button that offers to sign: it leads to the signing page or the signing panel, or
# says "tandatangani"/"tanda tangan" ("bertanda tangan", a document's state, is not an offer).
SIGN_WORDS = re.compile(r"\btanda ?tangani?\b", re.I)


def sign_offers(page: str, agreement) -> list[str]:
    """The words of each link and button in the page's <main> that offers to sign."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    sign_url = reverse("agreements:sign", args=[agreement.pk])
    found = []
    for _tag, attributes, inner in re.findall(r"<(a|button)\b([^>]*)>(.*?)</\1>", main, re.S):
        words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        if sign_url in attributes or "#pk-signing" in attributes or SIGN_WORDS.search(words):
            found.append(words)
    return found


def test_each_page_offers_signing_once_to_whoever_signs_next_and_never_to_others(client, cast):
    """The PK page offers it in its workflow card, the signing panel only says it waits for the
    user; the signing page offers its form's button, not a second one in the panel."""
    agreement, users = approve(*cast), cast[1]
    pk_page = agreement.get_absolute_url()
    sign_page = reverse("agreements:sign", args=[agreement.pk])
    review_page = reverse("agreements:review", args=[agreement.pk])

    def offers(role, url=pk_page):
        client.force_login(users[role])
        response = client.get(url)
        assert response.status_code == 200, (role, url)
        return sign_offers(response.content.decode(), agreement)

    assert offers("pihak_pertama") == ["Tandatangani secara elektronik"]
    page = client.get(pk_page).content.decode()
    workflow = page.split('id="pk-workflow"', 1)[1].split('id="pk-signing"', 1)[0]
    assert f'href="{sign_page}" aria-describedby="pk-sign-as"' in workflow
    assert 'id="pk-sign-as">Anda menandatangani sebagai Pihak Pertama.' in workflow
    assert "Menunggu tanda tangan Anda sebagai Pihak Pertama." in page  # the panel: words only
    assert offers("pihak_pertama", sign_page) == ["Tandatangani secara elektronik"]  # the form
    assert offers("pihak_pertama", review_page) == ["Tandatangani secara elektronik"]
    for role in ("pihak_kedua", "drafter"):
        for url in (pk_page, sign_page, review_page):
            assert offers(role, url) == [], (role, url)

    sign_as(agreement, users, "pihak_pertama")
    # Pihak Kedua approved it and may still return it: the button stands before that form.
    assert offers("pihak_kedua") == ["Tandatangani secara elektronik"]
    page = client.get(pk_page).content.decode()
    assert page.index(f'href="{sign_page}"') < page.index("Kembalikan untuk perbaikan</button>")
    assert offers("pihak_pertama") == [] and offers("drafter") == []


def test_the_certificate_subject_is_shown_in_indonesian():
    subject = (
        "Common Name: Indra Lesmana, Organizational Unit: Keuangan, Organization: KPU, Country: ID"
    )
    assert subjek_sertifikat(subject) == (
        "Nama: Indra Lesmana, Unit organisasi: Keuangan, Organisasi: KPU, Negara: ID"
    )
