"""The NIP (Nomor Induk Pegawai) of a civil servant: 18 digits that say who the person is.

Layout: YYYYMMDD (birth date) YYYYMM (appointment as CPNS) S (sex: 1 man, 2 woman) NNN
(sequence). "19780228 200902 1 004" is a man born 28 February 1978, appointed February 2009.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_nip(value: str) -> str:
    """Drop the spaces, dots and "NIP." prefix people type or copy from documents."""
    return re.sub(r"(?i)^\s*nip\.?\s*|[\s.]", "", str(value or ""))


_EIGHTEEN_DIGITS = re.compile(r"[0-9]{18}")


def validate_nip(value: str) -> None:
    nip = normalise_nip(value)
    # ASCII digits only: str.isdigit() also admits "²" or "١", which int() may not read.
    if len(nip) == 18 and not _EIGHTEEN_DIGITS.fullmatch(nip):
        raise ValidationError(
            _("NIP harus terdiri atas 18 angka 0–9; yang diisi memuat karakter lain."),
            code="nip_digits",
        )
    if not _EIGHTEEN_DIGITS.fullmatch(nip):
        raise ValidationError(
            _("NIP harus terdiri atas 18 angka (yang diisi: %(count)d karakter)."),
            code="nip_length",
            params={"count": len(nip)},
        )
    try:
        birth = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("NIP %(nip)s memuat tanggal lahir yang tidak ada (%(date)s)."),
            code="nip_birth_date",
            params={"nip": nip, "date": f"{nip[6:8]}-{nip[4:6]}-{nip[0:4]}"},
        ) from None
    appointment_year, appointment_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= appointment_month <= 12:
        raise ValidationError(
            _("NIP %(nip)s memuat bulan pengangkatan yang tidak ada (%(month)s)."),
            code="nip_appointment_month",
            params={"nip": nip, "month": nip[12:14]},
        )
    if appointment_year < birth.year + 15 or appointment_year > datetime.date.today().year + 1:
        raise ValidationError(
            _("NIP %(nip)s memuat tahun pengangkatan yang tidak masuk akal (%(year)s)."),
            code="nip_appointment_year",
            params={"nip": nip, "year": nip[8:12]},
        )
    if birth.year < 1940 or birth > datetime.date.today():
        raise ValidationError(
            _("NIP %(nip)s memuat tahun lahir yang tidak masuk akal (%(year)s)."),
            code="nip_birth_year",
            params={"nip": nip, "year": nip[0:4]},
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Digit ke-15 NIP (jenis kelamin) harus 1 atau 2, bukan %(digit)s."),
            code="nip_sex",
            params={"digit": nip[14]},
        )


def format_nip(nip: str) -> str:
    """Print as KPU documents do: the 18 digits together ("NIP. 197802282009021004")."""
    return normalise_nip(nip)
