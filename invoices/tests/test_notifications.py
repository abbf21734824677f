"""Suppliers hear of every status change: in the portal, by e-mail immediately or daily."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from chorus.accounts.active import SESSION_KEY
from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership, User
from chorus.accounts.tests.factories import make_user
from chorus.circuits.roles import Role as CircuitRole
from chorus.core.actor import Actor
from invoices.choices import InvoiceStatus
from invoices.lifecycle import invoice_transition
from invoices.models import Invoice, Notification, NotificationMode
from invoices.services.notifications import (
    invoice_event_notify,
    notification_digest_send,
    notification_set_mode,
)
from invoices.tests.factories import make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice() -> Invoice:
    return make_invoice()


@pytest.fixture
def supplier_user(invoice: Invoice) -> User:
    user = make_user()
    Membership.objects.create(
        user=user, structure=invoice.supplier, role=Role.USER, areas=[Area.INVOICES_ISSUED]
    )
    return user


def _suspend(invoice: Invoice, django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = invoice_transition(
            invoice_id=invoice.pk,
            to=InvoiceStatus.SUSPENDED,
            actor=Actor(user=make_user()),
            role=CircuitRole.RECIPIENT,
            reason_code="JUSTIF_ABS",
            comment="Il manque le bon de livraison",
        ).event
    assert len(callbacks) == 1  # the notification task is enqueued after the commit
    return event.pk


def test_status_change_notifies_supplier_members_by_email_once(
    invoice, supplier_user, django_capture_on_commit_callbacks
):
    outsider = make_user()
    Membership.objects.create(
        user=outsider, structure=invoice.supplier, role=Role.USER, areas=[Area.MY_ACCOUNT]
    )
    event_id = _suspend(invoice, django_capture_on_commit_callbacks)

    invoice_event_notify(event_id=event_id)
    invoice_event_notify(event_id=event_id)  # a retried task tells nobody twice

    assert Notification.objects.filter(user=supplier_user).count() == 1
    assert not Notification.objects.filter(user=outsider).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [supplier_user.email]
    assert invoice.number in message.subject
    assert "JUSTIF_ABS" in message.body
    assert "Il manque le bon de livraison" in message.body


def test_daily_digest_groups_the_changes(
    invoice, supplier_user, django_capture_on_commit_callbacks
):
    notification_set_mode(user=supplier_user, mode=NotificationMode.DAILY)
    event_id = _suspend(invoice, django_capture_on_commit_callbacks)

    invoice_event_notify(event_id=event_id)
    assert mail.outbox == []

    assert notification_digest_send() == 1
    assert notification_digest_send() == 0
    assert len(mail.outbox) == 1
    assert invoice.number in mail.outbox[0].body


def test_no_email_mode_keeps_portal_notifications(
    invoice, supplier_user, django_capture_on_commit_callbacks
):
    notification_set_mode(user=supplier_user, mode=NotificationMode.NONE)
    invoice_event_notify(event_id=_suspend(invoice, django_capture_on_commit_callbacks))

    assert mail.outbox == []
    assert Notification.objects.filter(user=supplier_user, read_at__isnull=True).count() == 1


def test_unread_counter_and_notifications_page(
    client: Client, invoice, supplier_user, django_capture_on_commit_callbacks
):
    invoice_event_notify(event_id=_suspend(invoice, django_capture_on_commit_callbacks))
    client.force_login(supplier_user)
    session = client.session
    session[SESSION_KEY] = str(invoice.supplier.public_id)
    session.save()

    dashboard = client.get(reverse("dashboard")).content.decode()
    assert 'id="unread-count">1' in dashboard

    page = client.get(reverse("invoices:notifications")).content.decode()
    assert invoice.number in page
    assert 'id="unread-count"' not in client.get(reverse("dashboard")).content.decode()


def test_routing_steps_are_not_notified(invoice, supplier_user):
    event = invoice.events.create(
        from_status=InvoiceStatus.DEPOSITED, to_status=InvoiceStatus.ROUTING
    )

    assert invoice_event_notify(event_id=event.pk) == []
