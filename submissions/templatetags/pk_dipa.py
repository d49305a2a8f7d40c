"""{% pk_dipa agreement user %}: the one DIPA of a PK, and where it is recorded or corrected."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from submissions.dipa import dipa_office, recording_units
from submissions.dipa_sync import EDITABLE
from submissions.models import Dipa

register = template.Library()


@register.inclusion_tag("submissions/_pk_dipa.html")
def pk_dipa(agreement, user):
    """An editable PK shows the DIPA recorded for its office (its statement prints a copy); a
    submitted or signed one shows the DIPA it was submitted with."""
    office = dipa_office(agreement.unit)
    dipa = Dipa.objects.governing(agreement.unit, agreement.year)
    number, day = (dipa.number, dipa.ratified_on) if dipa else ("", None)
    if agreement.status not in EDITABLE and agreement.dipa_number:
        number, day = agreement.dipa_number, agreement.dipa_date
    record_url = ""
    if office is not None and recording_units(user).filter(pk=office.pk).exists():
        record_url = reverse("dipa_edit", args=[agreement.year, office.code])
        record_url += "?" + urlencode({"next": agreement.get_absolute_url()})
    return {"number": number, "day": day, "office": office, "record_url": record_url,
            "editable": agreement.status in EDITABLE}  # fmt: skip
