"""Every page a person reads says it in Indonesian, with no raw value of the program: each GET
page of the permission matrix that a role may open (its own unit's objects), as that role,
checked for English words, "None", ISO dates and a word repeated in brackets
("Dikembalikan oleh reviewer (Dikembalikan)")."""

import pathlib
import re

import pytest
from django.conf import settings

from tests.a11y import PageChecks
from tests.page_words import problems_of, red_zero_badges, visible_text
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


def test_the_checks_catch_what_people_saw():
    assert problems_of("Dikembalikan oleh reviewer (Dikembalikan)")
    assert problems_of("tanggal: None → 2027-01-10")
    assert problems_of("Please enter the password")
    assert not problems_of("Dikembalikan untuk perbaikan (revisi 2) · 10 Januari 2027 pukul 23.59")
    assert problems_of("PK belum dapat diajukan: 1 galat pemeriksaan")
    assert not problems_of("Tidak ada kesalahan")
    assert red_zero_badges('<span class="badge text-bg-danger">0 kesalahan</span>')
    assert not red_zero_badges('<span class="badge text-bg-danger">10 kesalahan</span>')
    assert not red_zero_badges('<span class="badge text-bg-success">0 kesalahan</span>')


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
        problems += [f"{url}: {p}" for p in red_zero_badges(page)]
    assert not problems, "\n".join(problems)


def test_every_page_a_browser_test_visits_is_checked_for_the_same_words():
    checks = PageChecks()
    checks.record(None, "http://localhost/pk/1/", "load",
                  "<!DOCTYPE html><html><body><p>tanggal: None</p>"
                  "<script>const ok = null;</script></body></html>")  # fmt: skip
    checks.record(None, "http://localhost/pk/1/", "htmx",
                  "<!DOCTYPE html><html><body><p>Tanggal 10 Januari 2027</p></body></html>")  # fmt: skip
    assert checks.word_findings() == ["http://localhost/pk/1/ (load): None: “None”"]
