"""Background work of the organisations app."""

import logging
import os
import socket

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
)
def send_email(self, subject: str, body: str, to: list[str], html_body: str | None = None):
    """Send one e-mail out of the request cycle.

    Side effects: one message through EMAIL_BACKEND; a failed connection (OSError) is retried
    with back-off so a slow mail server never blocks a web request.
    Returns where it ran, so callers and tests can tell a worker from the web process.
    """

    message = EmailMultiAlternatives(subject=subject, body=body, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    sent = message.send()
    logger.info("Sent e-mail %r to %d recipient(s)", subject, len(to))
    return {"sent": sent, "pid": os.getpid(), "host": socket.gethostname()}


def queue_email(subject: str, body: str, to: list[str]) -> None:
    """Queue `send_email`; a broker or mail server error is logged and never reaches the
    user's request (the notification in the app is already saved)."""
    try:
        send_email.delay(subject, body, to)
    except Exception:
        logger.exception("Could not queue the notification e-mail %r to %s", subject, to)
