"""The outbox: a broker down at commit time delays a message, never loses or doubles it."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership
from chorus.accounts.tests.factories import make_user
from chorus.circuits.roles import Role as CircuitRole
from chorus.core.actor import Actor
from chorus.outbox import services
from chorus.outbox.models import OutboxMessage
from chorus.outbox.services import outbox_drain, outbox_enqueue, outbox_publish, outbox_purge
from invoices.choices import InvoiceStatus
from invoices.lifecycle import invoice_transition
from invoices.models import Notification
from invoices.services.notifications import invoice_events_notify
from invoices.tests.factories import make_invoice

NOTIFY = "invoices.tasks.invoice_events_notify_task"


class Broker:
    """Stands in for Redis: records what was published, refuses while down."""

    def __init__(self) -> None:
        self.up = True
        self.sent: list[tuple[str, list[Any]]] = []
        self.lock = threading.Lock()

    def send(self, task_name: str, args: list[Any]) -> None:
        if not self.up:
            raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")
        with self.lock:
            self.sent.append((task_name, args))


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Broker:
    fake = Broker()
    monkeypatch.setattr(services, "_send", fake.send)
    return fake


@pytest.mark.django_db
def test_message_is_published_once_committed(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox_enqueue(NOTIFY, [1, 2])
        assert broker.sent == []  # nothing leaves before the commit

    assert broker.sent == [(NOTIFY, [[1, 2]])]
    message.refresh_from_db()
    assert message.published_at is not None
    assert outbox_drain() == 0  # the sweeper finds nothing left
    assert len(broker.sent) == 1


@pytest.mark.django_db
def test_rolled_back_transaction_leaves_no_message(broker, django_capture_on_commit_callbacks):
    def refused() -> None:
        with transaction.atomic():
            outbox_enqueue(NOTIFY, [1])
            raise RuntimeError("business rule refused")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        refused()

    assert not OutboxMessage.objects.exists()
    assert broker.sent == []


@pytest.mark.django_db
def test_broker_down_at_commit_keeps_the_row_for_the_sweeper(
    broker, django_capture_on_commit_callbacks
):
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox_enqueue(NOTIFY, [7])

    message.refresh_from_db()
    assert message.published_at is None
    assert message.attempts == 1
    assert "OperationalError" in message.last_error
    assert outbox_drain() == 0  # not due yet: backing off

    broker.up = True
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=11)):
        assert outbox_drain() == 1
        assert outbox_drain() == 0

    assert broker.sent == [(NOTIFY, [[7]])]
    message.refresh_from_db()
    assert message.published_at is not None


@pytest.mark.django_db
def test_fast_path_after_the_sweeper_publishes_nothing(broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox_enqueue(NOTIFY, [3])
    assert outbox_drain() == 1  # the sweeper was quicker than the commit hook
    for callback in callbacks:
        callback()
    assert outbox_publish(message.pk) is False
    assert broker.sent == [(NOTIFY, [[3]])]


@pytest.mark.django_db(transaction=True)
def test_sweeper_skips_a_row_the_fast_path_is_publishing(monkeypatch):
    """Two processes at once: the row lock keeps the message from leaving twice."""
    sent: list[list[Any]] = []
    inside = threading.Event()
    release = threading.Event()

    def slow_send(task_name: str, args: list[Any]) -> None:
        sent.append(args)
        inside.set()
        release.wait(10)

    monkeypatch.setattr(services, "_send", slow_send)
    message = OutboxMessage.objects.create(task_name=NOTIFY, args=[[5]])

    def fast_path() -> None:
        try:
            outbox_publish(message.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=fast_path)
    thread.start()
    assert inside.wait(10)
    try:
        assert outbox_drain() == 0  # locked by the fast path: skipped, not waited for
    finally:
        release.set()
        thread.join(10)
    assert outbox_drain() == 0  # and marked published by it
    assert sent == [[[5]]]
    message.refresh_from_db()
    assert message.published_at is not None


@pytest.mark.django_db
def test_published_rows_are_purged_after_retention(broker, settings):
    settings.CHORUS_OUTBOX_RETENTION_DAYS = 7
    old = OutboxMessage.objects.create(
        task_name=NOTIFY, args=[[1]], published_at=timezone.now() - datetime.timedelta(days=8)
    )
    recent = OutboxMessage.objects.create(
        task_name=NOTIFY, args=[[2]], published_at=timezone.now() - datetime.timedelta(days=1)
    )
    pending = OutboxMessage.objects.create(
        task_name=NOTIFY, args=[[3]], created_at=timezone.now() - datetime.timedelta(days=30)
    )

    assert outbox_purge() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not OutboxMessage.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_every_invoice_transition_is_notified_with_the_broker_flapping(
    broker, django_capture_on_commit_callbacks
):
    """The trial lost 100 notifications of 1200 to a Redis restart; none may be lost now."""
    invoices = [make_invoice() for _ in range(12)]
    members = []
    for invoice in invoices:
        user = make_user()
        Membership.objects.create(
            user=user, structure=invoice.supplier, role=Role.USER, areas=[Area.INVOICES_ISSUED]
        )
        members.append(user)

    event_ids = []
    for index, invoice in enumerate(invoices):
        broker.up = index % 3 != 0  # Redis restarts now and then
        with django_capture_on_commit_callbacks(execute=True):
            event_ids.append(
                invoice_transition(
                    invoice_id=invoice.pk,
                    to=InvoiceStatus.SUSPENDED,
                    actor=Actor(user=make_user()),
                    role=CircuitRole.RECIPIENT,
                    reason_code="JUSTIF_ABS",
                ).event.pk
            )

    assert OutboxMessage.objects.filter(published_at__isnull=True).count() == 4
    broker.up = True
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        assert outbox_drain() == 4

    published = [args[0] for name, args in broker.sent if name == NOTIFY]
    assert sorted(event for batch in published for event in batch) == sorted(event_ids)
    for batch in published:  # what the worker does with each message
        invoice_events_notify(event_ids=batch)
    for user in members:
        assert Notification.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_mail_queued_while_the_broker_is_down_is_sent_by_the_sweeper(
    broker, django_capture_on_commit_callbacks, mailoutbox
):
    from chorus.accounts import services as account_services
    from chorus.accounts.tests.factories import UserFactory
    from chorus.accounts.tests.organisation_factories import structure_with_principal
    from chorus.outbox.tasks import mail_send_task

    principal = structure_with_principal()
    requester = UserFactory.create()
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        account_services.join_request_create(
            actor=Actor(user=requester), structure_id=principal.structure_id, message="Bonjour"
        )
    assert broker.sent == []
    assert OutboxMessage.objects.filter(
        task_name=mail_send_task.name, published_at__isnull=True
    ).exists()

    broker.up = True
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        assert outbox_drain() == 1
    [(name, args)] = broker.sent
    assert name == mail_send_task.name
    mail_send_task(*args)  # what the worker does with it
    assert [message.to for message in mailoutbox] == [[principal.user.email]]
