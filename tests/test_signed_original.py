"""The signed original as an archive keeps it: PDF/A-3b with a tagged structure before and
after the two PAdES signatures, every font embedded (the stamps' too), the stamp's words whole."""

import datetime
import io
import subprocess

import pikepdf
import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.documents import LENGKAP, render_pdf
from agreements.signing.service import FIELD_NAMES
from agreements.signing.signers import SignerIdentity
from agreements.signing.stamp import stamp_text
from tests.test_signing import approve, cast, sign_as, stored, validate  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def assert_pdfa_and_tagged(pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.open_metadata()
        assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == ("3", "B")
        (intent,) = document.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
        assert document.Root.MarkInfo.Marked is True
        tree = document.Root.StructTreeRoot
        assert len(tree.K) >= 1 or "/Type" in tree.K
        assert "/Lang" in document.Root


def pdffonts(pdf: bytes) -> list[list[str]]:
    """pdffonts' table: one row per font (name … emb sub uni)."""
    result = subprocess.run(["/usr/bin/pdffonts", "-"], input=pdf, capture_output=True, check=True)
    rows = result.stdout.decode().splitlines()[2:]
    return [row.split() for row in rows if row.strip()]


def test_the_signed_original_is_tagged_pdfa_before_and_after_both_signatures(cast):  # noqa: F811
    agreement, users = approve(*cast), cast[1]
    assert_pdfa_and_tagged(render_pdf(agreement, LENGKAP))

    document = sign_as(agreement, users, "pihak_pertama").document
    assert_pdfa_and_tagged(stored(document))
    sign_as(agreement, users, "pihak_kedua")
    final = stored(document)
    assert_pdfa_and_tagged(final)

    statuses = validate(final)
    assert set(statuses) == set(FIELD_NAMES.values())
    for status in statuses.values():
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
    fonts = pdffonts(final)
    assert fonts, "pdffonts lists the fonts"
    # columns: name type encoding emb sub uni object ID; the name may hold no spaces
    unembedded = [row for row in fonts if row[-5] != "yes"]
    assert not unembedded, unembedded
    assert not any("Courier" in row[0] for row in fonts)


def test_the_stamp_shows_the_whole_name_and_position_without_an_ellipsis(cast):  # noqa: F811
    agreement = cast[0]
    position = (
        "Kepala Subbagian Partisipasi, Hubungan Masyarakat dan Sumber Daya Manusia "
        "Sekretariat Komisi Pemilihan Umum Kota Bontang"
    )
    identity = SignerIdentity(official_id=1, name="Dea Winadry Putri Kusumawardhani",
                              position=position, nip="")  # fmt: skip
    moment = datetime.datetime(2026, 1, 15, 2, 31, tzinfo=datetime.UTC)
    text = stamp_text(agreement, identity, moment)
    assert "…" not in text and "ƒ" not in text
    assert " ".join(text.split()).count(position) == 1
    assert "Dea Winadry Putri Kusumawardhani" in " ".join(text.split())
    assert text.splitlines()[-2:] == ["15 Januari 2026", "pukul 10.31 WITA"]


def test_the_signing_page_warns_when_the_printed_date_is_not_today(client, cast):  # noqa: F811
    agreement, users = approve(*cast), cast[1]
    agreement.__class__.objects.filter(pk=agreement.pk).update(sign_date=datetime.date(2027, 1, 2))
    client.force_login(users["pihak_pertama"])
    page = client.get(reverse("agreements:sign", args=[agreement.pk])).content.decode()
    assert 'id="printed-date-warning"' in page and "2 Januari 2027" in page
    today = timezone.localdate()
    agreement.__class__.objects.filter(pk=agreement.pk).update(sign_date=today)
    page = client.get(reverse("agreements:sign", args=[agreement.pk])).content.decode()
    assert 'id="printed-date-warning"' not in page
