"""Every page a person reads says it in Indonesian, with no raw value of the program: each GET
page of the permission matrix that a role may open (its own unit's objects), as that role,
checked for English words, "None", ISO dates and a word repeated in brackets
("Dikembalikan oleh reviewer (Dikembalikan)")."""

import html
import re

import pytest

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
}


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
        problems += [f"{url}: {p}" for p in problems_of(visible_text(response.content.decode()))]
    assert not problems, "\n".join(problems)
