"""The one status writer: allowed, refused, stale, concurrent, and enforced by the database."""

from __future__ import annotations

import threading

import pytest
from django.db import ProgrammingError, connection, transaction

from chorus.accounts.tests.factories import make_user
from chorus.circuits.roles import Role
from chorus.core.actor import Actor, system_actor
from chorus.core.exceptions import DomainError, TransitionNotAllowed
from invoices.choices import InvoiceStatus
from invoices.lifecycle import ReasonRequired, StaleTransition, invoice_transition
from invoices.models import Invoice, InvoiceEvent, StatusReason
from invoices.tests.factories import make_invoice

S = InvoiceStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def agent() -> Actor:
    return Actor(user=make_user())


def test_reason_vocabulary_is_seeded():
    assert StatusReason.objects.filter(code="JUSTIF_ABS", is_active=True).exists()
    assert StatusReason.objects.count() >= 20


def test_routing_then_processing_records_each_event_with_its_actor(agent: Actor):
    invoice = make_invoice(status=S.DEPOSITED)
    system = system_actor("routing")

    invoice_transition(invoice_id=invoice.pk, to=S.ROUTING, actor=system, role=Role.PLATFORM)
    invoice_transition(invoice_id=invoice.pk, to=S.MADE_AVAILABLE, actor=system, role=Role.PLATFORM)
    result = invoice_transition(
        invoice_id=invoice.pk, to=S.SERVICE_DONE, actor=agent, role=Role.RECIPIENT
    )

    invoice.refresh_from_db()
    assert invoice.status == S.SERVICE_DONE
    assert invoice.highest_step == S.SERVICE_DONE
    events = list(invoice.events.values_list("from_status", "to_status"))
    assert events == [
        (S.DEPOSITED, S.ROUTING),
        (S.ROUTING, S.MADE_AVAILABLE),
        (S.MADE_AVAILABLE, S.SERVICE_DONE),
    ]
    assert result.event.user == agent.user
    first = invoice.events.first()
    assert first is not None
    assert first.system_reason == "routing"


def test_refused_transition_raises_and_writes_nothing(agent: Actor):
    invoice = make_invoice(status=S.REJECTED)

    with pytest.raises(TransitionNotAllowed) as refused:
        invoice_transition(
            invoice_id=invoice.pk,
            to=S.SUSPENDED,
            actor=agent,
            role=Role.RECIPIENT,
            reason_code="JUSTIF_ABS",
        )

    assert refused.value.code == "TRANSITION_NOT_ALLOWED"
    invoice.refresh_from_db()
    assert invoice.status == S.REJECTED
    assert not invoice.events.exists()


def test_supplier_cannot_reject(agent: Actor):
    invoice = make_invoice()

    with pytest.raises(TransitionNotAllowed) as refused:
        invoice_transition(
            invoice_id=invoice.pk,
            to=S.REJECTED,
            actor=agent,
            role=Role.SUPPLIER,
            reason_code="DOUBLON",
        )

    assert refused.value.code == "TRANSITION_WRONG_SIDE"


@pytest.mark.parametrize("target", [S.SUSPENDED, S.REJECTED])
def test_suspension_and_rejection_need_a_reason(agent: Actor, target: InvoiceStatus):
    invoice = make_invoice()

    with pytest.raises(ReasonRequired):
        invoice_transition(invoice_id=invoice.pk, to=target, actor=agent, role=Role.RECIPIENT)

    invoice.refresh_from_db()
    assert invoice.status == S.MADE_AVAILABLE


def test_mandated_needs_the_mandate_number(agent: Actor):
    invoice = make_invoice()

    with pytest.raises(DomainError) as refused:
        invoice_transition(invoice_id=invoice.pk, to=S.MANDATED, actor=agent, role=Role.RECIPIENT)
    assert refused.value.code == "MANDATE_NUMBER_REQUIRED"

    result = invoice_transition(
        invoice_id=invoice.pk,
        to=S.MANDATED,
        actor=agent,
        role=Role.RECIPIENT,
        mandate_number="M-2026-42",
    )
    assert result.event.mandate_number == "M-2026-42"


def test_stale_form_is_refused(agent: Actor):
    invoice = make_invoice()
    invoice_transition(invoice_id=invoice.pk, to=S.SERVICE_DONE, actor=agent, role=Role.RECIPIENT)

    with pytest.raises(StaleTransition):
        invoice_transition(
            invoice_id=invoice.pk,
            to=S.REJECTED,
            actor=agent,
            role=Role.RECIPIENT,
            reason_code="DOUBLON",
            expected_status=S.MADE_AVAILABLE,
        )


def test_suspend_complete_then_resume_after_the_step_reached(agent: Actor):
    invoice = make_invoice()
    supplier = Actor(user=make_user())
    invoice_transition(
        invoice_id=invoice.pk,
        to=S.MANDATED,
        actor=agent,
        role=Role.RECIPIENT,
        mandate_number="M1",
    )
    invoice_transition(
        invoice_id=invoice.pk,
        to=S.SUSPENDED,
        actor=agent,
        role=Role.RECIPIENT,
        reason_code="JUSTIF_ABS",
        comment="Joindre le bon de livraison",
    )
    invoice_transition(invoice_id=invoice.pk, to=S.COMPLETED, actor=supplier, role=Role.SUPPLIER)

    with pytest.raises(TransitionNotAllowed):
        invoice_transition(
            invoice_id=invoice.pk, to=S.SERVICE_DONE, actor=agent, role=Role.RECIPIENT
        )
    invoice_transition(invoice_id=invoice.pk, to=S.PAYMENT_SENT, actor=agent, role=Role.RECIPIENT)
    invoice.refresh_from_db()
    assert invoice.status == S.PAYMENT_SENT
    suspension = invoice.events.get(to_status=S.SUSPENDED)
    assert suspension.reason is not None
    assert suspension.reason.code == "JUSTIF_ABS"
    assert suspension.comment == "Joindre le bon de livraison"


def test_substituted_change_names_the_agent_and_the_user():
    invoice = make_invoice(status=S.SUSPENDED)
    agent, supplier_user = make_user(is_support_agent=True), make_user()

    result = invoice_transition(
        invoice_id=invoice.pk,
        to=S.COMPLETED,
        actor=Actor(user=agent, on_behalf_of=supplier_user),
        role=Role.SUPPLIER,
    )

    assert result.event.user == agent
    assert result.event.on_behalf_of == supplier_user


def test_database_refuses_a_status_change_outside_the_table():
    invoice = make_invoice(status=S.REJECTED)

    with pytest.raises(ProgrammingError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(status=S.MADE_AVAILABLE)

    invoice.refresh_from_db()
    assert invoice.status == S.REJECTED


def test_database_accepts_a_change_inside_the_table():
    invoice = make_invoice(status=S.MADE_AVAILABLE)

    Invoice.objects.filter(pk=invoice.pk).update(status=S.SERVICE_DONE)

    invoice.refresh_from_db()
    assert invoice.status == S.SERVICE_DONE


def test_status_events_cannot_be_changed_or_deleted(agent: Actor):
    invoice = make_invoice()
    event = invoice_transition(
        invoice_id=invoice.pk, to=S.SERVICE_DONE, actor=agent, role=Role.RECIPIENT
    ).event

    with pytest.raises(ProgrammingError), transaction.atomic():
        InvoiceEvent.objects.filter(pk=event.pk).update(comment="rewritten")
    with pytest.raises(ProgrammingError), transaction.atomic():
        InvoiceEvent.objects.filter(pk=event.pk).delete()
    assert InvoiceEvent.objects.filter(pk=event.pk, comment="").exists()


@pytest.mark.django_db(transaction=True)
def test_two_agents_rejecting_at_once_apply_exactly_one_rejection():
    invoice = make_invoice()
    agents = [Actor(user=make_user()), Actor(user=make_user())]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def reject(actor: Actor) -> None:
        barrier.wait()
        try:
            invoice_transition(
                invoice_id=invoice.pk,
                to=S.REJECTED,
                actor=actor,
                role=Role.RECIPIENT,
                reason_code="DOUBLON",
                expected_status=S.MADE_AVAILABLE,
            )
            outcomes.append("applied")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=reject, args=(actor,)) for actor in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["applied", "refused"]
    assert InvoiceEvent.objects.filter(invoice=invoice, to_status=S.REJECTED).count() == 1


def test_suspension_stops_the_payment_period_and_completion_resumes_it(agent: Actor):
    import datetime

    import time_machine
    from django.utils import timezone

    invoice = make_invoice(payment_period_days=30)
    deposited = timezone.localdate(invoice.deposited_at)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        invoice_transition(
            invoice_id=invoice.pk,
            to=S.SUSPENDED,
            actor=agent,
            role=Role.RECIPIENT,
            reason_code="JUSTIF_ABS",
        )
    invoice.refresh_from_db()
    assert invoice.payment_due_date is None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=13)):
        invoice_transition(
            invoice_id=invoice.pk, to=S.COMPLETED, actor=Actor(user=make_user()), role=Role.SUPPLIER
        )
    invoice.refresh_from_db()
    assert invoice.suspended_days == 10
    assert invoice.payment_due_date == deposited + datetime.timedelta(days=40)
