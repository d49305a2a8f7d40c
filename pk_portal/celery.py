"""The Celery application of PK Portal.

Configured from Django settings (the CELERY_ namespace): Redis as broker and result backend
when REDIS_URL is set, otherwise tasks run eagerly in the calling process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pk_portal.settings")

app = Celery("pk_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
