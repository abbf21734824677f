"""Invoice status changes: the invoice rules around the kernel's one writer.

Every status change goes through :func:`invoice_transition` (or :func:`invoices_route` for the
platform's bulk routing), which hands the circuit declared in :mod:`invoices.circuit` to
:func:`chorus.circuits.writer.transition` with the invoice's own checks (reason codes, mandate
number, processing never going back) and effects (payment clock, acknowledgement, furthest
step). Notifications are the kernel's on-commit hooks, registered in ``InvoicesConfig.ready``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.circuits.parties import MembershipLike
from chorus.circuits.roles import Role
from chorus.circuits.writer import (
    Move,
    ReasonRequired,
    StaleTransition,
    transition,
    transition_many,
)
from chorus.core.actor import Actor, system_actor
from chorus.core.exceptions import DomainError, TransitionNotAllowed
from invoices.choices import InvoiceStatus
from invoices.circuit import INVOICE, QUIET_STATUSES, REASON_REQUIRED, STEP_RANK, transition_refusal
from invoices.models import Invoice, InvoiceEvent, StatusReason
from invoices.payment_delay import due_date

__all__ = [
    "QUIET_STATUSES",
    "ReasonRequired",
    "StaleTransition",
    "TransitionResult",
    "invoice_transition",
    "invoices_route",
]


@dataclass(frozen=True)
class TransitionResult:
    invoice: Invoice
    event: InvoiceEvent


def invoice_transition(
    *,
    invoice_id: int,
    to: InvoiceStatus | str,
    actor: Actor,
    role: Role,
    expected_status: str | None = None,
    reason_code: str = "",
    comment: str = "",
    mandate_number: str = "",
    membership: MembershipLike | None = None,
) -> TransitionResult:
    """Move an invoice to ``to`` acting as ``role``; raise a DomainError when refused.

    ``expected_status`` is the status the user saw when they chose the action: if it differs
    from the current one, another agent acted first and the change is refused rather than
    applied on top of theirs. With ``membership``, the actor must hold ``role`` on the invoice.
    """
    target = InvoiceStatus(to)

    def check(invoice: Invoice, _target: str) -> dict[str, Any]:
        refusal = transition_refusal(
            current=invoice.status,
            target=target.value,
            role=role,
            highest_step=invoice.highest_step or None,
        )
        if refusal is not None:
            raise TransitionNotAllowed(refusal.message, code=refusal.code)
        reason = None
        if reason_code:
            reason = StatusReason.objects.filter(code=reason_code, is_active=True).first()
            if reason is None:
                raise ReasonRequired(
                    _("Unknown reason code %(code)s.") % {"code": reason_code},
                    code="REASON_UNKNOWN",
                )
        if target in REASON_REQUIRED and reason is None:
            raise ReasonRequired(
                _("Choose a reason: it is required to %(action)s an invoice.")
                % {"action": target.label.lower()},
                code="REASON_REQUIRED",
            )
        if target == InvoiceStatus.MANDATED and not mandate_number.strip():
            raise DomainError(
                _("Give the mandate number to mark the invoice as mandated."),
                code="MANDATE_NUMBER_REQUIRED",
            )
        return {"reason": reason}

    moved = transition(
        INVOICE,
        pk=invoice_id,
        to=target.value,
        actor=actor,
        role=role,
        expected_status=expected_status,
        comment=comment,
        membership=membership,
        check=check,
        apply=_invoice_effects,
        event_fields={"mandate_number": mandate_number.strip()},
    )
    assert isinstance(moved.event, InvoiceEvent)  # noqa: S101
    return TransitionResult(invoice=moved.document, event=moved.event)


def _invoice_effects(invoice: Invoice, target: str, now: datetime.datetime) -> list[str]:
    fields: list[str] = []
    status = InvoiceStatus(target)
    if status in (InvoiceStatus.REJECTED, InvoiceStatus.SUSPENDED):
        # A new rejection or suspension must be acknowledged again by the supplier.
        invoice.supplier_acknowledged_at = None
        fields.append("supplier_acknowledged_at")
    fields += _payment_clock(invoice, target=status, now=now)
    if target in STEP_RANK and (
        not invoice.highest_step or STEP_RANK[target] > STEP_RANK.get(invoice.highest_step, -1)
    ):
        invoice.highest_step = target
        fields.append("highest_step")
    return fields


def _payment_clock(invoice: Invoice, *, target: InvoiceStatus, now: datetime.datetime) -> list[str]:
    """Stop the legal payment period while suspended, resume it after; stamp the payment."""
    if target == InvoiceStatus.SUSPENDED:
        invoice.suspended_since = now
        invoice.payment_due_date = None
        return ["suspended_since", "payment_due_date"]
    fields: list[str] = []
    if invoice.suspended_since is not None:
        invoice.suspended_days += (now.date() - invoice.suspended_since.date()).days
        invoice.suspended_since = None
        fields += ["suspended_days", "suspended_since"]
    if target == InvoiceStatus.PAYMENT_SENT:
        invoice.paid_at = now
        fields.append("paid_at")
    invoice.payment_due_date = due_date(
        deposited_on=timezone.localdate(invoice.deposited_at),
        period=invoice.payment_period_days,
        suspended_days=invoice.suspended_days,
    )
    return [*fields, "payment_due_date"]


ROUTING_STEPS: tuple[tuple[InvoiceStatus, InvoiceStatus], ...] = (
    (InvoiceStatus.DEPOSITED, InvoiceStatus.ROUTING),
    (InvoiceStatus.ROUTING, InvoiceStatus.MADE_AVAILABLE),
)


def invoices_route(*, invoice_ids: list[int]) -> list[InvoiceEvent]:
    """DEPOSEE → EN_COURS_ACHEMINEMENT → MISE_A_DISPOSITION for invoices just accepted.

    The bulk form of the writer for the platform's own routing, the busiest path of the
    portal: the same declaration is consulted, the database trigger checks every row, and each
    step is an event; four statements whatever the number of invoices. Invoices that are not
    all in DEPOSEE make the whole call fail (nothing half routed).
    """
    moves = [
        Move(invoice_id, current.value, target.value)
        for current, target in ROUTING_STEPS
        for invoice_id in invoice_ids
    ]
    events = transition_many(
        INVOICE, moves=moves, actor=system_actor("routing"), role=Role.PLATFORM
    )
    return [event for event in events if isinstance(event, InvoiceEvent)]
