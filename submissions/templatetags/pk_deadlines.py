"""{% pk_deadlines agreement %}: the deadlines of a PK, days left or overdue, in local time."""

from django import template
from django.utils import timezone

from submissions.deadlines import deadlines_for

register = template.Library()


@register.inclusion_tag("submissions/_deadlines.html")
def pk_deadlines(agreement):
    return {"deadlines": deadlines_for(agreement.unit, agreement.year, agreement.status,
                                       now=timezone.now())}  # fmt: skip
