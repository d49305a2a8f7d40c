"""How money and dates are written in KPU documents, and how typed amounts are read back."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def group_thousands(amount: int) -> str:
    """21057000 -> "21.057.000" (Indonesian grouping, whatever the active language)."""
    return f"{abs(int(amount)):,}".replace(",", ".")


def format_rupiah(amount: int | None) -> str:
    """21057000 -> "Rp 21.057.000,-", as the lampiran prints budgets."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {group_thousands(amount)},-"


_RUPIAH_NOISE = re.compile(r"(?i)^\s*rp\.?\s*|,-\s*$|,00\s*$|\s+")


def parse_rupiah(text: str | int) -> int:
    """Read a whole-rupiah amount as people type it: "Rp 21.057.000,-", "21057000", "21.057.000".

    Raises ValidationError (in Indonesian) for anything else, including cents and words.
    """
    if isinstance(text, int):
        if text < 0:
            raise ValidationError(_("Jumlah anggaran tidak boleh negatif."), code="negative")
        return text
    cleaned = _RUPIAH_NOISE.sub("", str(text).strip())
    cleaned = cleaned.replace(".", "")
    if not cleaned.isdigit():
        raise ValidationError(
            _("“%(value)s” bukan jumlah rupiah yang sah (contoh: Rp 21.057.000,-)."),
            code="invalid",
            params={"value": text},
        )
    return int(cleaned)
