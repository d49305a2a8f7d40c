"""The keyboard alone, in a real browser (Playwright driving the Debian Chromium): an operator
logs in (a wrong password first), edits a lampiran row (a target that cannot be read first),
adds a row and saves; re-runs the cascade checks; the Kasubbag then signs electronically with
a wrong one-time code, then a wrong password, then right. After each htmx swap and each error
the test asserts where the focus is: on the error summary, on the field that was wrong, on the
new row, on the refreshed region's heading. No mouse click anywhere."""

import os
import re

import pytest
from playwright.sync_api import expect

from agreements.models import Agreement
from agreements.signing.devkeys import DEMO_SIGNING_SECRET, create_dev_signing_keys
from organisations.models import User
from tests.factories import give_otp_device, make_subbagian_cast, otp_code

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

PASSWORD = "sandi-uji-yang-panjang"  # the one make_user gives
FOCUSED = (
    "() => document.activeElement && (document.activeElement.id || document.activeElement.tagName)"  # noqa: E501
)


@pytest.fixture
def keuangan():
    """The 2026 PK of Subbagian Keuangan (a draft), its operator, and its Kasubbag with a
    development key and a one-time code device."""
    agreement, users = make_subbagian_cast(2026)
    give_otp_device(users["pihak_pertama"])
    create_dev_signing_keys(
        [
            users["pihak_pertama"].memberships.get().official,
            users["approver"].memberships.get().official,
        ]
    )
    return agreement


def test_a_lampiran_row_is_edited_saved_and_signed_with_the_keyboard_alone(
    live_server, page, keuangan
):
    page.set_default_timeout(15_000)
    main = page.locator("main")

    def focused():
        return page.evaluate(FOCUSED)

    def tab_to(element_id, limit=120):
        """Presses Tab until the element with that id has the focus."""
        for _ in range(limit):
            if focused() == element_id:
                return
            page.keyboard.press("Tab")
        pytest.fail(f"{limit} Tabs never reached #{element_id}")

    def type_over(text):
        page.keyboard.press("Control+A")
        page.keyboard.type(text)

    def log_in(username, wrong_first=False):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/akun/login/")
        expect(page.locator("#id_username")).to_be_focused()  # autofocus
        if wrong_first:
            page.keyboard.type(username)
            page.keyboard.press("Tab")
            page.keyboard.type("bukan-sandi-saya")
            page.keyboard.press("Enter")
            # The refusal is announced (role=alert) and has the focus.
            summary = page.locator("#pk-error-summary")
            expect(summary).to_be_focused()
            expect(summary).to_have_attribute("role", "alert")
            page.keyboard.press("Tab")
            expect(page.locator("#id_username")).to_be_focused()
        type_over(username)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        expect(main).to_contain_text(f"Selamat datang, {username}")

    def tab_to_text(text, limit=200):
        """Presses Tab until the focused element reads `text`."""
        for _ in range(limit):
            if page.evaluate("() => document.activeElement.textContent.trim()") == text:
                return
            page.keyboard.press("Tab")
        pytest.fail(f"{limit} Tabs never reached “{text}”")

    # The operator logs in, a wrong password first.
    log_in("op.keuangan", wrong_first=True)

    # In the lampiran editor, a target that cannot be read: the error summary takes the focus,
    # its link leads to the field, which says it is invalid and why.
    page.goto(f"{live_server.url}/pk/{keuangan.pk}/lampiran/")
    # The first Tab reaches the skip link; Enter takes the focus to the page's content.
    page.keyboard.press("Tab")
    expect(page.locator(".pk-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(main).to_be_focused()
    tab_to("id_indikator-0-target")
    type_over("seratus persen")
    page.keyboard.press("Enter")
    summary = page.locator("#pk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Target")
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    target = page.locator("#id_indikator-0-target")
    expect(target).to_be_focused()
    expect(target).to_have_attribute("aria-invalid", "true")
    described_by = target.get_attribute("aria-describedby")
    assert described_by and page.locator(f"#{described_by}").count() == 1
    type_over("95%")

    # "Tambah indikator" (htmx): the new row's first field gets the focus.
    tab_to_text("Tambah indikator")
    page.keyboard.press("Enter")
    expect(page.locator("#id_indikator-1-program_kode")).to_be_focused()
    expect(page.locator("#pk-live-status")).to_have_text("Baris baru ditambahkan di akhir tabel.")
    # A late answer to "Tambah indikator" does not pull the focus from a field the person went
    # on typing in: the request is held until they have moved back to a target and typed.
    held = []
    late_rows = re.compile(r"/lampiran/baris/indikator/")
    page.route(late_rows, lambda route: held.append(route))
    tab_to_text("Tambah indikator")
    page.keyboard.press("Enter")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    for _ in range(120):
        if focused() == "id_indikator-0-target":
            break
        page.keyboard.press("Shift+Tab")
    type_over("95%")
    held[0].continue_()
    expect(page.locator("#id_indikator-2-program_kode")).to_be_visible()
    expect(page.locator("#id_indikator-0-target")).to_be_focused()
    page.unroute(late_rows)
    # Saved with Enter from a field of the form (the empty new rows are left out).
    page.keyboard.press("Enter")
    expect(main).to_contain_text("Lampiran disimpan: 1 indikator dan 1 baris anggaran.")
    expect(page.locator(".pk-lampiran")).to_contain_text("95%")

    # "Periksa ulang" (htmx) replaces the checks panel: the focus goes to its heading, and
    # the change is announced.
    tab_to_text("Periksa ulang")
    page.keyboard.press("Enter")
    heading = page.locator("#pk-checks h2")
    expect(heading).to_be_focused()
    expect(page.locator("#pk-live-status")).to_contain_text("Pemeriksaan berjenjang")

    # Approved meanwhile; the Kasubbag signs as Pihak Pertama.
    Agreement.objects.filter(pk=keuangan.pk).update(status="disetujui")
    kasubbag = User.objects.get(username="kasubbag")
    log_in("kasubbag")
    page.goto(f"{live_server.url}/pk/{keuangan.pk}/tandatangan/")
    expect(page.locator("#id_password")).to_be_focused()
    # A wrong one-time code: the focus goes to the code, not the password. The signing secret
    # (the demo one the key was enrolled with) sits between the password and the code.
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_SIGNING_SECRET)
    page.keyboard.press("Tab")
    right = otp_code(kasubbag)
    page.keyboard.type(f"{(int(right) + 1) % 1_000_000:06d}")
    page.keyboard.press("Enter")
    code = page.locator("#id_otp_token")
    expect(code).to_be_focused()
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_password")).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#pk-error-summary")).to_contain_text("Kode sekali pakai salah")
    # The right code with a wrong password: the code is taken, the focus is on the password.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type("bukan-sandi-saya")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_SIGNING_SECRET)
    page.keyboard.press("Tab")
    type_over(right)
    page.wait_for_timeout(1500)  # django-otp refuses any code for a second after a wrong one
    page.keyboard.press("Enter")
    expect(main).to_contain_text("Sandi yang Anda masukkan salah. Tanda tangan tidak dibuat.")
    password = page.locator("#id_password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_be_focused()
    expect(page.locator("#id_otp_token")).to_have_count(0)  # given once for this session
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_SIGNING_SECRET)
    page.keyboard.press("Enter")
    expect(main).to_contain_text("Tanda tangan elektronik Pihak Pertama tersimpan.")
