"""{% monitoring_panel agreement %}: the quarters of a signed PK on its page, with a small SVG
chart and the capaian per quarter of each indicator, and links to each quarter's form."""

from django import template
from django.utils import timezone

from monitoring.charts import indicator_chart
from monitoring.deadlines import entry_window
from monitoring.models import MONITORED_STATUSES, Quarter, RealisationStatus, ReportingPeriod
from monitoring.permissions import entry_refusal, verify_refusal
from monitoring.series import build_report

register = template.Library()


@register.inclusion_tag("monitoring/_panel.html", takes_context=True)
def monitoring_panel(context, agreement):
    if agreement.status not in MONITORED_STATUSES:
        return {"show": False}
    user = context["request"].user
    report = build_report(agreement)
    now = timezone.now()
    may_enter = entry_refusal(user, agreement) is None
    may_verify = verify_refusal(user, agreement) is None
    closing = ReportingPeriod.objects.closing_dates([agreement.year])
    quarters = []
    for quarter, label in Quarter.choices:
        status = report.statuses[quarter]
        closes_on = closing[(agreement.year, quarter)]
        quarters.append(
            {
                "number": quarter,
                "label": label,
                "owner": report.owners.get(quarter, agreement),
                "status": status,
                "status_label": dict(RealisationStatus.choices).get(status, ""),
                "average": report.averages[quarter],
                "window": entry_window(
                    agreement.year, quarter, agreement.unit.time_zone, now, closes_on=closes_on
                ),  # fmt: skip
                "can_verify": may_verify and status == RealisationStatus.SUBMITTED,
            }
        )
    return {
        "show": True,
        "agreement": agreement,
        "quarters": quarters,
        "may_enter": may_enter,
        "rows": [
            {
                "line": line,
                "chart": indicator_chart(line),
                "cells": [line.cells[q] for q in Quarter.values],
            }
            for line in report.lines
        ],  # fmt: skip
    }
