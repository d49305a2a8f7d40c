"""What the PK page's monitoring panel shows that depends only on the data: the status,
average and measuring version of each quarter, and the table of every indicator with its
chart and capaian per quarter, rendered once per content version and kept in the shared cache
(Redis in production): the 60 charts of a PK are drawn once after each change, not on every
page view. What depends on the viewer or the hour (entry windows, who may enter or verify)
stays with the template tag."""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.template.loader import render_to_string
from django.utils.translation import get_language

from agreements.models import Agreement
from monitoring.charts import indicator_chart
from monitoring.models import (
    MONITORED_STATUSES,
    CapaianRule,
    Quarter,
    Realisation,
    RealisationStatus,
)
from monitoring.series import build_report

# Bump when monitoring/_panel_rows.html, the charts or the series change.
PANEL_VERSION = 1
PANEL_SECONDS = 7 * 24 * 60 * 60


def content_version(agreement) -> str:
    """Changes with anything the panel shows (2 queries): the unit's PK versions of the year
    (a lampiran change, a signing, an amendment), their realisations (every save bumps a
    lock version and `updated_at`; a deletion lowers the count) and the capaian rules."""
    versions = list(
        Agreement.objects.filter(unit_id=agreement.unit_id, year=agreement.year)
        .order_by("pk")
        .values_list("pk", "lock_version", "status", "updated_at")
    )
    realisations = Realisation.objects.filter(
        agreement__unit_id=agreement.unit_id, agreement__year=agreement.year
    ).aggregate(n=Count("pk"), last=Max("updated_at"), locks=Sum("lock_version"), top=Max("pk"))
    signature = repr((agreement.pk, versions, sorted(realisations.items()), CapaianRule.current()))
    return hashlib.sha256(signature.encode()).hexdigest()


def page_version(agreement) -> str:
    """What the PK page's cached body needs from the panel: its content version, for a PK
    that shows the panel (2 queries), else nothing (no query)."""
    return content_version(agreement) if agreement.status in MONITORED_STATUSES else ""


def _render(agreement) -> dict:
    report = build_report(agreement)
    statuses = dict(RealisationStatus.choices)
    quarters = [
        {
            "number": quarter,
            "label": label,
            "owner": {"pk": owner.pk, "version": owner.version},
            "status": report.statuses[quarter],
            "status_label": statuses.get(report.statuses[quarter], ""),
            "average": report.averages[quarter],
        }
        for quarter, label in Quarter.choices
        for owner in [report.owners.get(quarter, agreement)]
    ]
    rows = [
        {
            "line": line,
            "chart": indicator_chart(line),
            "cells": [line.cells[q] for q in Quarter.values],
        }
        for line in report.lines
    ]  # fmt: skip
    rows_html = render_to_string(
        "monitoring/_panel_rows.html", {"rows": rows, "quarters": quarters}
    )
    return {"quarters": quarters, "rows_html": rows_html}


def panel_content(agreement) -> dict:
    """{"quarters": [{number, label, owner: {pk, version}, status, status_label, average}],
    "rows_html": the indicator table}: cached per content version and language."""
    key = f"pk-monitoring:{PANEL_VERSION}:{content_version(agreement)}:{get_language()}"
    content = cache.get(key)
    if content is None:
        content = _render(agreement)
        cache.set(key, content, timeout=PANEL_SECONDS)
    return content
