"""Monitoring rules outside the capaian module: who verifies a PK's quarters (whoever approves
it, a Plt from the account of his own post, or today's head of the approving unit) and how
typed realisations are read."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from agreements.drafting import start_agreement
from agreements.lampiran import replace_lampiran
from agreements.models import Agreement
from monitoring.evidence import validate_evidence
from monitoring.forms import parse_number
from monitoring.permissions import verify_refusal
from organisations.models import Acting, Role
from tests.factories import appoint, load_units, make_official, make_user, subbagian_rows, unit

pytestmark = pytest.mark.django_db


def signed(code):
    agreement = start_agreement(unit(code), 2027, sign_date=datetime.date(2027, 1, 15))
    replace_lampiran(agreement, subbagian_rows())
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    agreement.refresh_from_db()
    return agreement


def test_a_plt_ketua_verifies_from_the_account_of_his_own_post():
    load_units("64.74")
    sekretaris = appoint("64.74.sekretariat", make_official("Bambang Rahmadhany")).official
    appoint("64.74", sekretaris, acting=Acting.PLT, start=datetime.date(2026, 6, 1))
    kota = signed("64.74")
    account = make_user("sekretaris", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                        official=sekretaris)  # fmt: skip
    other = make_user("lain", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                      official=make_official("Orang Lain"))  # fmt: skip
    assert verify_refusal(account, kota) is None
    assert "Hanya Pihak Kedua" in verify_refusal(other, kota)


def test_the_new_head_of_the_superior_unit_verifies_after_a_change_mid_year():
    load_units("64.74")
    old = appoint("64.74.sekretariat", make_official("Sekretaris Lama"),
                  end=datetime.date(2027, 3, 31)).official  # fmt: skip
    appoint("64.74.sekretariat.keuangan", make_official("Kasubbag"))
    keuangan = signed("64.74.sekretariat.keuangan")
    assert keuangan.pihak_kedua_official_id == old.pk
    new = appoint("64.74.sekretariat", make_official("Sekretaris Baru"),
                  start=datetime.date(2027, 4, 1)).official  # fmt: skip
    old_account = make_user("lama", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                            official=old)  # fmt: skip
    new_account = make_user("baru", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                            official=new)  # fmt: skip

    with time_machine.travel(datetime.datetime(2027, 4, 10, 2, tzinfo=datetime.UTC)):
        assert verify_refusal(new_account, keuangan) is None
        assert verify_refusal(old_account, keuangan) is None  # still the one recorded


@pytest.mark.parametrize(
    "typed, value",
    [("95,5", "95.5"), ("95.5", "95.5"), ("1.250", "1250"), ("1.250,5", "1250.5"),
     ("0.500", "0.500"), ("0,125", "0.125"), ("85%", "85"), ("12 laporan", "12")],
)  # fmt: skip
def test_realisations_are_read_as_indonesians_write_numbers(typed, value):

    assert parse_number(typed) == Decimal(value)


def test_evidence_is_what_its_content_says_it_is():

    def pdf(pages):
        writer, out = PdfWriter(), io.BytesIO()
        for _ in range(pages):
            writer.add_blank_page(width=595, height=842)
        writer.write(out)
        return out.getvalue()

    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, format="PNG")
    assert validate_evidence(SimpleUploadedFile("a.pdf", pdf(1))).content_type == "application/pdf"
    assert (
        validate_evidence(SimpleUploadedFile("a.pdf", png.getvalue())).content_type == "image/png"
    )
    for refused in (pdf(0), b"%PDF-1.7 bukan pdf", b"PK\x03\x04zip"):
        with pytest.raises(ValidationError):
            validate_evidence(SimpleUploadedFile("bukti.pdf", refused))
