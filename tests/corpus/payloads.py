"""Texts a user can type that must come back as text: markup, script, template syntax, and
Unicode that is legal but unusual (right-to-left overrides, zero-width characters, emoji)."""

from django.utils.html import escape

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
TEMPLATE_VARIABLE = "{{ 7*7 }}"
TEMPLATE_TAG = "{% debug %}"
HOSTILE_TEXTS = (SCRIPT, ATTRIBUTE_BREAK, TEMPLATE_VARIABLE, TEMPLATE_TAG)

# What must never reach a page or a document unescaped.
RAW_MARKUP = ("<script>alert(1)", "<img src=x onerror")

# Right-to-left override, zero-width space and joiner, an emoji, Arabic script and a combining
# accent: all legal in a text field, none may break a page, an export or a PDF.
UNUSUAL_TEXT = "Capaian \u202eiknabrep\u202c \u200bnol\u200d-lebar 🎯🗳️ انتخابات Pe\u0301milu"


def hostile(tag: str) -> str:
    """Every hostile text in one value, ended by `tag` to find the field it went into
    (76 characters and the tag: fits a 100-character field when the tag is short)."""
    return f"{SCRIPT}{ATTRIBUTE_BREAK}{TEMPLATE_VARIABLE}{TEMPLATE_TAG}#{tag}"


def short_hostile(tag: str) -> str:
    """The script alone and the tag, for fields of 40 characters (codes)."""
    return f"{SCRIPT}#{tag}"


def assert_escaped(html: str, *texts: str) -> None:
    """Each text is on the page exactly as typed, escaped (so "{{ 7*7 }}" and "{% debug %}" were
    shown, never evaluated); no raw markup is anywhere on the page."""
    missing = [text for text in texts if escape(text) not in html]
    assert not missing, f"not shown escaped: {missing!r}"
    for raw in RAW_MARKUP:
        assert raw not in html, f"raw {raw!r} reached the page"
