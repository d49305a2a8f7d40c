"""The visible stamp of an electronic signature: its words, written in the time zone of the
PK's unit, and the public verification address its QR code points at."""

import textwrap
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from agreements.models import Agreement, SignedDocument
from agreements.signing.signers import SignerIdentity

TIME_ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def unit_time_zone(agreement: Agreement) -> tuple[str, str]:
    """("Asia/Makassar", "WITA"): the PK unit's time zone, in which its dates are written."""
    zone = agreement.unit.time_zone or settings.TIME_ZONE
    return zone, TIME_ZONE_NAMES.get(zone, zone)


def local_time(agreement: Agreement, moment) -> tuple[str, str]:
    """("15 Januari 2026", "10.31 WITA"): the signing time in the unit's own time zone."""
    zone, zone_name = unit_time_zone(agreement)
    local = timezone.localtime(moment, ZoneInfo(zone))
    with translation.override("id"):
        day = date_format(local, "j F Y")
    return day, f"{local:%H.%M} {zone_name}"


STAMP_LINE_LENGTH = 24  # characters: beside the QR code, fills the 55 × 24 mm box at 6 pt


def stamp_text(agreement: Agreement, identity: SignerIdentity, moment) -> str:
    """The words of the visible stamp: who signed, in which position, and when, in full:
    lines of about STAMP_LINE_LENGTH characters, never cut; a long position makes more lines
    and the stamp shrinks them to fit its box (appearance.stamp_style). The NIP is printed
    under the box already."""

    def wrapped(text):
        return textwrap.wrap(" ".join(text.split()), STAMP_LINE_LENGTH, break_long_words=True)

    day, time = local_time(agreement, moment)
    lines = ["Ditandatangani secara", "elektronik oleh:", *wrapped(identity.name)]
    return "\n".join([*lines, *wrapped(identity.position), day, f"pukul {time}"])


REFERENCE_LINE_LENGTH = 40  # characters: the lampiran's reference has the whole box


def lampiran_reference_text(name: str, url: str) -> str:
    """The words in a party's signature box under the lampiran: where their electronic
    signature is (the statement page) and where to verify it. True before and after they
    sign, so it is drawn once, before the first signature."""

    def wrapped(text):
        return textwrap.wrap(" ".join(text.split()), REFERENCE_LINE_LENGTH, break_long_words=True)

    lines = [
        "Tanda tangan elektronik",
        *wrapped(name),
        "ada pada halaman pernyataan.",
        "Verifikasi:",
        *wrapped(url),
    ]
    return "\n".join(lines)


def verification_url(document: SignedDocument, base_url: str = "") -> str:
    """The public address the QR code points at: SIGNING_VERIFICATION_BASE_URL (the
    site's public origin) when set, else `base_url` (the request's), else a relative path."""
    path = reverse("verification", args=[document.verification_code])
    base = getattr(settings, "SIGNING_VERIFICATION_BASE_URL", "") or base_url
    return base.rstrip("/") + path
