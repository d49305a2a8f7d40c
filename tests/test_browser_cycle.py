"""The whole 2027 cycle of KPU Kota Bontang and its province in a real browser (Playwright
driving the Debian Chromium), each step by the person who does it, logged in through the login
page:

1. December 2026: the Sekretariat's operator records its DIPA 2027.
2. January 2027: the Sekretariat's PK 2027 is drafted from the signed PK 2026; the operator of
   Subbagian Perencanaan imports its lampiran from a spreadsheet, the operator of Subbagian
   Keuangan copies last year's PK forward; the cascade checks flag the one target that
   disagrees with the Sekretariat's PK (the real SAKTI 85% / 95% of the 2026 seeds) and the
   operator fixes it; both submit, and so does the Sekretariat's operator.
3. The Sekretaris approves both Subbagian PKs; each Kasubbag signs electronically, then the
   Sekretaris (with a one-time code where the signing page asks for one).
4. The Ketua approves the Sekretariat's PK; the Sekretaris and the Ketua sign it
   electronically (the signed PDF is the original the province receives); the operator sends
   it to the KPU Provinsi.
5. The daily reminder job finds Kota Balikpapan late: its operator sees the reminder, the
   province's compiler too.
6. KPU Provinsi Kalimantan Timur compiles and sends to KPU; Biro Perencanaan returns one PK with
   a note and accepts the others.

Each step leaves a screenshot in var/screenshots/cycle/ (ignored by git); with PK_TOUR_DIR set,
three of them illustrate the README's tour (`make tour` retakes docs/tour/).
"""

import csv
import datetime
import io
import itertools
import os
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from openpyxl import Workbook
from playwright.sync_api import expect
from pypdf import PdfWriter

from agreements.drafting import copy_forward, start_agreement
from agreements.models import Agreement, Notification, SignedDocument
from agreements.seeds import SEED_DIR, load_seed, manifest
from agreements.signing.devkeys import DEMO_SIGNING_SECRET, create_dev_signing_keys
from organisations.demo import LETTERHEADS, OFFICIALS
from organisations.models import Role, Unit
from submissions.models import Dipa
from submissions.reminders import send_reminders
from submissions.services import submit
from tests.browser import confirm, tour_shot
from tests.factories import (
    FILLED_IN_TARGETS,
    appoint,
    fill_in_seed_targets,
    load_units,
    make_bontang_signers,
    make_official,
    make_user,
    otp_code,
    unit,
)

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "var" / "screenshots" / "cycle"
PASSWORD = "sandi-uji-yang-panjang"  # the one make_user gives
YEAR = 2027
BONTANG, SAMARINDA, BALIKPAPAN = "64.74", "64.72", "64.71"
SEKRETARIAT = "64.74.sekretariat"
KEUANGAN = "64.74.sekretariat.keuangan"
PERENCANAAN = "64.74.sekretariat.perencanaan"
SAKTI = "Persentase peningkatan kapasitas operator aplikasi SAKTI modul pelaporan"
# 09.00 WITA (Bontang is UTC+8) on the day the DIPA is recorded, and on the day of the work.
DIPA_DAY = datetime.datetime(2026, 12, 23, 1, 0, tzinfo=datetime.UTC)
WORK_DAY = datetime.datetime(2027, 1, 12, 1, 0, tzinfo=datetime.UTC)
SENT_EARLIER = datetime.datetime(2027, 1, 8, 3, 0, tzinfo=datetime.UTC)


def a_signed_scan(pages=2) -> bytes:

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def signed_and_submitted(code: str, sender) -> Agreement:
    """A PK 2027 of `code`, signed on paper (a blank scan stands for it) and sent onwards."""

    agreement = start_agreement(unit(code), YEAR)
    Agreement.objects.filter(pk=agreement.pk).update(status="ditandatangani")
    agreement.refresh_from_db()
    document = SignedDocument(agreement=agreement, revision=1, method="basah",
                              sha256="0" * 64, is_complete=True, page_count=2)  # fmt: skip
    document.file.save("scan.pdf", ContentFile(a_signed_scan()), save=True)
    submit(agreement, sender)
    return agreement


@pytest.fixture
def kaltim(eager_celery):
    """Kalimantan Timur at the end of 2026: Bontang with the officials and the signed 2026 PKs
    of the seeds, Samarinda (both PKs 2027 already sent), Balikpapan (DIPA early in December,
    its PK still a draft), the province's compiler and KPU's Biro Perencanaan."""
    load_units(BONTANG, SAMARINDA, BALIKPAPAN)
    Unit.objects.filter(satker__code=BONTANG).update(**LETTERHEADS[BONTANG])
    officials = {}
    for code, name, nip, start in OFFICIALS:
        if code.startswith(BONTANG):
            officials[code] = appoint(code, make_official(name, nip), start=start).official
    users = make_bontang_signers(officials)
    users |= {
        "op.perencanaan": make_user("op.perencanaan", unit_code=PERENCANAAN),
        "op.balikpapan": make_user("op.balikpapan", unit_code=f"{BALIKPAPAN}.sekretariat",
                                   email="sekretariat@kpu-balikpapan.example"),
        "kompilasi.kaltim": make_user("kompilasi.kaltim", unit_code="64", role=Role.COMPILER,
                                      email="kompilasi@kpu-kaltim.example"),
        "reviu.perencanaan": make_user("reviu.perencanaan", unit_code="setjen.biro-perencanaan",
                                       role=Role.REVIEWER_PERENCANAAN),
    }  # fmt: skip
    signers = [users[u] for u in ("ketua", "sekretaris", "kasubbag.keuangan",
                                  "kasubbag.perencanaan")]  # fmt: skip
    create_dev_signing_keys([u.memberships.get().official for u in signers])

    # Bontang's five PKs 2026 as the seeds print them, signed and accepted last January.
    for seed in manifest():
        if seed.entry["region"] == BONTANG:
            fill_in_seed_targets(load_seed(seed))  # as the offices did before signing
    Agreement.objects.filter(unit__code__startswith=BONTANG, year=YEAR - 1).update(
        status="diterima"
    )
    # Two Subbagian finished their PKs 2027 last week (copied forward and signed).
    for code in ("64.74.sekretariat.partisipasi", "64.74.sekretariat.teknis"):
        draft = start_agreement(unit(code), YEAR)
        copy_forward(Agreement.objects.get(unit__code=code, year=YEAR - 1), draft)
        Agreement.objects.filter(pk=draft.pk).update(status="ditandatangani")
    # Last Friday the Ketua's own PK (single signatory) was signed and sent; so were both of
    # Samarinda's.
    with time_machine.travel(SENT_EARLIER, tick=False):
        signed_and_submitted(BONTANG, users["ketua"])
        for code in (SAMARINDA, f"{SAMARINDA}.sekretariat"):
            signed_and_submitted(code, make_user(f"op.{code}", unit_code=code))
    # Balikpapan's DIPA came early in December: its PKs had to be signed by 31 December.
    Dipa.objects.create(unit=unit(f"{BALIKPAPAN}.sekretariat"), year=YEAR, number="DIPA-076.01",
                        ratified_on=datetime.date(2026, 12, 1))  # fmt: skip
    start_agreement(unit(f"{BALIKPAPAN}.sekretariat"), YEAR)
    return users


def perencanaan_workbook(path: Path) -> Path:
    """The Subbagian Perencanaan's own spreadsheet: its 2026 lampiran (the seed) as .xlsx."""

    with open(SEED_DIR / "bontang-2026-subbag-perencanaan-data-informasi.csv",
              encoding="utf-8") as handle:  # fmt: skip
        rows = list(csv.reader(handle))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lampiran"
    sheet.append(rows[0])
    target = rows[0].index("target")
    for row in rows[1:]:
        if row[0] == "INDIKATOR" and not row[target]:  # the office's own file has its value
            row[target] = FILLED_IN_TARGETS[row[rows[0].index("indikator")]]
        sheet.append([int(c) if c.isdigit() else c for c in row])
    workbook.save(path)
    return path


def test_the_2027_cycle_of_bontang_and_its_province(live_server, page, kaltim, tmp_path):

    page.set_default_timeout(20_000)
    main = page.locator("main")
    url = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    numbers = itertools.count(1)

    def shot(name, *, full_page=False, down_to=None):
        """A screenshot of the step: the window, the whole page, or the page's top down to
        the bottom of `down_to`."""
        path = SHOTS / f"{next(numbers):02d}-{name}.png"
        if down_to is None:
            page.screenshot(path=path, full_page=full_page)
            return
        page.evaluate("window.scrollTo(0, 0)")
        box = down_to.bounding_box()
        clip = {"x": 0, "y": 0, "width": page.viewport_size["width"],
                "height": box["y"] + box["height"] + 16}  # fmt: skip
        page.screenshot(path=path, full_page=True, clip=clip)

    def panels():  # the row of the PK page with the checks, the workflow and the deadlines
        return page.locator("#pk-checks").locator("xpath=ancestor::div[contains(@class, 'row')][1]")

    def log_in_as(username, session_expired=False):
        """Log out (if logged in) and in again through the login page. After a long pause
        the old session is over: any page leads to the login page."""
        logout = page.get_by_role("button", name="Keluar")
        if session_expired:
            page.goto(f"{url}/pk/")
        elif logout.count():
            logout.click()
        else:
            page.goto(f"{url}/akun/login/")
        expect(page.locator("#id_username")).to_be_visible()
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        if session_expired:  # back to the page asked for
            expect(page.locator("h1")).to_have_text("Perjanjian Kinerja")
            expect(page.locator("nav")).to_contain_text(username)
        else:
            expect(main).to_contain_text(f"Selamat datang, {username}")

    def new_pk(source_label=None):
        page.goto(f"{url}/pk/")
        expect(page.locator("#id_year")).to_have_value(str(YEAR))
        if source_label:
            expect(page.locator("#id_source")).to_contain_text(source_label)
            page.select_option("#id_source", label=source_label)
        page.get_by_role("button", name="Buat PK").click()
        expect(main).to_contain_text("dibuat sebagai draf")
        return Agreement.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))

    def submit_for_approval():
        page.get_by_role("button", name="Ajukan untuk disetujui").click()
        confirm(page)
        expect(main).to_contain_text("PK diajukan kepada pejabat penyetuju.")

    def sign(agreement, username, as_party, done, code_asked=True):
        """Sign electronically: the password again, and the one-time code of the user's
        authenticator, which the page asks for once per session."""
        page.goto(f"{url}/pk/{agreement.pk}/tandatangan/")
        expect(main).to_contain_text(f"sebagai {as_party}")
        page.fill("#id_password", PASSWORD)
        page.fill("#id_signing_secret", DEMO_SIGNING_SECRET)  # what the officials enrolled
        code = page.locator("#id_otp_token")
        if code_asked:
            code.fill(otp_code(kaltim[username]))
        else:
            expect(code).to_have_count(0)
        page.get_by_role("button", name="Tandatangani secara elektronik").click()
        expect(main).to_contain_text(done)

    # 1. December 2026: the Sekretariat's operator records the DIPA 2027.
    with time_machine.travel(DIPA_DAY, tick=True) as traveller:
        log_in_as("op.sekretariat")
        page.get_by_role("link", name="DIPA", exact=True).click()
        expect(main).to_contain_text(f"DIPA tahun anggaran {YEAR}")
        row = page.locator("tr", has_text="Sekretariat KPU Kota Bontang")
        expect(row).to_contain_text("belum dicatat")
        row.get_by_role("link", name="Catat").click()
        page.fill("#id_number", "SP DIPA-076.01.2.690615/2027")
        page.fill("#id_ratified_on", "2026-12-22")
        page.get_by_role("button", name="Simpan").click()
        expect(main).to_contain_text(f"DIPA Sekretariat KPU Kota Bontang {YEAR} disimpan.")
        expect(row).to_contain_text("22 Desember 2026")
        shot("dipa")

        # 2. January 2027: the Sekretariat's PK 2027 starts from the signed PK 2026; its
        # signing deadline follows the DIPA (30 days after 22 December).
        traveller.move_to(WORK_DAY)
        log_in_as("op.sekretariat", session_expired=True)
        sekretariat_pk = new_pk(f"PK {YEAR - 1} unit ini")
        expect(main).to_contain_text(f"Perjanjian Kinerja Tahun {YEAR}")
        expect(main).to_contain_text(SAKTI)
        expect(page.locator("#pk-deadlines")).to_contain_text("21 Januari 2027 pukul 23.59 WITA")
        expect(page.locator("#pk-deadlines")).to_contain_text("9 hari lagi")
        shot("sekretariat-draft", down_to=page.locator("#pk-deadlines"))

        # 3. Subbagian Perencanaan imports its lampiran from its spreadsheet.
        log_in_as("op.perencanaan")
        perencanaan_pk = new_pk()
        page.get_by_role("link", name="Impor lampiran").click()
        page.set_input_files("#id_file", str(perencanaan_workbook(tmp_path / "pk-2027.xlsx")))
        page.get_by_role("button", name="Pratinjau").click()
        expect(main).to_contain_text("Berkas ini berisi 13 indikator dan 2 baris anggaran")
        shot("import-preview")
        tour_shot(page, "1-import-preview")
        page.get_by_role("button", name="Konfirmasi: ganti lampiran").click()
        expect(main).to_contain_text("Lampiran diimpor: 13 indikator")
        expect(page.locator(".pk-lampiran")).to_contain_text("Pendataan DPT Berkelanjutan")
        # Subbagian Keuangan has no PK 2027 yet: the budgets do not add up, nothing is sent.
        checks = page.locator("#pk-checks")
        expect(checks).to_contain_text("Program Dukungan Manajemen: jumlah anggaran Subbagian")
        expect(page.locator("#pk-workflow")).to_contain_text("PK belum dapat diajukan")

        # 4. Subbagian Keuangan copies its PK 2026 forward; the cascade check finds the SAKTI
        # target that differs from the Sekretariat's PK; the operator fixes it and submits.
        log_in_as("op.keuangan")
        keuangan_pk = new_pk(f"PK {YEAR - 1} unit ini")
        expect(checks).to_contain_text(f"Target “{SAKTI}” berbeda: 85%")
        expect(checks).to_contain_text("95% di PK Sekretariat")
        expect(checks.locator(".badge.text-bg-danger").first).to_have_text("1 kesalahan")
        expect(page.get_by_role("button", name="Ajukan untuk disetujui")).to_have_count(0)
        shot("cascade-check", down_to=panels())
        tour_shot(page, "2-cascade-check", down_to=panels())
        page.get_by_role("link", name="Ubah lampiran").click()
        field = page.locator(f"input[name$='-indikator'][value='{SAKTI}']")
        target_id = field.get_attribute("id").replace("-indikator", "-target")
        page.fill(f"#{target_id}", "95%")
        page.get_by_role("button", name="Simpan lampiran").click()
        expect(main).to_contain_text("Lampiran disimpan: 20 indikator dan 2 baris anggaran.")
        expect(checks).to_contain_text("Semua pemeriksaan lolos.")
        shot("cascade-fixed", down_to=panels())
        submit_for_approval()

        log_in_as("op.perencanaan")
        page.goto(f"{url}{perencanaan_pk.get_absolute_url()}")
        expect(checks).to_contain_text("Semua pemeriksaan lolos.")
        submit_for_approval()

        log_in_as("op.sekretariat")
        page.goto(f"{url}{sekretariat_pk.get_absolute_url()}")
        expect(checks.locator(".badge.text-bg-success").first).to_have_text("Tidak ada kesalahan")
        submit_for_approval()

        # 5. The Sekretaris approves both Subbagian PKs from the list of what waits for him,
        # seeing what changed from 2026.
        log_in_as("sekretaris")
        page.get_by_role("link", name="Menunggu tindakan Anda").first.click()
        waiting = page.locator("#pk-waiting")
        expect(waiting.locator("tr", has_text="Setujui")).to_have_count(2)
        shot("waiting")
        for agreement in (keuangan_pk, perencanaan_pk):
            waiting.locator(f"tr[data-pk='{agreement.pk}']").get_by_role(
                "link", name="Tinjau"
            ).click()
            if agreement == keuangan_pk:
                expect(page.locator("#pk-diff-last-year")).to_contain_text("95%")
                shot("review-diff", down_to=page.locator("#pk-diff-last-year"))
            page.get_by_role("button", name="Setujui").click()
            confirm(page)
            expect(main).to_contain_text("PK disetujui dan siap ditandatangani.")

        # 6. Each Kasubbag signs electronically as Pihak Pertama, then the Sekretaris as Pihak
        # Kedua (a one-time code, once in his session).
        log_in_as("kasubbag.keuangan")
        sign(keuangan_pk, "kasubbag.keuangan", "Pihak Pertama", "Menunggu Pihak Kedua")
        log_in_as("kasubbag.perencanaan")
        sign(perencanaan_pk, "kasubbag.perencanaan", "Pihak Pertama", "Menunggu Pihak Kedua")
        log_in_as("sekretaris")
        page.goto(f"{url}/pk/{keuangan_pk.pk}/tandatangan/")
        expect(main).to_contain_text("sebagai Pihak Kedua")
        shot("sign")
        sign(keuangan_pk, "sekretaris", "Pihak Kedua", "PK kini ditandatangani.")
        sign(perencanaan_pk, "sekretaris", "Pihak Kedua", "PK kini ditandatangani.",
             code_asked=False)  # fmt: skip
        expect(page.locator("#pk-submission")).to_contain_text("sudah ditandatangani")
        panel = page.locator("#pk-signing")
        expect(panel).to_contain_text("Selvi Soraya")
        expect(panel).to_contain_text("Bambang Rahmadhany")
        expect(panel).to_contain_text("lengkap")
        shot("signed", down_to=panels())

        # 7. The Ketua approves the Sekretariat's PK; the Sekretaris signs it electronically
        # as Pihak Pertama, then the Ketua as Pihak Kedua.
        log_in_as("ketua")
        page.get_by_role("link", name="Menunggu tindakan Anda").first.click()
        page.locator(f"#pk-waiting tr[data-pk='{sekretariat_pk.pk}']").get_by_role(
            "link", name="Tinjau"
        ).click()
        page.get_by_role("button", name="Setujui").click()
        confirm(page)
        expect(main).to_contain_text("PK disetujui dan siap ditandatangani.")
        traveller.shift(60)  # a new one-time code: the Sekretaris's last one may not come twice
        log_in_as("sekretaris")
        sign(sekretariat_pk, "sekretaris", "Pihak Pertama", "Menunggu Pihak Kedua")
        log_in_as("ketua")
        sign(sekretariat_pk, "ketua", "Pihak Kedua", "PK kini ditandatangani.")
        expect(page.locator("#pk-signing")).to_contain_text("Muzarroby Renfly")

        # 8. The Sekretariat's operator sends it to KPU Provinsi Kalimantan Timur.
        log_in_as("op.sekretariat")
        page.goto(f"{url}{sekretariat_pk.get_absolute_url()}")
        submission = page.locator("#pk-submission")
        expect(submission).to_contain_text("KPU Provinsi Kalimantan Timur")
        submission.get_by_role("button", name="Sampaikan PK").click()
        confirm(page)
        expect(main).to_contain_text("PK disampaikan.")
        expect(page.locator("#pk-workflow")).to_contain_text("Disampaikan")
        shot("sekretariat-submitted", down_to=panels())

        # 9. The daily reminder job (Celery beat at 07.00 WIB): Balikpapan's PK was due on
        # 31 December. Its operator reads the reminder; so does the province's compiler.
        assert send_reminders() == 1
        late = "Terlambat 12 hari: penandatanganan (30 hari setelah DIPA) PK Sekretariat KPU Kota Balikpapan 2027"  # noqa: E501
        assert [m.subject for m in mail.outbox if "Balikpapan" in m.subject] == [late]
        assert sorted(mail.outbox[-1].to) == [
            "kompilasi@kpu-kaltim.example",
            "sekretariat@kpu-balikpapan.example",
        ]
        log_in_as("op.balikpapan")
        expect(page.locator("#pk-notification-bell")).to_contain_text("1")
        page.locator("#pk-notification-bell").get_by_role("link").click()
        expect(main).to_contain_text(late)
        shot("reminder")
        tour_shot(page, "4-reminder")

        # 10. The province's compiler compiles what came in and sends it to KPU.
        log_in_as("kompilasi.kaltim")
        # The reminder about Balikpapan, and a notice of each PK delivered to the province.
        unread = Notification.objects.filter(user=kaltim["kompilasi.kaltim"], read_at=None)
        assert unread.filter(message__contains="Sekretariat KPU Kota Bontang").filter(
            message__contains="siap dikompilasi").exists()  # fmt: skip
        expect(page.locator("#pk-notification-bell")).to_contain_text(str(unread.count()))
        page.get_by_role("link", name="Kompilasi", exact=True).click()
        expect(main).to_contain_text("Kalimantan Timur")
        expect(page.locator("#kabkota tr[data-unit='64.71']")).to_contain_text("Draf")
        page.get_by_role("button", name="Susun kompilasi").click()
        expect(main).to_contain_text("4 PK dimuat", timeout=60_000)
        shot("compilation", full_page=True)
        page.get_by_role("button", name="Sampaikan ke KPU").click()
        confirm(page)
        expect(main).to_contain_text("Disampaikan ke KPU")

        # 11. Biro Perencanaan filters to the province, returns Samarinda's Sekretariat PK with
        # a note and accepts the three others.
        log_in_as("reviu.perencanaan")
        # Told of the compilation, and sent to the review from the home page's tasks.
        expect(page.locator("#pk-notification-bell")).not_to_have_text("")
        assert Notification.objects.filter(
            user=kaltim["reviu.perencanaan"], message__contains="Kompilasi KPU Provinsi Kalimantan Timur"
        ).exists()  # fmt: skip
        tasks = page.locator("#tugas-anda")
        expect(tasks).to_contain_text("PK menunggu reviu")
        tasks.get_by_role("link", name="Buka reviu nasional").click()
        page.select_option("#id_provinsi", "64")
        page.get_by_role("button", name="Saring").click()
        expect(main).to_contain_text("KPU Kota Bontang")
        shot("review-dashboard")

        def open_cell(regency, column):  # 0: the KPU's own PK (f), 1: its Sekretariat's (g)
            row = page.locator("table.pk-review tbody tr", has_text=regency)
            row.locator("td.border-start").nth(column).get_by_role("link").click()

        dashboard = page.url
        open_cell("KPU Kota Samarinda", 1)
        page.fill("#return-note", "Nomor dan tanggal DIPA belum tercantum pada pernyataan.")
        page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
        expect(main).to_contain_text("dikembalikan untuk perbaikan dengan catatan")
        for regency, column in (("KPU Kota Bontang", 1), ("KPU Kota Bontang", 0),
                                ("KPU Kota Samarinda", 0)):  # fmt: skip
            page.goto(dashboard)
            open_cell(regency, column)
            if (regency, column) == ("KPU Kota Bontang", 1):
                expect(main).to_contain_text("Sekretariat KPU Kota Bontang")
                shot("review-submission")
            page.get_by_role("button", name="Terima PK").click()
            expect(main).to_contain_text("diterima.")
        page.goto(dashboard)
        shot("review-done")

    statuses = dict(
        Agreement.objects.filter(year=YEAR, unit__province__code="64")
        .exclude(unit__code__startswith=BALIKPAPAN)
        .values_list("unit__code", "status")
    )
    assert statuses == {
        BONTANG: "diterima",
        SEKRETARIAT: "diterima",
        KEUANGAN: "ditandatangani",
        PERENCANAAN: "ditandatangani",
        "64.74.sekretariat.partisipasi": "ditandatangani",
        "64.74.sekretariat.teknis": "ditandatangani",
        SAMARINDA: "diterima",
        f"{SAMARINDA}.sekretariat": "dikembalikan",
    }
