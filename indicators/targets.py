"""Reading a target as printed ("100%", "1 Lembaga", "85", "WTP") into a value and a unit."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Grades, best first: opini BPK (WTP…TMP) and SAKIP predicates (AA…D).
GRADE_ORDERS = {
    "opini": ["WTP", "WDP", "TW", "TMP"],
    "sakip": ["AA", "A", "BB", "B", "CC", "C", "D"],
}
GRADES = {grade for order in GRADE_ORDERS.values() for grade in order}

_NUMBER_WITH_UNIT = re.compile(r"^(?P<number>\d{1,12}(?:[.,]\d{1,4})?)\s*(?P<unit>%|[^\d\s].*)?$")


@dataclass(frozen=True)
class Target:
    value: Decimal | None
    unit: str
    grade: str

    @property
    def printed(self) -> str:
        if self.grade:
            return self.grade
        number = format(self.value.normalize(), "f").replace(".", ",")
        if not self.unit:
            return number
        if self.unit == "%":
            return f"{number}%"
        return f"{number} {self.unit}"

    @property
    def is_grade(self) -> bool:
        return bool(self.grade)


def parse_target(text: str) -> Target:
    """Raises ValidationError with an Indonesian message for anything that is not a target."""
    cleaned = re.sub(r"\s+", " ", str(text or "")).strip()
    if not cleaned:
        raise ValidationError(_("Target wajib diisi."), code="required")
    if cleaned.upper() in GRADES:
        return Target(value=None, unit="", grade=cleaned.upper())
    match = _NUMBER_WITH_UNIT.match(cleaned)
    if not match:
        raise ValidationError(
            _(
                "Target “%(value)s” tidak dapat dibaca: tulis angka dengan satuan "
                "(mis. 100%%, 1 Lembaga, 2 laporan), nilai (mis. 85) atau predikat "
                "(mis. WTP, B)."
            ),
            code="invalid",
            params={"value": cleaned},
        )
    number = match.group("number")
    # "1.000" is a thousand in Indonesian; "95,5" is ninety-five and a half.
    if re.fullmatch(r"\d{1,3}\.\d{3}", number):
        number = number.replace(".", "")
    try:
        value = Decimal(number.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise ValidationError(
            _("Target “%(value)s” bukan angka."), params={"value": cleaned}
        ) from None
    unit = (match.group("unit") or "").strip()
    return Target(value=value, unit=unit, grade="")
