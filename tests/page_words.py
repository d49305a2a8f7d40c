"""The words of a page a person reads: Indonesian, with no raw value of the program. Used on
the server-rendered pages of the permission matrix (tests/test_page_words.py) and on every page
and htmx swap a browser test visits (tests/a11y.py)."""

import html
import re

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


def red_zero_badges(page: str) -> list[str]:
    """Each red badge counting zero in the page's markup."""
    return [f"a red badge for zero: {m[0]}" for m in RED_ZERO_BADGE.finditer(page)]


def problems_of(text: str) -> list[str]:
    found = [f"English “{m[0]}”" for m in ENGLISH.finditer(text)]
    for what, pattern in RAW.items():
        found += [f"{what}: “{m[0]}”" for m in pattern.finditer(text)]
    return found
