"""Template filters for the way KPU documents write numbers (loaded as a builtin)."""

from django import template

from organisations.formatting import format_rupiah, group_thousands

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
