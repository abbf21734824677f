"""What an invoice's status change sends to the webhooks of its supplier and its recipient.

Registered in the transaction of the change (``in_transaction``), so that each delivery
commits or rolls back with it. Each side gets the status as it sees it: a supplier is never
told of a payment step its recipient does not report (it reads COMPTABILISEE).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from chorus.circuits.roles import Role
from chorus.webhooks.services import structures_with_endpoints, webhook_event_record
from invoices.choices import InvoiceStatus
from invoices.circuit import INVOICE
from invoices.models import InvoiceEvent
from invoices.selectors import reports_payment

SIDES = {Role.SUPPLIER: "FOURNISSEUR", Role.RECIPIENT: "DESTINATAIRE"}


def _shown(event: InvoiceEvent, role: Role) -> str:
    hidden = event.to_status == InvoiceStatus.PAYMENT_SENT and not reports_payment(event.invoice)
    return InvoiceStatus.ACCOUNTED if role is Role.SUPPLIER and hidden else event.to_status


def invoice_event_payload(event: InvoiceEvent, *, role: Role) -> dict[str, Any]:
    invoice, reason = event.invoice, event.reason
    status = _shown(event, role)
    return {
        "idEvenement": f"facture-{event.pk}",
        "type": "facture.statut",
        "role": SIDES[role],
        "identifiantFactureCPP": invoice.pk,
        "idPublic": str(invoice.public_id),
        "numeroFacture": invoice.number,
        "codeFournisseur": invoice.supplier.identifier,
        "codeDestinataire": invoice.recipient.identifier,
        "statut": status,
        "codeReforme": INVOICE.reform_codes.get(status, ""),
        "motif": {"code": reason.code, "libelle": reason.label} if reason else None,
        "commentaire": event.comment,
        "date": timezone.localtime(event.created_at).isoformat(),
    }


def invoice_events_webhooks(event_ids: Sequence[int]) -> None:
    events = list(
        InvoiceEvent.objects.filter(pk__in=event_ids).select_related(
            "invoice__supplier",
            "invoice__recipient__public_entity",
            "invoice__service",
            "reason",
        )
    )
    parties = {e.invoice.supplier_id for e in events} | {e.invoice.recipient_id for e in events}
    listening = structures_with_endpoints(parties)
    for event in events:
        invoice = event.invoice
        for role, structure_id in (
            (Role.SUPPLIER, invoice.supplier_id),
            (Role.RECIPIENT, invoice.recipient_id),
        ):
            if structure_id not in listening:
                continue
            webhook_event_record(
                structure_id=structure_id,
                event_id=f"facture-{event.pk}-{SIDES[role]}",
                payload=invoice_event_payload(event, role=role),
            )
