"""Deposits processed in batches: same results as one by one, few statements, isolation."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chorus.accounts.choices import Area, Role
from chorus.accounts.models import Membership, Structure
from chorus.accounts.tests.factories import make_user
from chorus.circuits.triggers import status_guard_ignored
from chorus.core.actor import Actor
from invoices.choices import DepositMode, FlowStatus, InvoiceStatus
from invoices.circuit import FLOW
from invoices.models import Flow, Invoice, InvoiceEvent, Notification
from invoices.services import processing
from invoices.services.deposit import DepositRefused, flows_receive
from invoices.services.limits import FLOWS_PER_TASK
from invoices.services.notifications import invoice_events_notify
from invoices.services.processing import flows_process
from invoices.tests.documents import ubl_invoice

pytestmark = pytest.mark.django_db


def _receive(supplier: Structure, documents: list[bytes]) -> list[Flow]:
    return flows_receive(
        actor=Actor(user=make_user()),
        structure=supplier,
        mode=DepositMode.BATCH,
        files=[(f"facture-{index}.xml", data) for index, data in enumerate(documents)],
    )


def _fatal(flow: Flow) -> set[str]:
    return {
        finding["rule_id"]
        for document in flow.report["documents"]
        for finding in document["findings"]
        if finding["severity"] == "fatal"
    }


def test_one_task_per_chunk_of_flows_after_commit(
    supplier, django_capture_on_commit_callbacks, monkeypatch
):
    from invoices import tasks

    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.flows_process_task, "delay", lambda ids: sent.append(ids))
    count = FLOWS_PER_TASK + 3

    with django_capture_on_commit_callbacks(execute=True):
        flows = _receive(supplier, [ubl_invoice(number=f"C-{i}") for i in range(count)])
        assert sent == []

    assert [len(chunk) for chunk in sent] == [FLOWS_PER_TASK, 3]
    assert [i for chunk in sent for i in chunk] == [flow.pk for flow in flows]
    assert all(flow.status == FlowStatus.RECEIVED for flow in Flow.objects.all())


def test_an_empty_file_refuses_the_whole_call_before_storage(supplier):
    with pytest.raises(DepositRefused) as refused:
        _receive(supplier, [ubl_invoice(number="E-1"), b""])

    assert "facture-1.xml" in refused.value.message
    assert not Flow.objects.exists()


def test_a_batch_gives_each_flow_its_own_result(supplier, recipient):
    flows = _receive(
        supplier,
        [
            ubl_invoice(number="OK-1"),
            ubl_invoice(number="OK-2"),
            ubl_invoice(number="BAD-1", service_code="NOPE"),
            b"<not-an-invoice/>",
        ],
    )

    done = {flow.pk: flow for flow in flows_process(flow_ids=[f.pk for f in flows])}

    assert [done[f.pk].status for f in flows] == [
        FlowStatus.INTEGRATED,
        FlowStatus.INTEGRATED,
        FlowStatus.REJECTED,
        FlowStatus.REJECTED,
    ]
    assert "CHORUS-SERVICE_NOT_FOUND" in _fatal(done[flows[2].pk])
    assert _fatal(done[flows[3].pk])
    for invoice in Invoice.objects.all():
        assert invoice.status == InvoiceStatus.MADE_AVAILABLE
        assert list(invoice.events.values_list("to_status", flat=True)) == [
            InvoiceStatus.ROUTING,
            InvoiceStatus.MADE_AVAILABLE,
        ]
        assert invoice.lines.exists()
        assert invoice.vat_breakdown.count() == 1
        assert invoice.data["number"] == invoice.number
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["OK-1", "OK-2"]


def test_the_same_number_in_two_flows_of_one_batch_is_accepted_once(supplier, recipient):
    first = ubl_invoice(number="TWICE-1")
    second = first.replace(b"prestations", b"travaux")
    flows = _receive(supplier, [first, second])

    flows_process(flow_ids=[f.pk for f in flows])

    statuses = [Flow.objects.get(pk=f.pk).status for f in flows]
    assert statuses == [FlowStatus.INTEGRATED, FlowStatus.REJECTED]
    assert "CHORUS-DUPLICATE-NUMBER" in _fatal(Flow.objects.get(pk=flows[1].pk))
    assert Invoice.objects.filter(number="TWICE-1").count() == 1


def test_statements_do_not_grow_with_the_batch(supplier, recipient):
    small = _receive(supplier, [ubl_invoice(number=f"S-{i}") for i in range(2)])
    large = _receive(supplier, [ubl_invoice(number=f"L-{i}") for i in range(12)])

    with CaptureQueriesContext(connection) as for_small:
        flows_process(flow_ids=[f.pk for f in small])
    with CaptureQueriesContext(connection) as for_large:
        flows_process(flow_ids=[f.pk for f in large])

    assert Invoice.objects.count() == 14
    assert len(for_large) == len(for_small)


def test_one_failing_flow_does_not_hold_back_the_batch(supplier, recipient, monkeypatch):
    real = processing.check_invoice

    def check(**kwargs: Any) -> Any:
        if kwargs["invoice"].number == "BOOM-1":
            raise RuntimeError("boom")
        return real(**kwargs)

    monkeypatch.setattr(processing, "check_invoice", check)
    flows = _receive(
        supplier,
        [ubl_invoice(number="FINE-1"), ubl_invoice(number="BOOM-1"), ubl_invoice(number="FINE-2")],
    )

    flows_process(flow_ids=[f.pk for f in flows])

    statuses = [Flow.objects.get(pk=f.pk).status for f in flows]
    assert statuses == [FlowStatus.INTEGRATED, FlowStatus.INCIDENT, FlowStatus.INTEGRATED]
    assert "boom" in Flow.objects.get(pk=flows[1].pk).last_error
    assert sorted(Invoice.objects.values_list("number", flat=True)) == ["FINE-1", "FINE-2"]


def test_flows_already_claimed_or_done_are_left_alone(supplier, recipient):
    flows = _receive(supplier, [ubl_invoice(number="A-1"), ubl_invoice(number="A-2")])
    assert len(flows_process(flow_ids=[flows[0].pk])) == 1

    again = flows_process(flow_ids=[f.pk for f in flows])

    assert [flow.pk for flow in again] == [flows[1].pk]
    assert Invoice.objects.count() == 2


def test_routing_of_a_batch_is_one_email_per_supplier_member(
    supplier, recipient, django_capture_on_commit_callbacks
):
    member = make_user()
    Membership.objects.create(
        user=member, structure=supplier, role=Role.USER, areas=[Area.INVOICES_ISSUED]
    )
    flows = _receive(supplier, [ubl_invoice(number=f"N-{i}") for i in range(3)])
    flows_process(flow_ids=[f.pk for f in flows])
    made_available = list(
        InvoiceEvent.objects.filter(to_status=InvoiceStatus.MADE_AVAILABLE).values_list(
            "pk", flat=True
        )
    )

    created = invoice_events_notify(event_ids=made_available)
    invoice_events_notify(event_ids=made_available)  # a retried task tells nobody twice

    assert len(created) == 3
    assert Notification.objects.filter(user=member).count() == 3
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    for number in ("N-0", "N-1", "N-2"):
        assert number in mail.outbox[0].body


def test_sweep_requeues_lost_and_expired_deposits_only(supplier, monkeypatch):
    import datetime

    from django.utils import timezone

    from invoices import tasks

    lost, expired, fresh, done = _receive(
        supplier, [ubl_invoice(number=f"W-{i}") for i in range(4)]
    )
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Flow.objects.filter(pk=lost.pk).update(received_at=long_ago)
    Flow.objects.filter(pk=expired.pk).update(
        status=FlowStatus.PROCESSING, lease_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    with status_guard_ignored(FLOW):
        Flow.objects.filter(pk=done.pk).update(status=FlowStatus.INTEGRATED, received_at=long_ago)
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.flows_process_task, "delay", lambda ids: sent.append(ids))

    assert tasks.flow_sweep_task() == 2

    assert sent == [sorted([lost.pk, expired.pk])]
    assert fresh.pk not in sent[0]


@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_deposit_is_processed_again_within_a_minute(
    supplier, monkeypatch, settings
):
    """Issue 11 point 7: claimed, then the worker died (no finish, no renewal)."""
    import datetime

    import time_machine
    from django.utils import timezone

    from invoices import tasks

    (flow,) = _receive(supplier, [ubl_invoice(number="KILLED-1")])
    assert processing.DEPOSIT_PIPELINE.claim([flow.pk]) == [flow.pk]
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks.flows_process_task, "delay", sent.append)

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=45)):
        assert tasks.flow_sweep_task() == 1
        (done,) = flows_process(flow_ids=sent[0])

    assert done.status in processing.FINAL_FLOW_STATUSES
    assert done.attempts == 2
    # 30 s of lease left at worst, then at most one sweep interval: within the minute.
    assert float(settings.CELERY_BEAT_SCHEDULE["deposits-sweep"]["schedule"]) <= 15


@pytest.mark.django_db(transaction=True)
def test_a_live_workers_lease_is_renewed_while_it_works(supplier):
    """A slow batch keeps its deposits: the heartbeat pushes the lease every third of it."""
    import dataclasses
    import datetime
    import time

    pipeline = dataclasses.replace(
        processing.DEPOSIT_PIPELINE, lease=datetime.timedelta(seconds=0.6)
    )
    (flow,) = _receive(supplier, [ubl_invoice(number="SLOW-1")])
    assert pipeline.claim([flow.pk]) == [flow.pk]
    claimed_until = Flow.objects.get(pk=flow.pk).lease_until

    with pipeline.lease_kept([flow.pk]):
        time.sleep(1.0)

    renewed_until = Flow.objects.get(pk=flow.pk).lease_until
    assert claimed_until is not None
    assert renewed_until is not None
    assert renewed_until > claimed_until + datetime.timedelta(seconds=0.5)
    assert pipeline.claim([flow.pk]) == []  # not claimable by a second worker meanwhile
