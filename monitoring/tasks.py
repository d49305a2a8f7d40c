"""Background work of the monitoring: the daily reminders of quarterly reporting.

Celery finds this module by autodiscovery (pk_portal.celery). The schedule lives in Celery
beat's database (django-celery-beat), like the PK deadline reminders: see
monitoring.reminders for what a run does.
"""

import logging

from celery import shared_task

from monitoring.reminders import send_quarter_reminders as send_due_quarter_reminders

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
