"""Thin Celery wrappers around invoice services; ids as arguments, safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from invoices.services.limits import FLOWS_PER_TASK


@shared_task(name="invoices.tasks.flow_process_task", acks_late=True)
def flow_process_task(flow_id: int) -> str:
    from invoices.services.processing import flow_process

    flow = flow_process(flow_id=flow_id)
    return flow.status if flow is not None else "missing"


@shared_task(name="invoices.tasks.flows_process_task", acks_late=True)
def flows_process_task(flow_ids: list[int]) -> int:
    """Several deposits of one batch call, processed together; returns how many this run did."""
    from invoices.services.processing import flows_process

    return len(flows_process(flow_ids=flow_ids))


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
    stale = list(
        Flow.objects.filter(
            Q(status=FlowStatus.RECEIVED, received_at__lt=now - datetime.timedelta(minutes=1))
            | Q(status=FlowStatus.PROCESSING, lease_until__lt=now)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    for start in range(0, len(stale), FLOWS_PER_TASK):
        flows_process_task.delay(stale[start : start + FLOWS_PER_TASK])
    return len(stale)


@shared_task(name="invoices.tasks.invoice_events_notify_task", acks_late=True)
def invoice_events_notify_task(event_ids: list[int]) -> int:
    from invoices.services.notifications import invoice_events_notify

    return len(invoice_events_notify(event_ids=event_ids))


def invoice_events_notify_later(event_ids: list[int]) -> None:
    """The invoice circuit's in-transaction hook: tell the parties of these status changes.

    Through the outbox, so a broker down at commit time delays the notifications instead of
    losing them.
    """
    from chorus.outbox.services import outbox_enqueue

    outbox_enqueue("invoices.tasks.invoice_events_notify_task", event_ids)


@shared_task(name="invoices.tasks.notification_digest_task")
def notification_digest_task() -> int:
    from invoices.services.notifications import notification_digest_send

    return notification_digest_send()
