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
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from chorus.accounts.choices import Area
from chorus.accounts.models import Membership, User
from invoices.choices import InvoiceStatus
from invoices.lifecycle import QUIET_STATUSES
from invoices.models import (
    InvoiceEvent,
    Notification,
    NotificationMode,
    NotificationPreference,
)
from invoices.selectors import reports_payment


def _mode(user: User) -> str:
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.mode if preference is not None else NotificationMode.IMMEDIATE


def invoice_event_notify(*, event_id: int) -> list[Notification]:
    """Create the notifications of one status event (idempotent), then e-mail the immediate."""
    event = (
        InvoiceEvent.objects.select_related("invoice__recipient__public_entity", "invoice__service")
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.to_status in QUIET_STATUSES:
        return []
    invoice = event.invoice
    if event.to_status == InvoiceStatus.PAYMENT_SENT and not reports_payment(invoice):
        return []
    members = Membership.objects.filter(
        structure_id=invoice.supplier_id,
        areas__contains=[Area.INVOICES_ISSUED],
        user__is_active=True,
    ).select_related("user")
    created: list[Notification] = []
    with transaction.atomic():
        for membership in members:
            if event.user_id == membership.user_id or event.on_behalf_of_id == membership.user_id:
                continue  # nobody is notified of their own action
            notification, was_created = Notification.objects.get_or_create(
                event=event, user=membership.user, defaults={"invoice": invoice}
            )
            if was_created:
                created.append(notification)
    for notification in created:
        if _mode(notification.user) == NotificationMode.IMMEDIATE:
            notification_email_send(notification_id=notification.pk)
    return created


def notification_email_send(*, notification_id: int) -> bool:
    """E-mail one notification unless it was already sent; True when this call sent it."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related(
        "user", "invoice__recipient", "event__reason"
    ).get(pk=notification_id)
    with translation.override("fr"):
        body = render_to_string(
            "invoices/email/status_changed.txt",
            {"notifications": [notification], "site_url": settings.SITE_URL},
        )
        subject = render_to_string(
            "invoices/email/status_changed_subject.txt", {"notification": notification}
        ).strip()
    send_mail(subject, body, None, [notification.user.email])
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
        ids = [n.pk for n in notifications]
        claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
            emailed_at=moment
        )
        if not claimed:
            continue
        user = notifications[0].user
        with translation.override("fr"):
            body = render_to_string(
                "invoices/email/status_changed.txt",
                {"notifications": notifications, "site_url": settings.SITE_URL},
            )
        send_mail(
            f"[Chorus] {len(notifications)} changement(s) de statut de vos factures",
            body,
            None,
            [user.email],
        )
        sent += 1
    return sent


def notification_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    notifications = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        notifications = notifications.filter(pk__in=ids)
    return notifications.update(read_at=timezone.now())


def notification_set_mode(*, user: User, mode: str) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"mode": NotificationMode(mode)}
    )
    return preference
