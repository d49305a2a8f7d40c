"""Templates carry no inline script: a Content-Security-Policy without 'unsafe-inline' must hold."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        yield from folder.rglob("*.html")


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        if INLINE_HANDLER.search(text) or INLINE_SCRIPT.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_walk_sees_the_templates():
    assert sum(1 for _ in templates()) > 40


# The printed documents (PDF) write dates their own way; pages people read use the clock filter.
PRINTED = ("documents/", "compilation/", "monitoring/pdf/")
RAW_TIME = re.compile(r'DATETIME_FORMAT|\{% timezone|\|timezone:|date:"[^"]*[HGi][^"]*"')


def test_every_time_a_person_reads_goes_through_the_clock_filter():
    raw = []
    for path in templates():
        name = path.relative_to(ROOT).as_posix().split("templates/", 1)[1]
        if name.startswith(PRINTED):
            continue
        raw += [f"{name}: {m[0]}" for m in RAW_TIME.finditer(path.read_text())]
    assert not raw, "use {{ moment|jam:unit }}: " + ", ".join(raw)
