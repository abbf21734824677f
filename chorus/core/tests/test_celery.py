"""Celery: reliability settings, enqueue-on-commit, and a real task run by a real worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from chorus.accounts.services import sessions_clear_expired
from chorus.accounts.tasks import sessions_clear_expired_task
from chorus.celery import app
from chorus.testing.celery_worker import running_worker, wait_until


def _expired_session() -> str:
    store = SessionStore()
    store["marker"] = "expired"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    assert store.session_key is not None
    return store.session_key


def test_reliability_settings():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert settings.CELERY_BEAT_SCHEDULE["sessions-clear-expired"]["task"] == (
        sessions_clear_expired_task.name
    )


@pytest.mark.django_db
def test_task_is_enqueued_only_when_the_transaction_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    sent: list[str] = []
    monkeypatch.setattr(
        sessions_clear_expired_task, "apply_async", lambda *a, **k: sent.append("x")
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sessions_clear_expired_task.delay_on_commit()
        assert sent == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert sent == ["x"]


@pytest.mark.django_db
def test_clearing_expired_sessions_twice_has_one_effect():
    key = _expired_session()
    live = SessionStore()
    live.create()

    assert sessions_clear_expired() == 1
    assert sessions_clear_expired() == 0
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=live.session_key).exists()


@pytest.mark.live
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_task_after_commit():
    key = _expired_session()

    with running_worker():
        with transaction.atomic():
            sessions_clear_expired_task.delay_on_commit()
        done = wait_until(lambda: not Session.objects.filter(session_key=key).exists())

    assert done, "the Celery worker did not delete the expired session within 60 s"
