"""Quarterly monitoring in a real browser (Playwright driving the Debian Chromium): the operator
of the Sekretariat of KPU Kota Bontang reports Triwulan I 2026 of its signed PK (the real seed,
51 indicators) with one evidence file, a typing slip refused and corrected on the way; the Ketua
(Pihak Kedua) verifies; Biro Perencanaan's national monitoring page shows the unit's capaian."""

import datetime
import io
import os

import pytest
import time_machine
from playwright.sync_api import expect
from pypdf import PdfWriter

from agreements.models import Agreement
from agreements.seeds import load_seed, manifest
from monitoring.models import Evidence, Realisation
from organisations.demo import LETTERHEADS, OFFICIALS
from organisations.models import Role, Unit
from tests.factories import appoint, fill_in_seed_targets, load_units, make_official, make_user

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

PASSWORD = "sandi-uji-yang-panjang"  # the one make_user gives
BONTANG, SEKRETARIAT = "64.74", "64.74.sekretariat"
SEED = "bontang-2026-sekretariat.csv"
# 6 April 2026, 09.00 WITA: Triwulan I has ended and is open for reports until 15 April.
REPORT_DAY = datetime.datetime(2026, 4, 6, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture
def bontang():
    load_units(BONTANG)
    Unit.objects.filter(satker__code=BONTANG).update(**LETTERHEADS[BONTANG])
    officials = {
        code: appoint(code, make_official(name, nip), start=start).official
        for code, name, nip, start in OFFICIALS
        if code in (BONTANG, SEKRETARIAT)
    }
    agreement = load_seed(next(s for s in manifest() if s.file == SEED))
    fill_in_seed_targets(agreement)  # as the office did before signing
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    make_user("op.sekretariat", unit_code=SEKRETARIAT)
    make_user("ketua", unit_code=BONTANG, role=Role.SIGNATORY, official=officials[BONTANG])
    make_user("reviu.perencanaan", unit_code="setjen.biro-perencanaan",
              role=Role.REVIEWER_PERENCANAAN)  # fmt: skip
    return Agreement.objects.get(pk=agreement.pk)


def a_pdf() -> bytes:

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=595, height=842)
    writer.write(out)
    return out.getvalue()


def test_a_quarter_is_reported_verified_and_seen_nationally(live_server, page, bontang, tmp_path):

    page.set_default_timeout(20_000)
    main = page.locator("main")
    url = live_server.url
    evidence = tmp_path / "laporan-keuangan-tw1.pdf"
    evidence.write_bytes(a_pdf())

    def log_in_as(username):
        page.context.clear_cookies()
        page.goto(f"{url}/akun/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        expect(main).to_contain_text(f"Selamat datang, {username}")

    with time_machine.travel(REPORT_DAY, tick=True):
        # The operator opens Triwulan I from the PK page.
        log_in_as("op.sekretariat")
        page.goto(f"{url}{bontang.get_absolute_url()}")
        panel = page.locator("#pemantauan")
        expect(panel).to_contain_text("Triwulan I")
        panel.get_by_role("link", name="Isi realisasi").first.click()
        expect(main).to_contain_text("Realisasi Triwulan I 2026")

        # Every indicator gets its realisation: the target itself for numbers (a slip first),
        # the target grade for grades; one evidence file on the first indicator.
        values = page.locator(".pk-realisation input[name$='-value']")
        grades = page.locator(".pk-realisation select[name$='-grade']")
        count = values.count()
        assert count + grades.count() == bontang.indicator_count() == 51
        for i in range(count):
            row = values.nth(i).locator("xpath=ancestor::tr[1]")
            target = row.locator("td").nth(1).inner_text().split("\n")[0]
            values.nth(i).fill(target.split()[0].rstrip("%"))
        for i in range(grades.count()):
            row = grades.nth(i).locator("xpath=ancestor::tr[1]")
            grades.nth(i).select_option(row.locator("td").nth(1).inner_text().split("\n")[0])
        # A scan too large is caught before it travels: nothing is sent, nothing typed lost.
        too_large = tmp_path / "pindaian-besar.pdf"
        too_large.write_bytes(a_pdf() + b"%" + b"0" * (11 * 1024 * 1024))
        page.locator("input[type=file]").first.set_input_files(str(too_large))
        page.get_by_role("button", name="Simpan", exact=True).click()
        expect(page.locator("[data-upload-alert]")).to_contain_text(
            "Berkas terlalu besar (paling besar 10 MB per berkas): pindaian-besar.pdf (11,0 MB)."
        )
        assert not Realisation.objects.exists()
        expect(values.nth(1)).not_to_have_value("")
        values.first.fill("sembilan puluh")
        page.locator("input[type=file]").first.set_input_files(str(evidence))
        page.get_by_role("button", name="Ajukan untuk verifikasi").click()
        expect(page.locator(".invalid-feedback").first).to_be_visible()
        assert not Realisation.objects.exists()  # nothing saved while one value is wrong
        expect(values.nth(1)).not_to_have_value("")  # the other values are kept
        # The chosen file survived the error: the person need not find it again.
        chosen = page.locator(".pk-pending-evidence").first
        expect(chosen).to_contain_text("Berkas dipilih: laporan-keuangan-tw1.pdf")
        values.first.fill("100")
        page.get_by_role("button", name="Ajukan untuk verifikasi").click()
        expect(main).to_contain_text("Realisasi diajukan untuk verifikasi.")
        assert Realisation.objects.filter(status="diajukan").count() == 51
        assert Evidence.objects.get().original_name == "laporan-keuangan-tw1.pdf"

        # The Ketua, Pihak Kedua of the Sekretariat's PK, verifies from the PK page.
        log_in_as("ketua")
        page.goto(f"{url}{bontang.get_absolute_url()}")
        page.locator("#pemantauan").get_by_role("link", name="Verifikasi").first.click()
        expect(main).to_contain_text("laporan-keuangan-tw1.pdf")
        page.get_by_role("button", name="Verifikasi semua").click()
        expect(main).to_contain_text("Realisasi Triwulan I diverifikasi.")
        assert Realisation.objects.filter(status="terverifikasi").count() == 51

        # Biro Perencanaan's national monitoring page shows the unit's capaian.
        log_in_as("reviu.perencanaan")
        page.get_by_role("link", name="Pemantauan", exact=True).click()
        expect(main).to_contain_text("Triwulan I")
        row = page.locator(f"tr[data-unit='{SEKRETARIAT}']")
        expect(row).to_contain_text("Sekretariat KPU Kota Bontang")
        expect(row.locator("[data-state]")).to_have_attribute("data-state", "terverifikasi")
        expect(row).to_contain_text("100,00%")
        expect(row).to_contain_text("Tercapai")
        expect(row).to_contain_text("51/51")
        os.makedirs("var/screenshots/monitoring", exist_ok=True)
        page.screenshot(path="var/screenshots/monitoring/national.png", full_page=True)
