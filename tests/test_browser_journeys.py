"""The year of each role of a KPU Kota and its province, as the person lives it, in a real
browser (Playwright driving the Debian Chromium): after the login page nothing but clicks on
links and buttons and filling forms, starting from the home page's "Tugas Anda"
(`only_by_clicks` fails a journey that types an address).

- the operator records the one DIPA, reads the return note at the top of the returned PK, fixes
  and resubmits it, and finds the PK by part of its unit's name;
- the Kasubbag signs from the queue (password, one-time code, signing secret);
- the Sekretaris approves one PK and signs another as Pihak Kedua; he is not asked to sign
  before Pihak Pertama has;
- the Ketua reads the note of the revision he returned on the review page of the new one and
  approves; he is not asked to sign before the Sekretaris has;
- the province's compiler is told of the deliveries, double-clicks "Susun kompilasi" (the
  button waits, one compilation) and sends it to KPU;
- Biro Perencanaan is told of the compilation, searches the national review by part of a
  unit's name, returns Bontang's PK (times in WITA) and accepts Sorong's (times in WIT);
- the Inspektorat reads the national review and a PK, with nothing to press.

Times a person reads are in the zone of the unit the page is about, named, as "pukul 23.59
WITA". With PK_TOUR_DIR set the journeys save the README tour's screenshots there
(`make tour`).
"""

import datetime
import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core import mail
from django.db import connections
from playwright.sync_api import expect

from agreements.models import Agreement, Notification
from agreements.signing.devkeys import DEMO_SIGNING_SECRET, create_dev_signing_keys
from agreements.signing.service import sign_agreement
from agreements.workflow import perform
from organisations.models import Role
from submissions.compilation import submit_compilation
from submissions.models import Compilation, Decision, Dipa, Submission
from submissions.services import decide
from submissions.tasks import compile_province
from tests.browser import PASSWORD, confirm, log_in, only_by_clicks, tour_shot
from tests.factories import (
    appoint,
    load_units,
    make_bontang_signers,
    make_official,
    make_user,
    otp_code,
    unit,
    verify_otp,
)
from tests.test_browser_cycle import signed_and_submitted
from tests.test_signatory import budget, make_pk, row

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

YEAR = 2027
BONTANG, SAMARINDA, SORONG = "64.74", "64.72", "96.71"
SEKRETARIAT = "64.74.sekretariat"
KEUANGAN = "64.74.sekretariat.keuangan"
PERENCANAAN = "64.74.sekretariat.perencanaan"
# 09.00 WITA in Bontang (UTC+8), 10.00 WIT in Sorong (UTC+9), on a working day of January.
WORK_DAY = datetime.datetime(2027, 1, 12, 1, 0, tzinfo=datetime.UTC)
RETURN_NOTE = "Target laporan keuangan menjadi 3 laporan, sesuai RKT."
WITA_TIME = re.compile(r"\d{1,2} Januari 2027 pukul \d{2}\.\d{2} WITA")
WIT_TIME = re.compile(r"\d{1,2} Januari 2027 pukul \d{2}\.\d{2} WIT\b")


def test_a_journey_may_type_the_login_pages_address_only():
    class Page:
        def goto(self, url, **kwargs):
            return url

    page = Page()
    only_by_clicks(page)
    assert page.goto("http://localhost:8000/akun/login/") == "http://localhost:8000/akun/login/"
    with pytest.raises(AssertionError, match="types no address but the login page's"):
        page.goto("http://localhost:8000/pk/1/")


@pytest.fixture
def january():
    """The clock of the journeys: 12 January 2027, running (the live server shares it)."""
    with time_machine.travel(WORK_DAY, tick=True):
        yield


@pytest.fixture
def bontang(january):
    """KPU Kota Bontang: its officials, operators and signatories (each with a one-time-code
    device and a signing key), and the 2027 PKs of two Subbagian, as drafts."""
    load_units(BONTANG)
    officials = {
        BONTANG: make_official("Muzarroby Renfly"),
        SEKRETARIAT: make_official("Bambang Rahmadhany", nip="197906232009121001"),
        KEUANGAN: make_official("Indra Lesmana", nip="198503122010121002"),
        PERENCANAAN: make_official("Selvi Soraya", nip="198807142011012003"),
    }
    for code, official in officials.items():
        appoint(code, official)
    users = make_bontang_signers(officials)
    users["keuangan_pk"] = make_pk(KEUANGAN, YEAR)
    users["perencanaan_pk"] = make_pk(
        PERENCANAAN, YEAR, [row("Jumlah Data Pemilih Mutakhir", "4 laporan"), budget(1_000_000)]
    )
    return users


@pytest.fixture
def dipa(bontang):
    """The Sekretariat's DIPA 2027, ratified on 22 December 2026: PKs are due on 21 January."""
    return Dipa.objects.create(unit=unit(SEKRETARIAT), year=YEAR, number="SP DIPA-076.01.2/2027",
                               ratified_on=datetime.date(2026, 12, 22))  # fmt: skip


def in_another_thread(function, *args, **kwargs):
    """Call `function` in a thread of its own on this test's database connection: pyHanko
    starts an event loop of its own (asyncio.run), which Playwright's, running in this thread,
    does not allow."""
    connection = connections["default"]

    def run():
        connections["default"] = connection
        return function(*args, **kwargs)

    connection.inc_thread_sharing()
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(run).result()
    finally:
        connection.dec_thread_sharing()


def signing_keys(*officials_of):
    create_dev_signing_keys([user.memberships.get().official for user in officials_of])


def home(page):
    """Back to "Tugas Anda" by the brand link of the top bar."""
    page.get_by_role("link", name="PK Portal").first.click()
    tasks = page.locator("#tugas-anda")
    expect(tasks).to_be_visible()
    return tasks


def sign_here(page, username, users, *, as_party, done, code_asked=True):
    """On the signing page: password, signing secret and (once a session) the one-time code."""
    main = page.locator("main")
    expect(main).to_contain_text(f"sebagai {as_party}")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_signing_secret", DEMO_SIGNING_SECRET)
    if code_asked:
        page.fill("#id_otp_token", otp_code(users[username]))
    page.get_by_role("button", name="Tandatangani secara elektronik").click()
    expect(main).to_contain_text(done)


def test_the_operator_records_the_dipa_fixes_the_returned_pk_and_finds_it(
    live_server, page, bontang
):
    users, pk = bontang, bontang["keuangan_pk"]
    perform(pk, "submit", users["op.keuangan"])
    perform(pk, "return", users["sekretaris"], note=RETURN_NOTE)
    main = page.locator("main")
    only_by_clicks(page)
    log_in(page, live_server.url, "op.sekretariat")

    # The DIPA, once, from the task that asks for it.
    tasks = page.locator("#tugas-anda")
    dipa_task = tasks.locator("li", has_text="Catat DIPA")
    expect(dipa_task).to_contain_text(f"Sekretariat KPU Kota Bontang tahun {YEAR}")
    dipa_task.get_by_role("link", name="Catat DIPA").click()
    page.fill("#id_number", "SP DIPA-076.01.2.690615/2027")
    page.fill("#id_ratified_on", "2026-12-22")
    page.get_by_role("button", name="Simpan").click()
    expect(main).to_contain_text(f"DIPA Sekretariat KPU Kota Bontang {YEAR} disimpan.")
    assert Dipa.objects.filter(year=YEAR).count() == 1

    # The returned PK: the task carries the note, the PK page shows it first of all.
    tasks = home(page)
    expect(tasks.locator("li", has_text="Catat DIPA")).to_have_count(0)
    returned = tasks.locator("li", has_text="yang dikembalikan")
    expect(returned).to_contain_text(RETURN_NOTE)
    expect(returned).to_contain_text("Batas 21 Januari 2027 pukul 23.59 WITA")
    returned.get_by_role("link", name="Buka PK").click()
    note = page.locator("#pk-return-note")
    expect(note).to_contain_text(RETURN_NOTE)
    expect(note).to_contain_text("Dikembalikan untuk perbaikan oleh sekretaris")
    expect(note).to_have_text(WITA_TIME)
    # The note stands above the page's title, not in the history at the bottom.
    assert note.bounding_box()["y"] < page.locator("h1").bounding_box()["y"]
    # One DIPA: the one just recorded, on the PK page too, and the deadline counts from it.
    expect(main).to_contain_text("SP DIPA-076.01.2.690615/2027 (22 Desember 2026)")
    expect(main).not_to_contain_text("DIPA belum dicatat")
    expect(page.locator("#pk-deadlines")).to_contain_text("21 Januari 2027 pukul 23.59 WITA")

    # The fix, and the PK goes back to its approver: the note is done with.
    page.get_by_role("link", name="Ubah lampiran").click()
    page.fill("#id_indikator-0-target", "3 laporan")
    page.get_by_role("button", name="Simpan lampiran").click()
    expect(main).to_contain_text("Lampiran disimpan: 1 indikator dan 1 baris anggaran.")
    expect(page.locator("#pk-return-note")).to_contain_text(RETURN_NOTE)  # until resubmitted
    page.get_by_role("button", name="Ajukan untuk disetujui").click()
    confirm(page)
    expect(main).to_contain_text("PK diajukan kepada pejabat penyetuju.")
    expect(page.locator("#pk-return-note")).to_have_count(0)
    pk.refresh_from_db()
    assert (pk.status, pk.revision) == ("diajukan", 2)

    # Search the PK list by part of a unit's name.
    page.get_by_role("link", name="Perjanjian Kinerja", exact=True).first.click()
    page.fill("#cari-pk", "uangan")
    page.get_by_role("button", name="Cari", exact=True).click()
    found = main.locator("table.table-pk tbody tr")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("Subbagian Keuangan")


def test_the_kasubbag_signs_from_the_queue(live_server, page, bontang, dipa):
    users, pk = bontang, bontang["keuangan_pk"]
    perform(pk, "submit", users["op.keuangan"])
    perform(pk, "approve", users["sekretaris"])
    signing_keys(users["kasubbag.keuangan"])
    only_by_clicks(page)
    log_in(page, live_server.url, "kasubbag.keuangan")

    task = page.locator("#tugas-anda li", has_text="Tandatangani")
    expect(task).to_contain_text("Subbagian Keuangan")
    expect(task).to_contain_text("pukul 23.59 WITA")
    task.get_by_role("link", name="Tinjau dan tandatangani").click()
    panel = page.locator("#pk-signing")
    expect(panel).to_contain_text("Anda menandatangani sebagai Pihak Pertama.")
    panel.get_by_role("link", name="Tandatangani secara elektronik").click()
    expect(page.locator("#id_otp_token")).to_be_visible()
    tour_shot(page, "3-sign")
    sign_here(page, "kasubbag.keuangan", users, as_party="Pihak Pertama",
              done="Tanda tangan elektronik Pihak Pertama tersimpan.")  # fmt: skip
    expect(page.locator("#pk-signing")).to_contain_text("sudah menandatangani")
    expect(page.locator("#pk-signing")).to_contain_text(WITA_TIME)

    # Nothing is left for him; the PK waits for the Sekretaris.
    expect(home(page)).not_to_contain_text("Tandatangani")


def test_the_sekretaris_approves_and_signs_after_pihak_pertama(live_server, page, bontang, dipa):
    users = bontang
    keuangan, perencanaan = users["keuangan_pk"], users["perencanaan_pk"]
    perform(keuangan, "submit", users["op.keuangan"])
    for action, who in (("submit", "op.sekretariat"), ("approve", "sekretaris")):
        perform(perencanaan, action, users[who])
    signing_keys(users["kasubbag.perencanaan"], users["sekretaris"])
    kasubbag = users["kasubbag.perencanaan"]
    verify_otp(kasubbag)
    in_another_thread(sign_agreement, perencanaan, "pihak_pertama", kasubbag, PASSWORD,
                      secret=DEMO_SIGNING_SECRET)  # fmt: skip
    main = page.locator("main")
    only_by_clicks(page)
    log_in(page, live_server.url, "sekretaris")

    # Approve Keuangan's PK from the queue.
    tasks = page.locator("#tugas-anda")
    approve = tasks.locator("li", has_text="Setujui")
    expect(approve).to_contain_text("Subbagian Keuangan")
    expect(approve).to_contain_text("pukul 23.59 WITA")
    approve.get_by_role("link", name="Tinjau").click()
    page.get_by_role("button", name="Setujui").click()
    confirm(page)
    expect(main).to_contain_text("PK disetujui dan siap ditandatangani.")

    # Keuangan's Kasubbag has not signed: only Perencanaan's PK asks for his signature.
    tasks = home(page)
    sign = tasks.locator("li", has_text="Tandatangani")
    expect(sign).to_have_count(1)
    expect(sign).to_contain_text("Subbagian Perencanaan")
    sign.get_by_role("link", name="Tinjau dan tandatangani").click()
    page.locator("#pk-signing").get_by_role("link", name="Tandatangani secara elektronik").click()
    sign_here(page, "sekretaris", users, as_party="Pihak Kedua", done="PK kini ditandatangani.")
    expect(page.locator("#pk-signing")).to_contain_text("Selvi Soraya")
    expect(page.locator("#pk-signing")).to_contain_text("lengkap")
    perencanaan.refresh_from_db()
    assert perencanaan.status == "ditandatangani"


def test_the_ketua_reads_the_earlier_note_and_approves(live_server, page, bontang, dipa):
    users = bontang
    # The union of its Subbagian PKs, as the cascade checks want it.
    both = [row(), row("Jumlah Data Pemilih Mutakhir", "4 laporan"), budget(2_000_000)]
    sekretariat = make_pk(SEKRETARIAT, YEAR, both)
    perform(sekretariat, "submit", users["op.sekretariat"])
    perform(sekretariat, "return", users["ketua"], note=RETURN_NOTE)
    perform(sekretariat, "submit", users["op.sekretariat"])
    main = page.locator("main")
    only_by_clicks(page)
    log_in(page, live_server.url, "ketua")

    approve = page.locator("#tugas-anda li", has_text="Setujui")
    expect(approve).to_contain_text("Sekretariat KPU Kota Bontang")
    approve.get_by_role("link", name="Tinjau").click()
    # The review page of revision 2 says what he asked for in revision 1.
    actions = page.locator("#pk-review-actions")
    expect(actions).to_contain_text(f"Revisi 1 dikembalikan dengan catatan: “{RETURN_NOTE}”")
    expect(main).to_contain_text("revisi 2")
    page.get_by_role("button", name="Setujui").click()
    confirm(page)
    expect(main).to_contain_text("PK disetujui dan siap ditandatangani.")

    # The Sekretaris (Pihak Pertama) signs first: the Ketua is not asked to sign yet.
    expect(home(page)).not_to_contain_text("Tandatangani")
    page.get_by_role("link", name="Menunggu tindakan Anda").first.click()
    waiting = page.locator(f"#pk-waiting tr[data-pk='{sekretariat.pk}']")
    expect(waiting).not_to_contain_text("Tandatangani")


@pytest.fixture
def deliveries(eager_celery, january):
    """Bontang's and Samarinda's Sekretariat PKs 2027, signed and delivered to KPU Provinsi
    Kalimantan Timur; Sorong's to KPU Provinsi Papua Barat Daya. Their compilers and KPU's
    reviewers exist first, with e-mail addresses, so that they are told."""
    load_units(BONTANG, SAMARINDA, SORONG)
    users = {
        "kompilasi.kaltim": make_user("kompilasi.kaltim", unit_code="64", role=Role.COMPILER,
                                      email="kompilasi@kpu-kaltim.example"),
        "kompilasi.pbd": make_user("kompilasi.pbd", unit_code="96", role=Role.COMPILER),
        "reviu.perencanaan": make_user("reviu.perencanaan", unit_code="setjen.biro-perencanaan",
                                       role=Role.REVIEWER_PERENCANAAN,
                                       email="perencanaan@kpu.example"),
        "inspektorat": make_user("inspektorat", unit_code="setjen.inspektorat",
                                 role=Role.REVIEWER_INSPEKTORAT),
    }  # fmt: skip
    for code in (BONTANG, SAMARINDA, SORONG):
        office = f"{code}.sekretariat"
        users[office] = signed_and_submitted(office, make_user(f"op.{code}", unit_code=office))
    return users


def compiled_and_sent(province, compiler) -> Compilation:
    compilation = Compilation.objects.create(
        province=unit(province), year=YEAR, requested_by=compiler
    )
    assert compile_province(compilation.pk) == "selesai"
    compilation.refresh_from_db()
    submit_compilation(compilation, compiler)
    return compilation


def test_the_compiler_is_told_and_compiles_once_on_a_double_click(live_server, page, deliveries):
    main = page.locator("main")
    told = [m for m in mail.outbox if "kompilasi@kpu-kaltim.example" in m.to]
    assert any("Sekretariat KPU Kota Bontang" in m.subject for m in told), told
    only_by_clicks(page)
    log_in(page, live_server.url, "kompilasi.kaltim")

    # Told in the portal too, at Bontang's time.
    page.locator("#pk-notification-bell").get_by_role(
        "link", name=re.compile("Notifikasi 2")
    ).click()
    notice = main.locator("li", has_text="Sekretariat KPU Kota Bontang")
    expect(notice).to_contain_text("siap dikompilasi")
    expect(notice).to_contain_text(WITA_TIME)
    expect(main).not_to_contain_text("Sorong")

    task = home(page).locator("li", has_text="siap dikompilasi")
    expect(task).to_contain_text("2 PK Kab/Kota")
    expect(task).to_contain_text("pukul 23.59 WITA")
    task.get_by_role("link", name="Susun kompilasi").click()

    # A double click: the button waits (what it shows meanwhile is kept in the tab's session
    # storage, which outlives the page), one compilation.
    page.evaluate(
        """() => document.addEventListener("submit", (event) => setTimeout(() => {
               const button = event.target.querySelector("button");
               sessionStorage.setItem("pk-busy", button.disabled + " " + button.textContent);
           }, 0))"""
    )
    main.get_by_role("button", name="Susun kompilasi").dblclick()
    expect(main).to_contain_text("2 PK dimuat", timeout=60_000)
    busy = page.evaluate("() => sessionStorage.getItem('pk-busy')")
    assert busy.startswith("true ") and "Memproses" in busy, busy
    assert Compilation.objects.count() == 1
    tour_shot(page, "5-compilation", full_page=True)
    page.get_by_role("button", name="Sampaikan ke KPU").click()
    confirm(page)
    expect(main).to_contain_text("Disampaikan ke KPU")
    expect(main.locator(".badge", has_text="Disampaikan ke KPU")).to_have_text(WITA_TIME)

    # KPU's reviewers are told that it arrived.
    assert Notification.objects.filter(
        user=deliveries["reviu.perencanaan"],
        message__contains="Kompilasi KPU Provinsi Kalimantan Timur tahun 2027 (2 PK)",
    ).exists()


def test_the_reviewer_is_told_searches_returns_and_accepts(live_server, page, deliveries):
    compiled_and_sent("64", deliveries["kompilasi.kaltim"])
    compiled_and_sent("96", deliveries["kompilasi.pbd"])
    assert any("perencanaan@kpu.example" in m.to and "Kalimantan Timur" in m.subject
               for m in mail.outbox)  # fmt: skip
    main = page.locator("main")
    only_by_clicks(page)
    log_in(page, live_server.url, "reviu.perencanaan")

    page.locator("#pk-notification-bell").get_by_role(
        "link", name=re.compile("Notifikasi 2")
    ).click()
    expect(main).to_contain_text("Kompilasi KPU Provinsi Kalimantan Timur tahun 2027 (2 PK)")
    expect(main).to_contain_text("Kompilasi KPU Provinsi Papua Barat Daya tahun 2027 (1 PK)")

    task = home(page).locator("li", has_text="menunggu reviu")
    expect(task).to_contain_text("3 PK menunggu reviu")
    task.get_by_role("link", name="Buka reviu nasional").click()
    page.select_option("#id_provinsi", "64")
    page.get_by_role("button", name="Saring").click()
    rows = page.locator("table.pk-review tbody tr")
    expect(rows.filter(has_text="KPU Kota Bontang")).to_have_count(1)
    expect(rows.filter(has_text="KPU Kota Samarinda")).to_have_count(1)
    expect(rows.filter(has_text="KPU Kota Sorong")).to_have_count(0)

    def find(part_of_a_name, regency):
        page.select_option("#id_provinsi", "")  # the whole nation, not the province chosen
        page.fill("#id_cari", part_of_a_name)
        page.get_by_role("button", name="Saring").click()
        rows = page.locator("table.pk-review tbody tr")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text(regency)
        return rows

    # Bontang, by part of its name: returned with a note, its times in WITA.
    find("ontan", "KPU Kota Bontang")
    tour_shot(page, "6-national-review")
    page.locator("table.pk-review tbody tr").get_by_role(
        "link", name=re.compile("Menunggu")
    ).click()
    expect(main).to_contain_text("Sekretariat KPU Kota Bontang")
    expect(main).to_contain_text(WITA_TIME)
    page.fill("#return-note", "Nomor dan tanggal DIPA belum tercantum pada pernyataan.")
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(main).to_contain_text("dikembalikan untuk perbaikan dengan catatan")
    # Back on the list the PK was opened from, searched as it was, the PK now returned.
    expect(page.locator("#id_cari")).to_have_value("ontan")
    expect(page.locator("table.pk-review tbody tr")).to_contain_text("Dikembalikan")

    # Sorong: accepted, its times in WIT.
    find("soro", "KPU Kota Sorong").get_by_role("link", name=re.compile("Menunggu")).click()
    expect(main).to_contain_text("Sekretariat KPU Kota Sorong")
    expect(main).to_contain_text(WIT_TIME)
    expect(main).not_to_contain_text("WITA")
    page.get_by_role("link", name=f"Reviu PK {YEAR}").click()  # the breadcrumb: the same list
    expect(page.locator("#id_cari")).to_have_value("soro")
    page.locator("table.pk-review tbody tr").get_by_role(
        "link", name=re.compile("Menunggu")
    ).click()
    page.get_by_role("button", name="Terima PK").click()
    expect(main).to_contain_text("diterima.")
    expect(page.locator("#id_cari")).to_have_value("soro")

    returned = Agreement.objects.get(unit__code=f"{BONTANG}.sekretariat")
    assert (returned.status, returned.revision) == ("dikembalikan", 2)
    decisions = dict(Submission.objects.values_list("agreement__unit__code", "decision"))
    assert decisions == {f"{BONTANG}.sekretariat": Decision.RETURNED,
                         f"{SORONG}.sekretariat": Decision.ACCEPTED,
                         f"{SAMARINDA}.sekretariat": Decision.PENDING}  # fmt: skip


def test_the_inspektorat_reads_the_review_and_a_pk_with_nothing_to_press(
    live_server, page, deliveries
):
    compiled_and_sent("64", deliveries["kompilasi.kaltim"])
    bontang = Submission.objects.get(agreement__unit__code=f"{BONTANG}.sekretariat")
    decide(bontang, deliveries["reviu.perencanaan"], accept=True)
    main = page.locator("main")
    only_by_clicks(page)
    log_in(page, live_server.url, "inspektorat")

    home(page).get_by_role("link", name="Buka reviu nasional").click()
    page.fill("#id_cari", "bontang")
    page.get_by_role("button", name="Saring").click()
    row = page.locator("table.pk-review tbody tr")
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile("Diterima")).click()
    expect(main).to_contain_text("Sekretariat KPU Kota Bontang")
    expect(main).to_contain_text(WITA_TIME)
    expect(main.get_by_role("button")).to_have_count(0)  # decided: nothing to decide

    main.get_by_role("link", name="buka PK").click()
    expect(page.locator("h1")).to_contain_text(f"Perjanjian Kinerja Tahun {YEAR}")
    expect(main).to_contain_text("Sekretariat KPU Kota Bontang")
    expect(page.locator("#pk-workflow")).to_contain_text(
        "Tidak ada tindakan yang dapat Anda lakukan saat ini."
    )
    expect(main.get_by_role("button")).to_have_count(0)
    for editing in ("Ubah lampiran", "Ubah data pernyataan", "Impor lampiran", "Hapus draf"):
        expect(main.get_by_role("link", name=editing)).to_have_count(0)
    assert Agreement.objects.get(pk=bontang.agreement_id).status == "diterima"
