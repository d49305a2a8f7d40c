"""Normalising indicator texts so that the same indicator typed twice matches itself."""

import re
import unicodedata

# Common OCR and typing variants seen in the seeds, mapped to one spelling.
_VARIANTS = {
    "pertanggung jawaban": "pertanggungjawaban",
    "dan/atau": "dan atau",
    "kfu": "kpu",
    "srategis": "strategis",
}


def normalise_text(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces, known variants unified."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    text = text.lower()
    for variant, canonical in _VARIANTS.items():
        text = text.replace(variant, canonical)
    text = re.sub(r"[^a-z0-9%]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
