"""Write a message with the business transaction; publish it after commit or from the sweep.

Publishing happens while the row is locked (``SELECT … FOR UPDATE SKIP LOCKED``) and the
row is marked in the same transaction, so the on-commit fast path and the sweeper never both
publish one message. A publish that fails (broker down) leaves the row for the sweeper.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chorus.outbox.models import OutboxMessage

logger = logging.getLogger(__name__)

# After a failed publish, wait this long (doubling, capped) before the sweeper tries again.
RETRY_FIRST = datetime.timedelta(seconds=10)
RETRY_CAP = datetime.timedelta(minutes=10)


def outbox_enqueue(task_name: str, *args: Any) -> OutboxMessage:
    """Record ``task_name(*args)`` in the current transaction; publish it once committed.

    Arguments must be JSON (ids, strings), as the Celery settings demand anyway.
    """
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args))
    transaction.on_commit(partial(outbox_publish, message.pk), robust=True)
    return message


def _send(task_name: str, args: list[Any]) -> None:
    """Hand the message to the broker (by name: the web process need not import the task)."""
    current_app.send_task(task_name, args=args)


def _publish(message: OutboxMessage, now: datetime.datetime) -> bool:
    """Send one locked row to the broker and mark it; return whether it went."""
    try:
        _send(message.task_name, message.args)
    except Exception as error:  # kombu OperationalError, connection refused
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        wait = min(RETRY_FIRST * 2 ** (message.attempts - 1), RETRY_CAP)
        message.available_at = now + wait
        message.save(update_fields=["attempts", "last_error", "available_at"])
        logger.warning("outbox: publishing %s failed: %s", message.pk, error)
        return False
    message.attempts += 1
    message.published_at = now
    message.save(update_fields=["attempts", "published_at"])
    return True


def outbox_publish(message_id: int) -> bool:
    """The fast path: publish one message now unless someone else holds or published it."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, published_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        return _publish(message, timezone.now())


def outbox_drain(*, batch: int = 200, max_batches: int = 50) -> int:
    """Publish due unpublished rows, oldest first, in locked batches; return how many went.

    Stops at the first failure: a broker that refuses one message refuses the next one too,
    and each refusal costs the connect timeout.
    """
    published = 0
    for _ in range(max_batches):
        with transaction.atomic():
            now = timezone.now()
            rows = list(
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(published_at__isnull=True, available_at__lte=now)
                .order_by("available_at", "pk")[:batch]
            )
            for message in rows:
                if not _publish(message, now):
                    return published
                published += 1
        if len(rows) < batch:
            break
    return published


def outbox_purge(*, days: int | None = None) -> int:
    """Delete messages published more than ``days`` ago; return how many."""
    keep = settings.CHORUS_OUTBOX_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=keep)
    deleted, _ = OutboxMessage.objects.filter(published_at__lt=cutoff).delete()
    return deleted
