"""A PK from submission to a verified signed file, in a real browser (Playwright driving the
Debian Chromium): the Bontang Subbagian Keuangan operator submits, the Sekretaris returns it
with a note, the operator fixes a target and submits again, the Sekretaris approves, the
Kasubbag (Pihak Pertama) sets up a one-time code when the signing page asks for one and signs,
the Sekretaris (Pihak Kedua) signs with password and code, the signed PDF is downloaded and the public verification page recognises it."""

import hashlib
import io
import os

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from pypdf import PdfReader

from agreements.drafting import start_agreement
from agreements.lampiran import ANGGARAN, INDIKATOR, LampiranRow, replace_lampiran
from agreements.signing.devkeys import DEMO_SIGNING_SECRET, create_dev_signing_keys
from indicators.targets import parse_target
from organisations.models import Role, Unit, User
from tests.browser import confirm
from tests.factories import appoint, give_otp_device, load_units, make_official, make_user, otp_code

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
]

KEUANGAN = "64.74.sekretariat.keuangan"
PASSWORD = "sandi-uji-yang-panjang"  # the one make_user gives
PROGRAMME = ("076.01.WA", "Program Dukungan Manajemen")


@pytest.fixture
def bontang():
    """The 2026 PK of Subbagian Keuangan, its operator, and both signatories with dev keys."""
    load_units("64.74")
    appoint("64.74", make_official("Muzarroby Renfly"))
    sekretaris = appoint(
        "64.74.sekretariat", make_official("Bambang Rahmadhany", nip="197906232009121001")
    ).official
    kasubbag = appoint(KEUANGAN, make_official("Indra Lesmana", nip="198503122010121002")).official
    make_user("op.keuangan", unit_code=KEUANGAN)
    give_otp_device(make_user("sekretaris", unit_code="64.74.sekretariat", role=Role.SIGNATORY,
                              official=sekretaris))  # fmt: skip
    make_user("kasubbag", unit_code=KEUANGAN, role=Role.SIGNATORY, official=kasubbag)
    create_dev_signing_keys([kasubbag, sekretaris])
    agreement = start_agreement(Unit.objects.get(code=KEUANGAN), 2026)
    replace_lampiran(
        agreement,
        [
            LampiranRow(INDIKATOR, *PROGRAMME, "", "", "Terkelolanya keuangan",
                        "Persentase laporan keuangan tepat waktu", parse_target("100%")),
            LampiranRow(INDIKATOR, *PROGRAMME, "", "", "Terkelolanya keuangan",
                        "Opini BPK atas laporan keuangan", parse_target("WTP")),
            LampiranRow(ANGGARAN, *PROGRAMME, anggaran=404205000),
        ],
    )  # fmt: skip
    return agreement


def test_a_pk_is_returned_fixed_approved_signed_and_verified(live_server, page, bontang, tmp_path):

    page.set_default_timeout(15_000)
    main = page.locator("main")
    pk_url = f"{live_server.url}/pk/{bontang.pk}/"
    sign_url = f"{pk_url}tandatangan/"

    def log_in_as(username):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/akun/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        expect(main).to_contain_text(f"Selamat datang, {username}")

    # The operator submits the PK.
    log_in_as("op.keuangan")
    page.goto(pk_url)
    page.get_by_role("button", name="Ajukan untuk disetujui").click()
    confirm(page)
    expect(main).to_contain_text("PK diajukan kepada pejabat penyetuju.")

    # The Sekretaris returns it with a note.
    log_in_as("sekretaris")
    page.goto(pk_url)
    page.fill("textarea[name=note]", "Target laporan keuangan tepat waktu menjadi 95%.")
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(main).to_contain_text("PK dikembalikan untuk diperbaiki dengan catatan Anda.")

    # The operator reads the note, fixes the target in the lampiran editor and submits again.
    log_in_as("op.keuangan")
    page.goto(pk_url)
    expect(main).to_contain_text("Target laporan keuangan tepat waktu menjadi 95%.")
    page.get_by_role("link", name="Ubah lampiran").click()
    page.fill("#id_indikator-0-target", "95%")
    page.get_by_role("button", name="Simpan lampiran").click()
    expect(main).to_contain_text("Lampiran disimpan: 2 indikator dan 1 baris anggaran.")
    expect(page.locator(".pk-lampiran")).to_contain_text("95%")
    page.get_by_role("button", name="Ajukan untuk disetujui").click()
    confirm(page)
    expect(main).to_contain_text("PK diajukan kepada pejabat penyetuju.")

    # The Sekretaris approves; signing Pihak Kedua before Pihak Pertama is not offered.
    log_in_as("sekretaris")
    page.goto(pk_url)
    page.get_by_role("button", name="Setujui").click()
    confirm(page)
    expect(main).to_contain_text("PK disetujui dan siap ditandatangani.")
    page.goto(sign_url)
    expect(main).to_contain_text("Pihak Pertama harus menandatangani lebih dahulu.")
    expect(page.locator("#id_password")).to_have_count(0)

    # The Kasubbag has no one-time code yet: the signing page sends him to set one up and back.
    log_in_as("kasubbag")
    page.goto(sign_url)
    expect(main).to_contain_text("memerlukan kode sekali pakai")
    page.get_by_role("link", name="Pasang kode sekali pakai").click()
    page.get_by_role("button", name="Pasang kode sekali pakai").click()
    expect(main.locator("img[alt='Kode QR']")).to_be_visible()

    device = TOTPDevice.objects.get(user__username="kasubbag", confirmed=False)
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Aktifkan").click()
    expect(main).to_contain_text("Kode sekali pakai aktif.")

    # Back on the signing page, as Pihak Pertama: a wrong password first, then the right one.
    expect(main).to_contain_text("sebagai Pihak Pertama")
    expect(page.locator("#id_otp_token")).to_have_count(0)  # given once for this session
    page.fill("#id_password", "bukan-sandi-saya")
    page.fill("#id_signing_secret", DEMO_SIGNING_SECRET)
    page.get_by_role("button", name="Tandatangani secara elektronik").click()
    expect(main).to_contain_text("Sandi yang Anda masukkan salah. Tanda tangan tidak dibuat.")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_signing_secret", DEMO_SIGNING_SECRET)
    page.get_by_role("button", name="Tandatangani secara elektronik").click()
    expect(main).to_contain_text("Tanda tangan elektronik Pihak Pertama tersimpan.")

    # The Sekretaris signs as Pihak Kedua: the PK is signed.
    log_in_as("sekretaris")
    page.goto(sign_url)
    expect(main).to_contain_text("sebagai Pihak Kedua")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_signing_secret", DEMO_SIGNING_SECRET)
    page.fill("#id_otp_token", otp_code(User.objects.get(username="sekretaris")))
    page.get_by_role("button", name="Tandatangani secara elektronik").click()
    expect(main).to_contain_text("PK kini ditandatangani.")
    expect(main).to_contain_text("Ditandatangani")

    # Download the signed PDF from the signing panel.
    page.goto(sign_url)
    panel = page.locator("#pk-signing")
    expect(panel).to_contain_text("lengkap")
    with page.expect_download() as download_info:
        panel.get_by_role("link", name="Unduh PDF").click()
    downloaded = tmp_path / "pk-ditandatangani.pdf"
    download_info.value.save_as(downloaded)
    content = downloaded.read_bytes()
    assert content.startswith(b"%PDF-")

    assert len(PdfReader(io.BytesIO(content)).pages) >= 2

    # Anyone (logged out) checks the downloaded file on the public verification page.
    verification_url = panel.get_by_role("link", name="Halaman verifikasi").get_attribute("href")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{verification_url}")
    expect(main).to_contain_text("Verifikasi Perjanjian Kinerja bertanda tangan")
    expect(main).to_contain_text("Indra Lesmana")
    expect(main).to_contain_text("Bambang Rahmadhany")
    expect(page.locator("#document-sha256")).to_have_text(hashlib.sha256(content).hexdigest())
    page.set_input_files("#id_file", str(downloaded))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#verification-result")).to_contain_text(
        "Cocok: berkas yang Anda unggah sama persis dengan berkas yang ditandatangani"
    )

    # A copy changed by one byte is not the signed file.
    changed = tmp_path / "pk-diubah.pdf"
    at = len(content) // 2
    changed.write_bytes(content[:at] + bytes([content[at] ^ 1]) + content[at + 1 :])
    page.set_input_files("#id_file", str(changed))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.locator("#verification-result")).to_contain_text(
        "Tidak cocok: berkas yang Anda unggah BUKAN berkas yang ditandatangani"
    )
