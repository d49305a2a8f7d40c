"""Every page a person reads says it in Indonesian, with no raw value of the program: each GET
page of the permission matrix that a role may open (its own unit's objects), as that role,
checked for English words, "None", ISO dates and a word repeated in brackets
("Dikembalikan oleh reviewer (Dikembalikan)")."""

import html
import pathlib
import re

import pytest
from django.conf import settings
from django.urls import reverse

from agreements.drafting import start_agreement
from agreements.models import Agreement
from organisations.models import Role
from tests.factories import load_units, make_user, unit
from tests.permission_matrix import ROLES, expand
from tests.test_permission_matrix import (  # noqa: F401 - the fixtures of the matrix's world
    MATRIX,
    _files_in_a_temporary_folder,
    matrix_media,
    query_for,
    url_for,
    world,
)

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>|<[^>]+>", re.S | re.I)
ENGLISH = re.compile(
    r"\b(the|and|Please|Submit|Save|Cancel|Delete|Search|Upload|Download|Password|Username|"
    # ("No" is Indonesian too: nomor, the first column of a table.)
    r"Email|required|This field|Common Name|Organization|Country|Yes|Back|Next|Previous)\b"
)
RAW = {
    "None": re.compile(r"\bNone\b"),
    "an ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "a word repeated in brackets": re.compile(r"\b(\w{5,})\b[^()\n]{0,60}\(\1\)", re.I),
    # Programmers' jargon for a check's error: the portal says "kesalahan" (issue 17).
    "jargon": re.compile(r"\bgalat\b", re.I),
}
# A red badge that counts nothing ("0 kesalahan" in red): nothing is wrong, so it says so in
# green ("Tidak ada kesalahan") or stays neutral.
RED_ZERO_BADGE = re.compile(r'<[^>]*\bclass="[^"]*\b(?:text-)?bg-danger\b[^"]*"[^>]*>\s*0\b')


def visible_text(page: str) -> str:
    """What the browser shows: no tags, no scripts, entities decoded."""
    return html.unescape(HIDDEN.sub("\n", page))


def problems_of(text: str) -> list[str]:
    found = [f"English “{m[0]}”" for m in ENGLISH.finditer(text)]
    for what, pattern in RAW.items():
        found += [f"{what}: “{m[0]}”" for m in pattern.finditer(text)]
    return found


def test_the_checks_catch_what_people_saw():
    assert problems_of("Dikembalikan oleh reviewer (Dikembalikan)")
    assert problems_of("tanggal: None → 2027-01-10")
    assert problems_of("Please enter the password")
    assert not problems_of("Dikembalikan untuk perbaikan (revisi 2) · 10 Januari 2027 pukul 23.59")
    assert problems_of("PK belum dapat diajukan: 1 galat pemeriksaan")
    assert not problems_of("Tidak ada kesalahan")
    assert RED_ZERO_BADGE.search('<span class="badge text-bg-danger">0 kesalahan</span>')
    assert not RED_ZERO_BADGE.search('<span class="badge text-bg-danger">10 kesalahan</span>')
    assert not RED_ZERO_BADGE.search('<span class="badge text-bg-success">0 kesalahan</span>')


def test_no_template_message_or_translation_says_galat():
    """The word comes back through a template, a message in the code or the catalogue even on
    pages the matrix's world does not reach."""
    root = pathlib.Path(settings.BASE_DIR)
    apps = ("organisations", "indicators", "agreements", "submissions", "monitoring", "pk_portal")
    sources = [*root.glob("templates/**/*.html"), *(p for a in apps for p in root.glob(f"{a}/**/*.py")),
               root / "locale/en/LC_MESSAGES/django.po", root / "static/js/actions.js"]  # fmt: skip
    found = [
        f"{path.relative_to(root)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bgalat\b", line, re.I)
    ]
    assert not found, found


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_opens_is_in_plain_indonesian(world, role):  # noqa: F811
    client, user = world.clients[role], world.users[role]
    seen, problems = set(), []
    for (name, verb), (target, row) in MATRIX.items():
        if verb != "GET" or expand(row[role])["own"] not in {"o", "s"}:
            continue
        url = url_for(name, target, world, "own", user)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, query_for(name, world, "own"))
        if not response["Content-Type"].startswith("text/html"):
            continue  # PDFs, spreadsheets, JSON: not pages
        page = response.content.decode()
        problems += [f"{url}: {p}" for p in problems_of(visible_text(page))]
        problems += [f"{url}: a red badge for zero: {m[0]}" for m in RED_ZERO_BADGE.finditer(page)]
    assert not problems, "\n".join(problems)


def test_the_words_people_asked_about_are_explained_where_they_appear(client):
    """ "(f)/(g)", "Versi", "revisi", Renstra/RKT/RKA and the budget codes each carry their
    explanation (issue 17: jargon without help)."""
    load_units("64.74")
    agreement = start_agreement(unit("64.74.sekretariat.keuangan"), 2027)
    Agreement.objects.filter(pk=agreement.pk).update(revision=2, status="dikembalikan")
    client.force_login(make_user(unit_code="64.74.sekretariat"))

    page = client.get(agreement.get_absolute_url()).content.decode()
    assert '<abbr title="Huruf a–g mengikuti aturan penyusunan PK KPU' in page
    assert '<abbr title="Bertambah satu setiap kali PK dikembalikan' in page
    assert '<abbr title="Rencana Strategis">' in page and '<abbr title="Rencana Kerja' in page
    form = client.get(reverse("agreements:edit", args=[agreement.pk])).content.decode()
    assert "sejak 2025 hanya KPU RI" in form and "Rencana Kinerja Tahunan unit ini" in form
    editor = client.get(reverse("agreements:lampiran", args=[agreement.pk])).content.decode()
    assert "mis. 076.01.WA" in editor and "mis. 6871" in editor
    listing = client.get(reverse("agreements:list")).content.decode()
    assert '<abbr title="Versi 1: PK awal tahun itu' in listing

    client.force_login(make_user(unit_code="64", role=Role.COMPILER))
    province = client.get(reverse("submissions:province", args=["64", 2027])).content.decode()
    assert "f: PK KPU/KIP Kabupaten/Kota (Ketua); g: PK Sekretariatnya" in province
