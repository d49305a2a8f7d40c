"""The bad-input corpus: malformed and hostile files and texts, built at test time.

Every case names what it is, how to build it and what the application must answer; README.md
beside this file lists them all. tests/test_bad_input_corpus.py posts each one through the real
views and checks that the answer is a clear Indonesian message, never a 500, and that nothing
was saved or half-saved.
"""

from tests.corpus.cases import (
    DIPA_IMPORT_ACCEPTED,
    DIPA_IMPORT_REFUSED,
    LAMPIRAN_IMPORT_ACCEPTED,
    LAMPIRAN_IMPORT_REFUSED,
    PROOF_REFUSED,
    SCAN_REFUSED,
    Case,
)
from tests.corpus.payloads import (
    HOSTILE_TEXTS,
    UNUSUAL_TEXT,
    assert_escaped,
    hostile,
    short_hostile,
)

__all__ = [
    "DIPA_IMPORT_ACCEPTED",
    "DIPA_IMPORT_REFUSED",
    "HOSTILE_TEXTS",
    "LAMPIRAN_IMPORT_ACCEPTED",
    "LAMPIRAN_IMPORT_REFUSED",
    "PROOF_REFUSED",
    "SCAN_REFUSED",
    "UNUSUAL_TEXT",
    "Case",
    "assert_escaped",
    "hostile",
    "short_hostile",
]
