"""Reads of invoices, always scoped to who is asking (the access rule, security.md Z1 to Z6).

A supplier's member sees the invoices its structure issued, with the "invoices issued" area;
a public entity's member sees the invoices addressed to its structure, with the "invoices
received" area, and only those of its services when its membership is limited to some.
Anything outside that scope is a 404, never a 403, so that its existence does not leak.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.choices import Area
from chorus.accounts.models import Membership
from chorus.circuits.roles import Role
from invoices.choices import InvoiceStatus
from invoices.models import Flow, Invoice, InvoiceEvent, LatePaymentRate
from invoices.payment_delay import LatePayment, late_payment

_RELATED = ("supplier", "recipient", "recipient__public_entity", "service", "flow")
# A rejected invoice will not be paid, a paid one is no longer late: neither is overdue.
NOT_OVERDUE = (InvoiceStatus.REJECTED, InvoiceStatus.PAYMENT_SENT)


def invoice_list_for_supplier(*, membership: Membership) -> QuerySet[Invoice]:
    """Invoices issued by the member's structure (empty without the "issued" area)."""
    if not membership.has_area(Area.INVOICES_ISSUED):
        return Invoice.objects.none()
    return Invoice.objects.filter(supplier_id=membership.structure_id).select_related(*_RELATED)


def invoice_list_for_recipient(*, membership: Membership) -> QuerySet[Invoice]:
    """Invoices addressed to the member's structure, limited to its services if it is."""
    if not membership.has_area(Area.INVOICES_RECEIVED):
        return Invoice.objects.none()
    invoices = Invoice.objects.filter(recipient_id=membership.structure_id)
    limited = membership.services.values("pk")
    if limited.exists():
        invoices = invoices.filter(service_id__in=limited)
    return invoices.select_related(*_RELATED)


def invoice_get_for_supplier(*, membership: Membership, public_id: uuid.UUID | str) -> Invoice:
    invoice = (
        invoice_list_for_supplier(membership=membership)
        .select_related("flow__depositor")
        .filter(public_id=public_id)
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def invoice_get_for_recipient(*, membership: Membership, public_id: uuid.UUID | str) -> Invoice:
    invoice = invoice_list_for_recipient(membership=membership).filter(public_id=public_id).first()
    if invoice is None:
        raise Http404
    return invoice


def invoice_event_list(*, invoice: Invoice) -> QuerySet[InvoiceEvent]:
    """The timeline of an invoice the caller already obtained through a scoped selector."""
    return invoice.events.select_related("user", "on_behalf_of", "reason").order_by(
        "created_at", "id"
    )


SORTS = {
    "date": "deposited_at",
    "-date": "-deposited_at",
    "number": "number",
    "-number": "-number",
    "amount": "total_with_vat",
    "-amount": "-total_with_vat",
    "status": "status",
    "-status": "-status",
}


def invoice_filter(
    invoices: QuerySet[Invoice],
    *,
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    amount_min: Decimal | None = None,
    amount_max: Decimal | None = None,
    without_vat_min: Decimal | None = None,
    without_vat_max: Decimal | None = None,
    due_min: Decimal | None = None,
    due_max: Decimal | None = None,
    issue_from: datetime.date | None = None,
    issue_to: datetime.date | None = None,
    flow_number: str = "",
    commitment: str = "",
    suppliers: Iterable[int] = (),
    recipients: Iterable[int] = (),
    services: Iterable[int] = (),
    counterparty: str = "",
    service: str = "",
    number: str = "",
    framework: str = "",
    type_code: str = "",
    text: str = "",
    overdue: bool = False,
    sort: str = "-date",
) -> QuerySet[Invoice]:
    """Apply the list filters (the same for the screen and the CSV export)."""
    if overdue:
        invoices = invoices.filter(payment_due_date__lt=timezone.localdate()).exclude(
            status__in=NOT_OVERDUE
        )
    if status:
        invoices = invoices.filter(status=status)
    if date_from:
        invoices = invoices.filter(deposited_at__date__gte=date_from)
    if date_to:
        invoices = invoices.filter(deposited_at__date__lte=date_to)
    if amount_min is not None:
        invoices = invoices.filter(total_with_vat__gte=amount_min)
    if amount_max is not None:
        invoices = invoices.filter(total_with_vat__lte=amount_max)
    bounds = {
        "total_without_vat__gte": without_vat_min,
        "total_without_vat__lte": without_vat_max,
        "amount_due__gte": due_min,
        "amount_due__lte": due_max,
        "issue_date__gte": issue_from,
        "issue_date__lte": issue_to,
    }
    invoices = invoices.filter(**{k: v for k, v in bounds.items() if v is not None})
    if flow_number:
        invoices = invoices.filter(flow_id=Flow.pk_from_number(flow_number) or 0)
    if commitment:
        invoices = invoices.filter(commitment_number=commitment.strip())
    for field, ids in (("supplier_id", suppliers), ("recipient_id", recipients)):
        wanted = list(ids)
        if wanted:
            invoices = invoices.filter(**{f"{field}__in": wanted})
    wanted_services = list(services)
    if wanted_services:
        invoices = invoices.filter(service_id__in=wanted_services)
    if counterparty:
        term = counterparty.strip()
        invoices = invoices.filter(
            Q(supplier__name__icontains=term)
            | Q(supplier__identifier__startswith=term.replace(" ", ""))
            | Q(recipient__name__icontains=term)
            | Q(recipient__identifier__startswith=term.replace(" ", ""))
        )
    if service:
        invoices = invoices.filter(service__code__iexact=service.strip())
    if number:
        invoices = invoices.filter(number__icontains=number.strip())
    if framework:
        invoices = invoices.filter(framework=framework)
    if type_code:
        invoices = invoices.filter(type_code=type_code)
    if text:
        term = text.strip()
        invoices = invoices.filter(
            Q(number__icontains=term)
            | Q(commitment_number__icontains=term)
            | Q(service_code__icontains=term)
            | Q(supplier__name__icontains=term)
            | Q(recipient__name__icontains=term)
        )
    return invoices.order_by(SORTS.get(sort, "-deposited_at"), "-id")


def flow_list_for_supplier(*, membership: Membership) -> QuerySet[Flow]:
    """Deposits of the member's structure (needs the "invoices issued" area)."""
    if not membership.has_area(Area.INVOICES_ISSUED):
        return Flow.objects.none()
    return Flow.objects.filter(structure_id=membership.structure_id).select_related("depositor")


def flow_get_for_supplier(*, membership: Membership, public_id: uuid.UUID | str) -> Flow:
    flow = flow_list_for_supplier(membership=membership).filter(public_id=public_id).first()
    if flow is None:
        raise Http404
    return flow


def invoice_rejections_to_acknowledge(*, membership: Membership) -> QuerySet[Invoice]:
    """Rejected or suspended invoices the supplier has not acknowledged yet (reference §4.3)."""
    return invoice_list_for_supplier(membership=membership).filter(
        status__in=[InvoiceStatus.REJECTED, InvoiceStatus.SUSPENDED],
        supplier_acknowledged_at__isnull=True,
    )


def reports_payment(invoice: Invoice) -> bool:
    """Whether the recipient lets suppliers see the payment step (reference §1.3)."""
    entity = getattr(invoice.recipient, "public_entity", None)
    if entity is not None and not entity.manages_payment_status:
        return False
    return not (invoice.service is not None and not invoice.service.manages_payment_status)


def status_for_supplier(invoice: Invoice) -> str:
    """The status a supplier sees: never MISE_EN_PAIEMENT when the recipient hides it."""
    if invoice.status == InvoiceStatus.PAYMENT_SENT and not reports_payment(invoice):
        return InvoiceStatus.ACCOUNTED
    return invoice.status


def status_shown_to(invoice: Invoice, *, role: Role) -> str:
    """The status the ``role`` side sees (the supplier never sees a hidden payment step)."""
    return status_for_supplier(invoice) if role is Role.SUPPLIER else invoice.status


def invoice_list_for(
    *, role: Role, membership: Membership, filters: dict[str, Any] | None = None
) -> QuerySet[Invoice]:
    """One side's invoices, filtered; a supplier filtering on MISE_EN_PAIEMENT only finds
    the invoices whose recipient reports that step (the others show as COMPTABILISEE)."""
    if role is Role.SUPPLIER:
        invoices = invoice_list_for_supplier(membership=membership)
    else:
        invoices = invoice_list_for_recipient(membership=membership)
    filters = dict(filters or {})
    statuses = [*filters.pop("statuses", ()), filters.pop("status", "")]
    invoices = invoice_filter(invoices, **filters)
    wanted = [status for status in statuses if status]
    if wanted:
        invoices = invoices.filter(status_is_shown(wanted, role=role))
    return invoices


# A recipient that does not report the payment step to suppliers (see reports_payment).
_HIDES_PAYMENT = Q(recipient__public_entity__manages_payment_status=False) | Q(
    service__manages_payment_status=False
)


def status_is_shown(statuses: Iterable[str], *, role: Role) -> Q:
    """Invoices whose status as ``role`` sees it (:func:`status_shown_to`) is one of these.

    For a supplier, a hidden MISE_EN_PAIEMENT reads COMPTABILISEE: it is found under
    COMPTABILISEE, and only the reported payments under MISE_EN_PAIEMENT.
    """
    wanted = set(statuses)
    if role is not Role.SUPPLIER:
        return Q(status__in=sorted(wanted))
    plain = wanted - {InvoiceStatus.PAYMENT_SENT}
    shown = Q(status__in=sorted(plain))
    if InvoiceStatus.PAYMENT_SENT in wanted:
        shown |= Q(status=InvoiceStatus.PAYMENT_SENT) & ~_HIDES_PAYMENT
    if InvoiceStatus.ACCOUNTED in wanted:
        shown |= Q(status=InvoiceStatus.PAYMENT_SENT) & _HIDES_PAYMENT
    return shown


def invoice_events_shown_to(*, invoice: Invoice, role: Role) -> list[InvoiceEvent]:
    """The timeline a side sees: without the payment step a supplier is not told about."""
    events = list(invoice_event_list(invoice=invoice))
    if role is Role.SUPPLIER and status_for_supplier(invoice) != invoice.status:
        events = [e for e in events if e.to_status != InvoiceStatus.PAYMENT_SENT]
    return events


def invoice_export_table(
    *, invoices: QuerySet[Invoice], role: Role
) -> tuple[list[str], Iterator[list[Any]]]:
    """The CSV export of a list: its header and its rows, read from the database in chunks."""
    header = [
        _("Number"),
        _("Issue date"),
        _("Deposited at"),
        _("Supplier"),
        _("Supplier SIRET"),
        _("Recipient"),
        _("Recipient SIRET"),
        _("Service"),
        _("Commitment"),
        _("Framework"),
        _("Status"),
        _("Total excl. VAT"),
        _("VAT"),
        _("Total incl. VAT"),
        _("Payment due by"),
        _("Days overdue"),
    ]

    def rows() -> Iterator[list[Any]]:
        today = timezone.localdate()
        for invoice in invoices.iterator(chunk_size=2000):
            due = invoice_payment_due(invoice)
            yield [
                invoice.number,
                invoice.issue_date.isoformat(),
                invoice.deposited_at.date().isoformat(),
                invoice.supplier.name,
                invoice.supplier.identifier,
                invoice.recipient.name,
                invoice.recipient.identifier,
                invoice.service.code if invoice.service else "",
                invoice.commitment_number,
                invoice.framework.split("_", 1)[0],
                InvoiceStatus(status_shown_to(invoice, role=role)).label,
                invoice.total_without_vat,
                invoice.total_vat,
                invoice.total_with_vat,
                due.isoformat() if due else "",
                invoice_days_overdue(invoice, today=today),
            ]

    return header, rows()


def invoice_late_payment(*, invoice: Invoice) -> LatePayment | None:
    """Days late, interest and indemnity owed on an invoice, today or at its payment."""
    if invoice.payment_due_date is None or invoice.status == InvoiceStatus.REJECTED:
        return None
    end = timezone.localdate(invoice.paid_at) if invoice.paid_at else timezone.localdate()
    rates = dict(LatePaymentRate.objects.values_list("valid_from", "rate"))
    return late_payment(
        amount=invoice.amount_due or invoice.total_with_vat,
        due=invoice.payment_due_date,
        paid_or_today=end,
        ecb_rate_on=rates,
    )


# --- What the invoice pages show (docs/invoices.md, "Display rules") -----------------------


def invoice_payment_due(invoice: Invoice) -> datetime.date | None:
    """The legal payment due date a page shows: none for a rejected invoice (it will not be
    paid) nor while suspended (the period is stopped)."""
    if invoice.status == InvoiceStatus.REJECTED:
        return None
    return invoice.payment_due_date


def invoice_days_overdue(invoice: Invoice, *, today: datetime.date | None = None) -> int:
    """Days past the legal payment due date, 0 when not overdue (the "overdue" filter's rule)."""
    due = invoice_payment_due(invoice)
    if due is None or invoice.status in NOT_OVERDUE:
        return 0
    return max(0, ((today or timezone.localdate()) - due).days)


@dataclass(frozen=True)
class InvoiceRow:
    """One line of an invoice list, as the ``role`` side sees it."""

    invoice: Invoice
    status: str
    payment_due: datetime.date | None
    days_overdue: int


def invoice_rows(invoices: Iterable[Invoice], *, role: Role) -> list[InvoiceRow]:
    """The rows of a list page (no query: the page's invoices are already loaded)."""
    today = timezone.localdate()
    return [
        InvoiceRow(
            invoice=invoice,
            status=status_shown_to(invoice, role=role),
            payment_due=invoice_payment_due(invoice),
            days_overdue=invoice_days_overdue(invoice, today=today),
        )
        for invoice in invoices
    ]


@dataclass(frozen=True)
class DepositEntry:
    """The first line of a history: the invoice was deposited (its creation is no event)."""

    at: datetime.datetime
    by: str


@dataclass(frozen=True)
class Timeline:
    """An invoice's history as one side sees it, from « Déposée » on.

    ``decision`` is the rejection or suspension the supplier acknowledges (the latest), and
    ``acknowledged_at`` when they did; both sides see it.
    """

    deposit: DepositEntry | None
    events: list[InvoiceEvent]
    decision: InvoiceEvent | None
    acknowledged_at: datetime.datetime | None
    entries: list[tuple[InvoiceEvent, str]]  # each event with who it shows as having acted


def event_actor_label(event: InvoiceEvent, *, role: Role, viewer_id: int | None) -> str:
    """Who an event shows as done by, to ``role``'s side.

    The platform's automatic steps read « plateforme »; a supplier sees the recipient's people
    as « agent du destinataire »; a support agent acting for a user (substitution) is shown as
    platform support acting for them, never as the user or as the recipient's agent.
    """
    if event.user_id is None and event.on_behalf_of_id is None:
        return _("platform")
    other_side = role is Role.SUPPLIER
    if event.on_behalf_of_id is not None:
        substituted = event.on_behalf_of
        name = (
            _("recipient agent")
            if other_side and event.on_behalf_of_id != viewer_id
            else (substituted.display_name if substituted else "")
        )
        return _("Chorus support — on behalf of %(name)s") % {"name": name}
    if other_side and event.user_id != viewer_id:
        return _("recipient agent")
    return event.user.display_name if event.user else ""


def invoice_timeline(*, invoice: Invoice, role: Role, viewer_id: int | None = None) -> Timeline:
    """The history page's content for ``role``: deposit, status events, acknowledgement."""
    events = invoice_events_shown_to(invoice=invoice, role=role)
    deposit = None
    if not events or events[0].to_status != InvoiceStatus.DEPOSITED:
        if role is Role.SUPPLIER:
            by = invoice.flow.depositor.display_name
        else:
            by = _("%(name)s (supplier)") % {"name": invoice.supplier.name}
        deposit = DepositEntry(at=invoice.deposited_at, by=by)
    decisions = [
        e for e in events if e.to_status in (InvoiceStatus.REJECTED, InvoiceStatus.SUSPENDED)
    ]
    return Timeline(
        deposit=deposit,
        events=events,
        decision=decisions[-1] if decisions else None,
        acknowledged_at=invoice.supplier_acknowledged_at if decisions else None,
        entries=[
            (event, event_actor_label(event, role=role, viewer_id=viewer_id)) for event in events
        ],
    )
