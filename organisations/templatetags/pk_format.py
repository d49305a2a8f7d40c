"""Template filters for the way KPU documents write numbers (loaded as a builtin)."""

from django import template

from organisations.formatting import clock, format_rupiah, group_thousands, time_of_day, zone_of

register = template.Library()


@register.filter
def rupiah(value):
    """{{ 21057000|rupiah }} -> "Rp 21.057.000,-"."""
    if value in (None, ""):
        return ""
    return format_rupiah(int(value))


@register.filter
def ribuan(value):
    """{{ 4105373000|ribuan }} -> "4.105.373.000"."""
    if value in (None, ""):
        return ""
    return group_thousands(int(value))


@register.filter
def jam(value, place=None):
    """{{ event.at|jam:agreement }} -> "15 Januari 2026 pukul 23.59 WITA": every time a person
    reads, in the zone of the unit the page is about (a unit, a PK or a zone name)."""
    return clock(value, place)


@register.filter
def pukul(value, place=None):
    """{{ deadline|pukul:unit }} -> "23.59 WITA" (the hour only, zone named)."""
    if value in (None, ""):
        return ""
    return time_of_day(value, zone_of(place) if place is not None else None)
