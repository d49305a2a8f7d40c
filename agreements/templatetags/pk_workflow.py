"""{% return_note agreement %}: the note of a returned PK, at the top of each of its pages."""

from django import template

from agreements.history import pending_return

register = template.Library()


@register.inclusion_tag("agreements/_return_note.html")
def return_note(agreement):
    return {"agreement": agreement, "event": pending_return(agreement)}
