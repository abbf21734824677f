"""The one writer of invoice statuses.

Every status change goes through :func:`invoice_transition`: it locks the invoice row, checks
the transition table (``invoices.transitions``), refuses stale forms, writes the append-only
event with the actor (and the agent behind a substitution), and updates the invoice. The
database refuses any pair the table does not list, so no other code path can skip it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.core.actor import Actor, system_actor
from chorus.core.audit import actor_context
from chorus.core.bulk import rows_insert
from chorus.core.exceptions import DomainError, TransitionNotAllowed
from invoices.choices import InvoiceStatus
from invoices.models import Invoice, InvoiceEvent, StatusReason
from invoices.payment_delay import due_date
from invoices.transitions import REASON_REQUIRED, STEP_RANK, Side, transition_refusal

# Platform-internal routing steps: nobody is notified of them one by one.
QUIET_STATUSES = frozenset({InvoiceStatus.DEPOSITED, InvoiceStatus.ROUTING})


class StaleTransition(DomainError):
    """Someone else changed the invoice since the form was shown."""


class ReasonRequired(DomainError):
    """Suspension and rejection need a reason code."""


@dataclass(frozen=True)
class TransitionResult:
    invoice: Invoice
    event: InvoiceEvent


def invoice_transition(
    *,
    invoice_id: int,
    to: InvoiceStatus | str,
    actor: Actor,
    side: Side,
    expected_status: str | None = None,
    reason_code: str = "",
    comment: str = "",
    mandate_number: str = "",
) -> TransitionResult:
    """Move an invoice to ``to`` on behalf of ``side``; raise a DomainError when refused.

    ``expected_status`` is the status the user saw when they chose the action: if it differs
    from the current one, another agent acted first and the change is refused rather than
    applied on top of theirs.
    """
    target = InvoiceStatus(to)
    with transaction.atomic(), actor_context(actor):
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        current = invoice.status
        if expected_status is not None and expected_status != current:
            raise StaleTransition(
                _(
                    "This invoice changed in the meantime (it is now %(status)s): "
                    "reload the page and check before acting."
                )
                % {"status": InvoiceStatus(current).label},
                code="STALE",
            )
        refusal = transition_refusal(
            current=current,
            target=target.value,
            side=side,
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
        now = timezone.now()
        event = InvoiceEvent.objects.create(
            invoice=invoice,
            from_status=current,
            to_status=target.value,
            user=actor.user,
            on_behalf_of=actor.on_behalf_of,
            system_reason=actor.system_reason,
            reason=reason,
            comment=comment.strip(),
            mandate_number=mandate_number.strip(),
            created_at=now,
        )
        invoice.status = target.value
        invoice.status_changed_at = now
        fields = ["status", "status_changed_at"]
        if target in (InvoiceStatus.REJECTED, InvoiceStatus.SUSPENDED):
            # A new rejection or suspension must be acknowledged again by the supplier.
            invoice.supplier_acknowledged_at = None
            fields.append("supplier_acknowledged_at")
        fields += _payment_clock(invoice, target=target, now=now)
        if target.value in STEP_RANK and (
            not invoice.highest_step
            or STEP_RANK[target.value] > STEP_RANK.get(invoice.highest_step, -1)
        ):
            invoice.highest_step = target.value
            fields.append("highest_step")
        invoice.save(update_fields=fields)
        if target not in QUIET_STATUSES:
            event_id = event.pk
            transaction.on_commit(lambda: _notify(event_id), robust=True)
    return TransitionResult(invoice=invoice, event=event)


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


def _notify(event_id: int) -> None:
    from invoices.tasks import invoice_events_notify_task

    invoice_events_notify_task.delay([event_id])


ROUTING_STEPS: tuple[tuple[InvoiceStatus, InvoiceStatus], ...] = (
    (InvoiceStatus.DEPOSITED, InvoiceStatus.ROUTING),
    (InvoiceStatus.ROUTING, InvoiceStatus.MADE_AVAILABLE),
)


def invoices_route(*, invoice_ids: list[int]) -> list[InvoiceEvent]:
    """DEPOSEE → EN_COURS_ACHEMINEMENT → MISE_A_DISPOSITION for invoices just accepted.

    The bulk form of :func:`invoice_transition` for the platform's own routing, the busiest
    path of the portal: the same transition table is consulted, the database trigger checks
    every row, and each step is an event; four statements whatever the number of invoices.
    Invoices that are not all in DEPOSEE make the whole call fail (nothing half routed).
    """
    if not invoice_ids:
        return []
    actor = system_actor("routing")
    for current, target in ROUTING_STEPS:
        refusal = transition_refusal(
            current=current.value, target=target.value, side=Side.SYSTEM, highest_step=None
        )
        if refusal is not None:
            raise TransitionNotAllowed(refusal.message, code=refusal.code)
    now = timezone.now()
    with transaction.atomic(), actor_context(actor):
        for current, target in ROUTING_STEPS:
            changes: dict[str, object] = {"status": target.value, "status_changed_at": now}
            if target.value in STEP_RANK:
                changes["highest_step"] = target.value
            moved = Invoice.objects.filter(pk__in=invoice_ids, status=current.value).update(
                **changes
            )
            if moved != len(invoice_ids):
                raise StaleTransition(
                    _("Some invoices were no longer awaiting routing."), code="STALE"
                )
        events = [
            InvoiceEvent(
                invoice_id=invoice_id,
                from_status=current.value,
                to_status=target.value,
                system_reason=actor.system_reason,
                created_at=now,
            )
            for invoice_id in invoice_ids
            for current, target in ROUTING_STEPS
        ]
        rows_insert(events)
        told = [e.pk for e in events if e.to_status not in QUIET_STATUSES]
        if told:
            from invoices.tasks import invoice_events_notify_task

            transaction.on_commit(lambda: invoice_events_notify_task.delay(told), robust=True)
    return events
