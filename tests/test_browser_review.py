"""The end of January in a real browser: the KPU Provinsi compiles its regencies' signed PKs and
sends them to KPU; Biro Perencanaan filters to that province, returns one PK with a note and
accepts the other."""

import io
import os
import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from pypdf import PdfWriter

from agreements.drafting import start_agreement
from agreements.models import Agreement, SignedDocument
from organisations.models import Role
from submissions.models import Compilation
from submissions.services import submit
from tests.browser import confirm
from tests.factories import load_units, make_user, unit

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser
PASSWORD = "sandi-uji-yang-panjang"  # the one make_user gives
YEAR = 2027


def a_signed_scan(pages=2) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def kaltim(eager_celery):
    """Two regencies of Kalimantan Timur whose Sekretariat PKs are signed and submitted."""

    load_units("64.74", "64.72")
    pks = {}
    for code in ("64.74.sekretariat", "64.72.sekretariat"):
        agreement = start_agreement(unit(code), YEAR)
        Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
        agreement.refresh_from_db()
        document = SignedDocument(agreement=agreement, revision=1, method="basah",
                                  sha256="0" * 64, is_complete=True, page_count=2)  # fmt: skip
        document.file.save("scan.pdf", ContentFile(a_signed_scan()), save=True)
        submit(agreement, make_user(f"op.{code}", unit_code=code))
        pks[code] = agreement
    make_user("kompilasi.kaltim", unit_code="64", role=Role.COMPILER)
    make_user(
        "reviu.perencanaan", unit_code="setjen.biro-perencanaan", role=Role.REVIEWER_PERENCANAAN
    )
    return pks


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/akun/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()


def test_the_province_compiles_and_kpu_reviews(live_server, page, kaltim):

    main = page.locator("main")
    # The KPU Provinsi's compiler builds the bundle and sends it to KPU.
    log_in(page, live_server, "kompilasi.kaltim")
    page.goto(f"{live_server.url}/kompilasi/64/{YEAR}/")
    expect(main).to_contain_text("KPU Kota Bontang")
    # A double click builds one compilation: the button waits, the server joins the second.
    page.get_by_role("button", name="Susun kompilasi").dblclick()
    expect(main).to_contain_text("2 PK dimuat", timeout=30_000)
    assert Compilation.objects.count() == 1
    page.get_by_role("button", name="Sampaikan ke KPU").click()
    confirm(page)
    expect(main).to_contain_text("disampaikan", timeout=10_000)

    # Biro Perencanaan filters to the province, returns Bontang's PK and accepts Samarinda's.
    page.get_by_role("button", name="Keluar").click()
    log_in(page, live_server, "reviu.perencanaan")
    page.goto(f"{live_server.url}/reviu/{YEAR}/")
    page.select_option("#id_provinsi", "64")
    page.get_by_role("button", name="Saring").click()
    expect(main).to_contain_text("KPU Kota Bontang")
    expect(main).not_to_contain_text("KPU Kota Sorong")
    page.locator("tr", has_text="KPU Kota Bontang").get_by_role(
        "link", name=re.compile("Menunggu")
    ).click()
    page.fill("#return-note", "Target SAKTI harus sama dengan PK Sekretariat (95%).")
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(main).to_contain_text("Target SAKTI harus sama")
    page.goto(f"{live_server.url}/reviu/{YEAR}/?provinsi=64")
    page.locator("tr", has_text="KPU Kota Samarinda").get_by_role(
        "link", name=re.compile("Menunggu")
    ).click()
    page.get_by_role("button", name="Terima PK").click()
    expect(main).to_contain_text("Diterima")

    bontang, samarinda = kaltim["64.74.sekretariat"], kaltim["64.72.sekretariat"]
    bontang.refresh_from_db()
    samarinda.refresh_from_db()
    assert (bontang.status, bontang.revision) == ("dikembalikan", 2)
    assert samarinda.status == "diterima"
