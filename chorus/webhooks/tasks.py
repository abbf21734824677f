"""Celery tasks of webhook deliveries (published through the outbox)."""

from __future__ import annotations

from celery import shared_task

from chorus.webhooks.services import webhook_deliver, webhook_deliveries_due


@shared_task(name="chorus.webhooks.tasks.webhook_deliver_task", ignore_result=True)
def webhook_deliver_task(delivery_id: int) -> bool:
    return webhook_deliver(delivery_id=delivery_id)


@shared_task(name="chorus.webhooks.tasks.webhook_retry_task", ignore_result=True)
def webhook_retry_task() -> int:
    return webhook_deliveries_due()
