"""Telling suppliers about every status change: in the portal, and by e-mail as they chose.

Each change becomes one ``Notification`` per member of the supplier structure who uses the
"invoices issued" area. E-mails are sent after the commit that created the rows, each row
marked sent by a conditional update, so a retry never sends twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from chorus.accounts.choices import Area
from chorus.accounts.models import Membership, User
from chorus.core.actor import Actor
from invoices.choices import InvoiceStatus
from invoices.circuit import QUIET_STATUSES
from invoices.models import (
    InvoiceEvent,
    Notification,
    NotificationMode,
    NotificationPreference,
)
from invoices.selectors import reports_payment


def invoice_event_notify(*, event_id: int) -> list[Notification]:
    """Create the notifications of one status event (idempotent), then e-mail the immediate."""
    return invoice_events_notify(event_ids=[event_id])


def invoice_events_notify(*, event_ids: list[int]) -> list[Notification]:
    """Notify the supplier members of several status events at once; return what was created.

    Idempotent: a notification is unique per (event, user), so a retried task creates and
    e-mails nothing twice. A member who chose immediate e-mails gets one message per call,
    listing every change of the call (the routing of a batch of deposits is one call).
    """
    events = [
        event
        for event in InvoiceEvent.objects.select_related(
            "invoice__recipient__public_entity", "invoice__service", "reason"
        )
        .filter(pk__in=event_ids)
        .exclude(to_status__in=QUIET_STATUSES)
        .order_by("pk")
        if event.to_status != InvoiceStatus.PAYMENT_SENT or reports_payment(event.invoice)
    ]
    if not events:
        return []
    members_by_supplier: dict[int, list[Membership]] = defaultdict(list)
    for membership in Membership.objects.filter(
        structure_id__in={event.invoice.supplier_id for event in events},
        areas__contains=[Area.INVOICES_ISSUED],
        user__is_active=True,
    ).select_related("user"):
        members_by_supplier[membership.structure_id].append(membership)
    ids = [event.pk for event in events]
    existing = set(Notification.objects.filter(event_id__in=ids).values_list("event_id", "user_id"))
    wanted = [
        Notification(event=event, user=membership.user, invoice=event.invoice)
        for event in events
        for membership in members_by_supplier[event.invoice.supplier_id]
        # nobody is notified of their own action
        if membership.user_id not in (event.user_id, event.on_behalf_of_id)
        and (event.pk, membership.user_id) not in existing
    ]
    if not wanted:
        return []
    Notification.objects.bulk_create(wanted, ignore_conflicts=True)
    by_pair = {(n.event_id, n.user_id): n for n in wanted}
    created = [
        notification
        for notification in Notification.objects.filter(event_id__in=ids).select_related(
            "user", "invoice__recipient", "event__reason"
        )
        if (notification.event_id, notification.user_id) in by_pair
    ]
    created.sort(key=lambda n: (n.user_id, n.event_id))
    modes = dict(
        NotificationPreference.objects.filter(user_id__in={n.user_id for n in created}).values_list(
            "user_id", "mode"
        )
    )
    immediate: dict[int, list[Notification]] = defaultdict(list)
    for notification in created:
        if (
            modes.get(notification.user_id, NotificationMode.IMMEDIATE)
            == NotificationMode.IMMEDIATE
        ):
            immediate[notification.user_id].append(notification)
    for notifications in immediate.values():
        _email(notifications, moment=timezone.now())
    return created


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification unless it was already sent; True when this call sent it."""
    notification = (
        Notification.objects.select_related("user", "invoice__recipient", "event__reason")
        .filter(pk=notification_id)
        .first()
    )
    return notification is not None and _email([notification], moment=timezone.now())


def _email(notifications: list[Notification], *, moment: datetime.datetime) -> bool:
    """One e-mail to one user for these notifications, unless another run already sent them.

    The conditional update claims the rows first, so two runs never send the same change.
    """
    claimed = Notification.objects.filter(
        pk__in=[n.pk for n in notifications], emailed_at__isnull=True
    ).update(emailed_at=moment)
    if not claimed:
        return False
    with translation.override("fr"):
        body = render_to_string(
            "invoices/email/status_changed.txt",
            {"notifications": notifications, "site_url": settings.SITE_URL},
        )
        if len(notifications) == 1:
            subject = render_to_string(
                "invoices/email/status_changed_subject.txt", {"notification": notifications[0]}
            ).strip()
        else:
            subject = f"[Chorus] {len(notifications)} changement(s) de statut de vos factures"
    send_mail(subject, body, None, [notifications[0].user.email])
    return True


def notification_digest_send(*, now: datetime.datetime | None = None) -> int:
    """Send one digest per user who chose the daily e-mail; return how many were sent."""
    moment = now or timezone.now()
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            user__invoice_notification_preference__mode=NotificationMode.DAILY,
            created_at__lte=moment,
        )
        .select_related("user", "invoice__recipient", "event__reason")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.user_id].append(notification)
    sent = 0
    for notifications in by_user.values():
        if _email(notifications, moment=moment):
            sent += 1
    return sent


def notification_mark_read(*, actor: Actor, ids: list[int] | None = None) -> int:
    """Mark the user's notifications read; a support agent reading them on the user's
    behalf (substitution) marks nothing: what the user has not read stays unread."""
    if actor.on_behalf_of is not None or actor.user is None:
        return 0
    notifications = Notification.objects.filter(user=actor.user, read_at__isnull=True)
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    return notifications.update(read_at=timezone.now())


def notification_set_mode(*, user: User, mode: str) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"mode": NotificationMode(mode)}
    )
    return preference
