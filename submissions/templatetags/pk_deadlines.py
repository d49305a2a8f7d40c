"""{% pk_deadlines agreement %}: the deadlines of a PK, days left or overdue, in local time."""

from django import template
from django.utils import timezone

from submissions.deadlines import DeadlineView, days_left, deadlines_for

register = template.Library()


@register.inclusion_tag("submissions/_deadlines.html")
def pk_deadlines(agreement):
    return {"deadlines": deadlines_for(agreement.unit, agreement.year, agreement.status,
                                       now=timezone.now())}  # fmt: skip


@register.inclusion_tag("submissions/_deadline_badge.html")
def deadline_badge(deadline, met=False):
    """A coloured "n hari lagi" / "terlambat n hari" badge for one deadline, in its own zone."""

    view = DeadlineView("", "", deadline, days_left(deadline, timezone.now()), met)
    return {"d": view}
