"""How money and dates are written in KPU documents, and how typed amounts are read back."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import dateformat
from django.utils.translation import gettext as _

TIME_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


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


def zone_of(place) -> str:
    """The IANA zone of `place`: a unit (its own zone), anything with a `.unit` (a PK, a
    quarter), a zone name, or None (the server's zone, WIB)."""
    unit = getattr(place, "unit", place)
    zone = getattr(unit, "time_zone", unit)
    return zone if isinstance(zone, str) and zone else settings.TIME_ZONE


def clock(moment, place=None) -> str:
    """The one way a person reads a time: "15 Januari 2026 pukul 23.59 WITA", in the zone of the
    unit the page is about, with the zone named. A date alone is "15 Januari 2026"."""
    if moment in (None, ""):
        return ""
    if not isinstance(moment, datetime.datetime):
        return dateformat.format(moment, "j F Y")
    # Without a place, a moment already in a unit's zone (a deadline) keeps it.
    zone = zone_of(place) if place is not None else getattr(moment.tzinfo, "key", zone_of(None))
    local = moment.astimezone(ZoneInfo(zone))
    day = dateformat.format(local, "j F Y")
    return _("%(day)s pukul %(time)s") % {"day": day, "time": time_of_day(local, zone)}


def time_of_day(moment: datetime.datetime, zone: str | None = None) -> str:
    """ "23.59 WITA": the hour in `zone` (default: the moment's own), with the zone named."""
    zone = zone or str(moment.tzinfo)
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%H.%M} {TIME_ZONE_NAMES.get(zone, zone)}"


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def readable(value) -> str:
    """A stored value as a person reads it (history, differences): no "None", dates as
    "10 Januari 2027"."""
    text = "" if value is None else " ".join(str(value).split())
    if text in {"", "None", "null"}:
        return "—"
    match = _ISO_DATE.match(text)
    if match:
        try:
            return clock(datetime.date(*map(int, match.groups())))
        except ValueError:
            return text
    return text
