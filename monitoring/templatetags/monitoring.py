"""{% monitoring_panel agreement %}: the quarters of a signed PK on its page, with a small SVG
chart and the capaian per quarter of each indicator, and links to each quarter's form.

What depends only on the data comes from monitoring.panel (cached per content version);
what depends on the viewer and the hour (entry windows, who may enter or verify) is
computed here on every view."""

from django import template
from django.utils import timezone

from monitoring.deadlines import entry_window
from monitoring.models import MONITORED_STATUSES, RealisationStatus, ReportingPeriod
from monitoring.panel import panel_content
from monitoring.permissions import entry_refusal, verify_refusal

register = template.Library()


@register.inclusion_tag("monitoring/_panel.html", takes_context=True)
def monitoring_panel(context, agreement):
    if agreement.status not in MONITORED_STATUSES:
        return {"show": False}
    user = context["request"].user
    content = panel_content(agreement)
    now = timezone.now()
    may_enter = entry_refusal(user, agreement) is None
    may_verify = verify_refusal(user, agreement) is None
    closing = ReportingPeriod.objects.closing_dates([agreement.year])
    quarters = [
        {
            **quarter,
            "window": entry_window(agreement.year, quarter["number"], agreement.unit.time_zone,
                                   now, closes_on=closing[(agreement.year, quarter["number"])]),
            "can_verify": may_verify and quarter["status"] == RealisationStatus.SUBMITTED,
        }
        for quarter in content["quarters"]
    ]  # fmt: skip
    return {
        "show": True,
        "agreement": agreement,
        "quarters": quarters,
        "may_enter": may_enter,
        "rows_html": content["rows_html"],
    }
