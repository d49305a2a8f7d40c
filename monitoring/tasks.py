"""Background work of the monitoring: the daily reminders of quarterly reporting, and keeping
the dashboards' scores warm.

Celery finds this module by autodiscovery (pk_portal.celery). The schedules live in Celery
beat's database (django-celery-beat), like the PK deadline reminders: see
monitoring.reminders for what a reminder run does.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from monitoring.dashboards.rows import last_ended_quarter, load_rows
from monitoring.reminders import send_quarter_reminders as send_due_quarter_reminders
from organisations.models import Unit

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_quarter_reminders() -> int:
    """The daily job: claim and send the quarterly reminders due today (once each,
    whatever retries or overlapping runs). Returns how many were sent."""
    outcomes = send_due_quarter_reminders()
    sent = sum(1 for o in outcomes if not o.skipped and not o.error)
    logger.info(
        "Quarter reminders: %d sent, %d already claimed, %d failed",
        sent,
        sum(o.skipped for o in outcomes),
        sum(bool(o.error) for o in outcomes),
    )
    return sent


@shared_task(acks_late=True)
def warm_dashboard_scores() -> int:
    """Score every PK of the country for the quarter being reported and the current one, so
    that the first visit of the national page after a restart or a cache flush does not pay
    for scoring ~3,300 PKs (monitoring.dashboards.scores keeps them in the cache). Optional:
    without it the first page computes them. Returns the number of rows scored."""
    today = timezone.localdate()
    current = (today.year, (today.month - 1) // 3 + 1)
    scored = 0
    with translation.override(settings.LANGUAGE_CODE):
        for year, quarter in sorted({last_ended_quarter(today), current}):
            rows, _provinces = load_rows(Unit.objects.all(), year, quarter)
            scored += sum(1 for row in rows if row.score is not None)
    logger.info("Dashboard scores warmed: %d PK quarters", scored)
    return scored
