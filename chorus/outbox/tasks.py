"""Thin Celery wrappers: the outbox sweeper, its purge, and mail sent through the outbox."""

from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction

from chorus.outbox.services import outbox_drain, outbox_enqueue, outbox_purge


@shared_task(name="chorus.outbox.tasks.outbox_drain_task")
def outbox_drain_task() -> int:
    return outbox_drain()


@shared_task(name="chorus.outbox.tasks.outbox_purge_task")
def outbox_purge_task() -> int:
    return outbox_purge()


@shared_task(name="chorus.outbox.tasks.mail_send_task", acks_late=True)
def mail_send_task(subject: str, body: str, recipients: list[str]) -> int:
    return send_mail(subject, body, None, recipients)


def mail_send_later(subject: str, body: str, recipients: list[str]) -> None:
    """Queue an already rendered e-mail with the current transaction (sent once committed)."""
    if not recipients:
        return
    with transaction.atomic():
        outbox_enqueue("chorus.outbox.tasks.mail_send_task", subject, body, list(recipients))
