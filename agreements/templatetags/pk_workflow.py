"""{% return_note agreement %}: the note of a returned PK, at the top of each of its pages."""

import re

from django import template
from django.utils.translation import gettext_lazy

from agreements.history import pending_return

register = template.Library()


@register.inclusion_tag("agreements/_return_note.html")
def return_note(agreement):
    return {"agreement": agreement, "event": pending_return(agreement)}


# The attribute names of a certificate's subject (X.509, as pyHanko writes them).
SUBJECT_FIELDS = {
    "Common Name": gettext_lazy("Nama"),
    "Organizational Unit": gettext_lazy("Unit organisasi"),
    "Organization": gettext_lazy("Organisasi"),
    "Country": gettext_lazy("Negara"),
    "State or Province": gettext_lazy("Provinsi"),
    "Locality": gettext_lazy("Kota"),
    "Email Address": gettext_lazy("Surel"),
    "Serial Number": gettext_lazy("Nomor seri"),
}
_SUBJECT_NAMES = re.compile("|".join(sorted(map(re.escape, SUBJECT_FIELDS), key=len, reverse=True)))


@register.filter
def subjek_sertifikat(subject: str) -> str:
    """ "Common Name: X, Organization: KPU" -> "Nama: X, Organisasi: KPU"."""
    return _SUBJECT_NAMES.sub(lambda m: str(SUBJECT_FIELDS[m[0]]), subject or "")
