"""The Celery application.

Reliability rules (see settings): late acknowledgement, rejection on worker loss, JSON only,
time limits. Tasks are thin wrappers around services, take ids, and are enqueued only once the
transaction that created their rows has committed (``delay_on_commit``).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings")

app = Celery("chorus", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["chorus.core", "chorus.accounts"])
