"""Every page fits a phone: each GET page of the site, as each role that may open it, rendered
by the Debian Chromium at 375 px wide, is no wider than the screen (WCAG 1.4.10 Reflow). A wide
table scrolls inside its own labelled region (`.table-responsive`), never the page.

The pages are those of the permission matrix (tests/permission_matrix.py: every GET row a role
may open for its own unit, with the populated world of tests/test_permission_matrix.py), plus
the pages the matrix leaves out or reaches only after a step: the signed, approved and delivered
PK pages, a quarter with its evidence, the import mapping and preview, the public pages, the
404 and 403 pages. `test_every_url_name_is_measured_or_is_not_a_page` keeps the list whole: a
new URL name is either measured here or named below as not a page, with the reason.

Speed: the browser never talks to a server. Chromium asks for `http://testserver/…`; a route
hands each request (documents, htmx swaps, static files through WhiteNoise) to the Django test
client of the role being measured, in this thread, inside the world's transaction. So the world
is built once, each role is logged in once (the matrix's clients), one browser context serves
every page, and no axe/Nu pass runs here (the other browser tests run them, at 375 px too).
"""

import os
import time
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from agreements.models import Notification
from monitoring.models import Evidence
from organisations.models import Unit
from submissions.models import Dipa
from tests.import_files import shape_merged_sasaran_xlsx
from tests.permission_matrix import EXCLUDED_NAMESPACES, ROLES, parse, url_name
from tests.test_permission_matrix import (  # noqa: F401 - the fixtures of the matrix's world
    _files_in_a_temporary_folder,
    matrix_media,
    obj,
    pages_a_role_opens,
    query_for,
    url_for,
    world,
)
from tests.test_url_auth import named_patterns

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


ORIGIN = "http://testserver"  # the test client's host: absolute URLs Django builds match it
WIDTH = 375

# URL names that are not pages a person reads on a screen, and why.
NOT_PAGES = {
    "agreements:document_pdf": "a PDF download",
    "agreements:review_pdf": "a PDF download",
    "agreements:export": "a spreadsheet download",
    "agreements:template": "a spreadsheet download (the lampiran template)",
    "agreements:scan_file": "a PDF download (the scan)",
    "agreements:signed_download": "a PDF download (the signed PK)",
    "agreements:source_options": "an htmx fragment (the options of a select), not a page",
    "agreements:lampiran_row": "an htmx fragment (one new row of the lampiran editor)",
    "review_softcopy": "a PDF download",
    "review_export": "a spreadsheet download",
    "submissions:compilation_pdf": "a PDF download",
    "submissions:compilation_zip": "a ZIP download",
    "monitoring:evidence": "a download (the evidence file)",
    "monitoring:quarter_sheet": "a spreadsheet download",
    "monitoring_reports:national_xlsx": "a spreadsheet download",
    "monitoring_reports:province_xlsx": "a spreadsheet download",
    "monitoring_reports:measurement_xlsx": "a spreadsheet download",
    "monitoring_reports:measurement_pdf": "a PDF download",
    "monitoring_reports:openapi": "the API's JSON description",
    "monitoring_reports:api_unit_year": "JSON of the monitoring API",
    "review_home": "a redirect to this year's national review (measured as review_dashboard)",
    "monitoring_reports:national_home": "a redirect to this year's national monitoring page",
    "monitoring_reports:province_home": "a redirect to this year's province monitoring page",
    "healthz": "the health check of load balancers (plain text)",
    "set_language": "POST only: switches the interface language",
    "logout": "POST only: ends the session",
}


def post_only_names() -> set[str]:
    """Rows of the matrix whose GET answers 405 for everyone (or that have no GET row)."""
    rows = parse()
    names = {url_name(name) for name, _verb in rows}
    with_a_get_page = {
        url_name(name)
        for (name, verb), (_target, row) in rows.items()
        if verb == "GET" and set(row.values()) != {"M"}
    }
    return names - with_a_get_page


# --- the pages the matrix does not reach -----------------------------------------------------
def extra_pages(world) -> list[tuple[str, Client, str, str]]:  # noqa: F811
    """(who, their client, URL name, URL) of the pages measured beyond the matrix's own-unit
    GET rows."""
    op = world.users["op"]
    own = world.offices["own"].objects
    # The reset link of the e-mail stores its token in the session and redirects to the form.
    resetting = Client(raise_request_exception=False)
    uid, token = urlsafe_base64_encode(force_bytes(op.pk)), default_token_generator.make_token(op)
    reset_form = resetting.get(reverse("password_reset_confirm", args=[uid, token]))["Location"]
    anonymous = Client(raise_request_exception=False)
    pages = [
        ("anonymous", anonymous, "login", reverse("login")),
        ("anonymous", anonymous, "password_reset", reverse("password_reset")),
        ("anonymous", anonymous, "password_reset_done", reverse("password_reset_done")),
        ("anonymous", resetting, "password_reset_confirm", reset_form),
        ("anonymous", anonymous, "password_reset_complete", reverse("password_reset_complete")),
        ("anonymous", anonymous, "verification",
         reverse("verification", args=[own["scan"].verification_code])),
        ("op", world.clients["op"], "password_change", reverse("password_change")),
        ("op", world.clients["op"], "password_change_done", reverse("password_change_done")),
        ("op", world.clients["op"], "404", "/halaman-yang-tidak-ada/"),
        ("sub", world.clients["sub"], "403",
         url_for("agreements:edit", "draft", world, "own", world.users["sub"])),
        # A quarter already reported, with its evidence file (the matrix asks about the next).
        ("op", world.clients["op"], "monitoring:quarter",
         reverse("monitoring:quarter", args=[own["sign"].pk, 1])),
        ("ket", world.clients["ket"], "agreements:sign",
         reverse("agreements:sign", args=[own["appr"].pk])),
    ]  # fmt: skip
    # The PK page in each state after the draft: submitted, approved, signed, delivered; as the
    # operator and as the signatories who act on it.
    for target in ("subm", "appr", "sign", "deliv"):
        for role in ("op", "sek", "ket"):
            pages.append((role, world.clients[role], "agreements:detail",
                          own[target].get_absolute_url()))  # fmt: skip
    return pages


# --- what real offices type --------------------------------------------------------------------
# Words a screen cannot break at a space: an uploaded file's name, an e-mail address, a URL in a
# note, a name with its titles. The world's short names would let a page pass that a real
# office's data widens.
LONG_FILE_NAME = (
    "Laporan_Realisasi_Kinerja_Triwulan_I_2027_Subbagian_Partisipasi_Hubungan_Masyarakat_final.pdf"  # noqa: E501
)
LONG_EMAIL = "sekretariat.kpu.kota.bontang.kalimantan.timur@kpu.go.id"
LONG_URL = "https://jdih.kpu.go.id/data/data_kepkpu/2026/Keputusan_KPU_Nomor_1234_Tahun_2026_tentang_Pedoman_Perjanjian_Kinerja.pdf"  # noqa: E501
LONG_NAME = "Dr. H. Muhammad Fadhlurrahman Al-Ghazali Siregar, S.Sos., M.Si., M.A.P."


def with_long_values(world) -> None:  # noqa: F811
    """Gives the world's Bontang the long values above (undone with the test's transaction)."""
    own = world.offices["own"].objects
    for role in ("kas", "sek", "ket"):
        official = world.users[role].memberships.get().official
        official.name, official.email = f"{LONG_NAME} ({role})", LONG_EMAIL
        official.save(update_fields=["name", "email"])
    for user in world.users.values():
        user.email = LONG_EMAIL
        user.save(update_fields=["email"])
    Unit.objects.filter(code__startswith="64.74").update(
        email=LONG_EMAIL, address=f"Jl. Bessai Berinta, Bontang Lestari; {LONG_URL}"
    )
    Evidence.objects.filter(pk=own["evid"].pk).update(original_name=LONG_FILE_NAME)
    Dipa.objects.filter(pk=own["dipa"].pk).update(number="SP DIPA-076.01.2.690562/2027")
    for user in world.users.values():
        Notification.objects.create(user=user, message=f"Pedoman baru: {LONG_URL}", url=LONG_URL)


# --- the bridge from Chromium to the test client --------------------------------------------
class Bridge:
    """Answers every request of the browser with the Django test client of the current
    visitor (documents, htmx requests, form posts, static files).

    Playwright calls a route in a greenlet of its own, in this thread: its queries run on the
    test's connection, inside the world's transaction, while the test waits (tests/conftest.py
    `_one_set_of_database_connections_per_thread`)."""

    def __init__(self):
        self.client = Client()

    def __call__(self, route):
        request = route.request
        parts = urlsplit(request.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {
            key: value
            for key, value in request.headers.items()
            if key not in {"cookie", "host", "content-length", "content-type"}
        }
        response = self.client.generic(
            request.method,
            path,
            data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", ""),
            headers=headers,
        )
        body = b"".join(response.streaming_content) if response.streaming else response.content
        route.fulfill(status=response.status_code, headers=dict(response.items()), body=body)


# The page's width, and the innermost elements that reach past the screen's edge outside any
# scrolling region (what to fix): by their box, or by text running out of it (a long word).
MEASURE = """
(width) => {
  const inScroller = (element) => {
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const reach = (element) => {
    const box = element.getBoundingClientRect();
    return Math.max(box.right, box.left + element.scrollWidth);
  };
  const name = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
    + [...element.classList].map((c) => "." + c).join("");
  const culprits = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (reach(element) <= width + 0.5 || inScroller(element)) continue;
    if ([...element.children].some((child) => reach(child) > width + 0.5)) continue;
    culprits.push(`${name(element)} to ${Math.round(reach(element))} px`);
  }
  return {page: document.documentElement.scrollWidth, body: document.body.scrollWidth,
          culprits: culprits.slice(0, 4)};
}
"""


def measure(page, label) -> str | None:
    """None when the page fits; otherwise one line naming the page, its width and why."""
    found = page.evaluate(MEASURE, WIDTH)
    if max(found["page"], found["body"]) <= WIDTH:
        return None
    return (
        f"{label}: {max(found['page'], found['body'])} px wide "
        f"(html {found['page']}, body {found['body']}): {'; '.join(found['culprits'])}"
    )


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": 800}}


@pytest.mark.browser
@pytest.mark.django_db
def test_every_page_fits_a_375_px_screen(world, context):  # noqa: F811
    started = time.perf_counter()
    with_long_values(world)
    bridge = Bridge()
    context.route(f"{ORIGIN}/**", bridge)
    page = context.new_page()  # not the `page` fixture: its axe/Nu pass belongs to the others
    page.set_default_timeout(60_000)  # a busy CI machine: slow is not what this test measures
    too_wide, not_html, broken, measured = [], [], [], set()

    def visit(client, name, url, who):
        bridge.client = client
        response = page.goto(ORIGIN + url, wait_until="load")
        label = f"{name} as {who} ({url}, {response.status})"
        if response.status >= 500:
            broken.append(label)
            return
        if not response.headers.get("content-type", "").startswith("text/html"):
            not_html.append(label)
            return
        measured.add(name)
        if problem := measure(page, label):
            too_wide.append(problem)

    seen = set()
    for role in ROLES:
        client, user = world.clients[role], world.users[role]
        for name, target in pages_a_role_opens(role):
            if name in NOT_PAGES:
                continue
            url = url_for(name, target, world, "own", user)
            query = query_for(name, world, "own")
            if query:
                url += "?" + urlencode(query)
            if (role, url) not in seen:
                seen.add((role, url))
                visit(client, url_name(name), url, role)
    extra = extra_pages(world)
    for who, client, name, url in extra:
        visit(client, name, url, who)

    # The import: the mapping step of an office's own spreadsheet, then its preview.
    bridge.client = world.clients["op"]
    draft = world.offices["own"].objects["draft"]
    page.goto(ORIGIN + reverse("agreements:import", args=[draft.pk]))
    page.set_input_files(
        "#id_file",
        files=[{"name": "PK Sekretariat 2027.xlsx", "buffer": shape_merged_sasaran_xlsx(),
                "mimeType": "application/octet-stream"}],
    )  # fmt: skip
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.locator("table.pk-mapping")).to_be_visible(timeout=60_000)
    if problem := measure(page, "agreements:import_mapping as op"):
        too_wide.append(problem)
    page.get_by_role("button", name="Pratinjau").click()
    expect(page.get_by_role("button", name="Konfirmasi: ganti lampiran")).to_be_visible(
        timeout=60_000
    )
    if problem := measure(page, "the import preview (agreements:import_mapping) as op"):
        too_wide.append(problem)
    measured.add("agreements:import_mapping")

    # No request may reach the database after the test's transaction: wait for the last ones.
    page.close()
    context.unroute_all(behavior="wait")
    print(f"\n{len(seen) + len(extra) + 2} pages measured at {WIDTH} px in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    assert not broken, "server errors:\n" + "\n".join(broken)
    assert not not_html, "not pages (name them in NOT_PAGES):\n" + "\n".join(not_html)
    assert not too_wide, f"{len(too_wide)} page(s) wider than a {WIDTH} px screen:\n" + "\n".join(
        too_wide
    )
    unmeasured = page_names() - measured
    assert not unmeasured, f"pages planned but not measured: {sorted(unmeasured)}"


def page_names() -> set[str]:
    """The URL names this test measures (what the matrix and extra_pages open)."""
    from_matrix = {
        url_name(name) for role in ROLES for name, _target in pages_a_role_opens(role)
    } - set(NOT_PAGES)
    return from_matrix | EXTRA_NAMES


EXTRA_NAMES = {"login", "password_reset", "password_reset_done", "password_reset_confirm",
               "password_reset_complete", "verification", "password_change",
               "password_change_done", "agreements:import_mapping", "agreements:detail",
               "agreements:sign", "monitoring:quarter"}  # fmt: skip


def test_every_url_name_is_measured_or_is_not_a_page():
    site = {name for name, _pattern in named_patterns()}
    left_out = {n for n in site if n.split(":")[0] in EXCLUDED_NAMESPACES}  # Django's admin
    missing = sorted(site - page_names() - set(NOT_PAGES) - post_only_names() - left_out)
    assert not missing, (
        f"URL names neither measured at {WIDTH} px nor named in NOT_PAGES: {missing}"
    )
    assert not set(NOT_PAGES) - site, f"NOT_PAGES names no URL: {set(NOT_PAGES) - site}"
