"""The Celery wiring: eager on the embedded default, a real worker process with Redis."""

import os

import pytest
from django.conf import settings
from django.urls import reverse

from organisations.tasks import send_email
from pk_portal.celery import app


def test_the_embedded_default_runs_tasks_eagerly():
    if not settings.REDIS_URL:
        assert app.conf.task_always_eager is True
        assert settings.CELERY_BROKER_URL == "memory://"


def test_eager_tasks_run_in_the_calling_process(eager_celery, mailoutbox):
    result = send_email.delay("Uji", "Isi pesan", ["ketua@example.go.id"])
    assert result.get()["pid"] == os.getpid()
    assert [m.subject for m in mailoutbox] == ["Uji"]


@pytest.mark.redis
def test_with_redis_a_real_worker_process_sends_the_email(celery_worker_process):
    result = send_email.delay("Pengingat PK", "Batas akhir 31 Januari", ["ketua@example.go.id"])
    outcome = result.get(timeout=60)
    assert outcome["sent"] == 1
    # Ran in the worker, not here: another process wrote the message to its own mail folder.
    assert outcome["pid"] == celery_worker_process["pid"] != os.getpid()
    written = list(celery_worker_process["mail_dir"].iterdir())
    assert len(written) == 1
    assert "Pengingat PK" in written[0].read_text()
    assert "send_email" in celery_worker_process["log"].read_text()


@pytest.mark.django_db
def test_password_reset_mail_goes_through_the_task(
    client, django_user_model, mailoutbox, eager_celery
):
    django_user_model.objects.create_user("op", email="op@example.go.id", password="x" * 12)
    response = client.post(reverse("password_reset"), {"email": "op@example.go.id"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["op@example.go.id"]
