"""Thin Celery wrappers around invoice services; ids as arguments, safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db.models import Q
from django.utils import timezone


@shared_task(name="invoices.tasks.flow_process_task", acks_late=True)
def flow_process_task(flow_id: int) -> str:
    from invoices.services.processing import flow_process

    flow = flow_process(flow_id=flow_id)
    return flow.status if flow is not None else "missing"


@shared_task(name="invoices.tasks.flow_sweep_task")
def flow_sweep_task(batch: int = 500) -> int:
    """Re-enqueue deposits whose message was lost (Redis down after commit, worker killed).

    The database is the source of truth: anything received more than a minute ago and still
    not final, or whose processing lease expired, is sent again. Claiming makes it harmless
    when the original message also arrives.
    """
    from invoices.choices import FlowStatus
    from invoices.models import Flow

    now = timezone.now()
    stale = Flow.objects.filter(
        Q(status=FlowStatus.RECEIVED, received_at__lt=now - datetime.timedelta(minutes=1))
        | Q(status=FlowStatus.PROCESSING, lease_until__lt=now)
    ).values_list("pk", flat=True)[:batch]
    count = 0
    for flow_id in stale:
        flow_process_task.delay(flow_id)
        count += 1
    return count


@shared_task(name="invoices.tasks.invoice_event_notify_task", acks_late=True)
def invoice_event_notify_task(event_id: int) -> int:
    from invoices.services.notifications import invoice_event_notify

    return len(invoice_event_notify(event_id=event_id))


@shared_task(name="invoices.tasks.notification_digest_task")
def notification_digest_task() -> int:
    from invoices.services.notifications import notification_digest_send

    return notification_digest_send()
