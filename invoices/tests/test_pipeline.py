"""The deposit channel as named steps on the kernel's frame, and a channel adding its own."""

from __future__ import annotations

import pytest

from chorus.accounts.models import Structure
from chorus.accounts.tests.factories import make_user
from chorus.circuits.pipeline import Step
from chorus.core.actor import Actor
from invoices.choices import DepositMode, FlowStatus
from invoices.models import FlowEvent, Invoice
from invoices.services.deposit import flows_receive
from invoices.services.processing import DEPOSIT_PIPELINE
from invoices.tests.documents import ubl_invoice

pytestmark = pytest.mark.django_db


def test_the_deposit_steps_are_named_in_their_order():
    assert DEPOSIT_PIPELINE.step_names == (
        "preflight",
        "read",
        "validate",
        "portal_rules",
        "persist",
        "route",
        "report",
    )
    assert [s.name for s in DEPOSIT_PIPELINE.steps if s.atomic] == [
        "portal_rules",
        "persist",
        "route",
        "report",
    ]


def test_a_step_outside_the_transaction_cannot_follow_the_atomic_ones():
    with pytest.raises(ValueError, match="atomic steps"):
        DEPOSIT_PIPELINE.with_step(Step("late_read", lambda batch: None), after="route")


def test_a_channel_adds_its_own_step_and_keeps_the_frame(supplier: Structure, recipient):
    def refuse_everything(batch) -> None:
        for work in batch.works:
            for document in work.documents:
                document.invoice = None
                document.outcome.findings.append(
                    {"rule_id": "TEST-CHANNEL", "severity": "fatal", "location": ""}
                )

    channel = DEPOSIT_PIPELINE.with_step(Step("channel_rule", refuse_everything), after="validate")
    flows = flows_receive(
        actor=Actor(user=make_user()),
        structure=supplier,
        mode=DepositMode.BATCH,
        files=[("a.xml", ubl_invoice(number="P-1")), ("b.xml", ubl_invoice(number="P-2"))],
    )

    done = channel.process([flow.pk for flow in flows])

    assert [flow.status for flow in done] == [FlowStatus.REJECTED, FlowStatus.REJECTED]
    assert not Invoice.objects.filter(flow__in=flows).exists()
    rules = {f["rule_id"] for flow in done for d in flow.report["documents"] for f in d["findings"]}
    assert "TEST-CHANNEL" in rules
    # The frame's claim and ending are the kernel's: one event each, through the writer.
    assert list(
        FlowEvent.objects.filter(flow=flows[0]).values_list("from_status", "to_status")
    ) == [
        (FlowStatus.RECEIVED, FlowStatus.PROCESSING),
        (FlowStatus.PROCESSING, FlowStatus.REJECTED),
    ]
