"""``rechercher``, ``consulter`` and ``consulter/historique``: the invoices as each side sees them.

Every read goes through the portal's selectors: the supplier's and the recipient's lists
(:func:`invoices.selectors.invoice_list_for`, with its filters and the rule that a supplier
never sees a payment step the recipient hides), the same status and the same history. An
invoice outside the connection's structure (or its services) answers ``NOT_FOUND``, as an
unknown one does, so that nothing leaks. ``identifiantFactureCPP`` is the invoice's id.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from chorus.accounts.models import Membership
from chorus.api.authentication import ApiClient
from chorus.api.choices import Scope
from chorus.api.errors import not_found
from chorus.api.pagination import paginate
from chorus.api.views import CproView
from chorus.circuits.roles import Role
from invoices.api import serializers_read as s
from invoices.api.serializers_submit import INVOICE_TYPES
from invoices.circuit import INVOICE
from invoices.models import Invoice, InvoiceEvent
from invoices.selectors import (
    invoice_events_shown_to,
    invoice_list_for,
    invoice_payment_due,
    status_shown_to,
)

TYPE_NAMES = {code: name for name, code in INVOICE_TYPES.items()}
SEARCH_COLUMNS = {
    "DateDepot": "deposited_at",
    "DateFacture": "issue_date",
    "NumeroFacture": "number",
    "MontantTTC": "total_with_vat",
    "MontantHT": "total_without_vat",
    "Statut": "status",
    "DateHeureEtatCourant": "status_changed_at",
}


def _criteria(body: dict[str, Any]) -> dict[str, Any]:
    """The search body as :func:`invoice_filter`'s filters (the portal's list filters)."""
    framework = (body.get("cadreFacturation") or {}).get("codeCadreFacturation") or ""
    kind = body.get("typeFacture") or ""
    return {
        "number": body.get("numeroFacture") or "",
        "commitment": body.get("numeroBonCommande") or "",
        "statuses": body.get("statutCourant") or [],
        "date_from": body.get("periodeDateDepotDu"),
        "date_to": body.get("periodeDateDepotAu"),
        "issue_from": body.get("periodeDateFactureDu"),
        "issue_to": body.get("periodeDateFactureAu"),
        "amount_min": body.get("montantTTCMin"),
        "amount_max": body.get("montantTTCMax"),
        "without_vat_min": body.get("montantHTMin"),
        "without_vat_max": body.get("montantHTMax"),
        "due_min": body.get("montantApayerMin"),
        "due_max": body.get("montantApayerMax"),
        "framework": framework,
        "type_code": INVOICE_TYPES.get(kind, ""),
    }


def _row(invoice: Invoice, *, role: Role) -> dict[str, Any]:
    service = invoice.service
    row: dict[str, Any] = {
        "identifiantFactureCPP": invoice.pk,
        "idFacture": invoice.pk,
        "numeroFacture": invoice.number,
        "statut": status_shown_to(invoice, role=role),
        "typeFacture": TYPE_NAMES.get(invoice.type_code, invoice.type_code),
        "codeCadreFacturation": invoice.framework,
        "dateFacture": invoice.issue_date,
        "dateDepot": timezone.localdate(invoice.deposited_at),
        "dateHeureEtatCourant": invoice.status_changed_at,
        "devise": invoice.currency,
        "montantHT": _money(invoice.total_without_vat),
        "montantTTC": _money(invoice.total_with_vat),
        "montantAPayer": _money(invoice.amount_due),
        "numeroBonCommande": invoice.commitment_number,
        "numeroFluxDepot": invoice.flow.number,
        "modeDepot": invoice.flow.mode,
        "idFournisseur": invoice.supplier_id,
        "codeFournisseur": invoice.supplier.identifier,
        "designationFournisseur": invoice.supplier.name,
        "idDestinataire": invoice.recipient_id,
        "codeDestinataire": invoice.recipient.identifier,
        "designationDestinataire": invoice.recipient.name,
        "idServiceExecutant": invoice.service_id,
        "codeServiceExecutant": service.code if service else invoice.service_code,
        "nomServiceExecutant": service.name if service else "",
    }
    if role is Role.SUPPLIER:
        row["rejetTraite"] = invoice.supplier_acknowledged_at is not None
    return row


class RechercherFournisseurView(CproView):
    """``POST factures/v1/rechercher/fournisseur``: the invoices the structure issued."""

    scope: ClassVar[str] = Scope.READ
    input_serializer = s.RechercherFournisseurIn

    @extend_schema(
        operation_id="rechercherFactureParFournisseur",
        request=s.RechercherFournisseurIn,
        responses=s.RechercherOut,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        own = client.membership.structure_id
        if body.get("idFournisseur") not in (None, own):
            return _nothing(body.get("rechercheFactureParFournisseur"))
        invoices = invoice_list_for(
            role=Role.SUPPLIER,
            membership=client.membership,
            filters={
                **_criteria(body),
                "flow_number": body.get("numeroFluxDepot") or "",
                "recipients": [d["idDestinataire"] for d in body.get("listeDestinataire") or []],
                "services": [
                    service
                    for d in body.get("listeDestinataire") or []
                    for service in d.get("listeIdServiceExecutant") or []
                ],
            },
        )
        if body.get("modeDepot"):
            invoices = invoices.filter(flow__mode=body["modeDepot"])
        if body.get("rejetTraite") is not None:
            invoices = invoices.filter(supplier_acknowledged_at__isnull=not body["rejetTraite"])
        page = paginate(
            invoices,
            body.get("rechercheFactureParFournisseur"),
            columns=SEARCH_COLUMNS,
            default="DateDepot",
        )
        return {
            "listeFactures": [_row(invoice, role=Role.SUPPLIER) for invoice in page.rows],
            "parametresRetour": page.meta,
        }


def _nothing(params: dict[str, Any] | None) -> dict[str, Any]:
    """Another structure's id in the criteria: no invoice of it is readable here."""
    return {
        "listeFactures": [],
        "parametresRetour": paginate(
            Invoice.objects.none(), params, columns=SEARCH_COLUMNS, default="DateDepot"
        ).meta,
    }


class RechercherRecipiendaireView(CproView):
    """``POST factures/v1/rechercher/recipiendaire``: the invoices the structure received."""

    scope: ClassVar[str] = Scope.READ
    input_serializer = s.RechercherRecipiendaireIn

    @extend_schema(
        operation_id="rechercherFactureParRecipiendaire",
        request=s.RechercherRecipiendaireIn,
        responses=s.RechercherOut,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        own = client.membership.structure_id
        if body.get("idDestinataire") not in (None, own):
            return _nothing(body.get("paramRecherche"))
        suppliers = body.get("listeFournisseurs") or []
        services = [body["idServiceExecutant"]] if body.get("idServiceExecutant") else []
        invoices = invoice_list_for(
            role=Role.RECIPIENT,
            membership=client.membership,
            filters={
                **_criteria(body),
                "suppliers": [supplier["idFournisseur"] for supplier in suppliers],
                "services": services,
            },
        )
        page = paginate(
            invoices, body.get("paramRecherche"), columns=SEARCH_COLUMNS, default="DateDepot"
        )
        return {
            "listeFactures": [_row(invoice, role=Role.RECIPIENT) for invoice in page.rows],
            "parametresRetour": page.meta,
        }


def invoice_seen_by(
    client: ApiClient, identifier: int, *, role: Role | None
) -> tuple[Invoice, Role]:
    """The invoice ``identifier`` as ``role`` sees it (either side when ``role`` is None)."""
    roles = (role,) if role is not None else (Role.SUPPLIER, Role.RECIPIENT)
    for side in roles:
        invoice = (
            invoice_list_for(role=side, membership=client.membership)
            .select_related("flow__depositor")
            .filter(pk=identifier)
            .first()
        )
        if invoice is not None:
            return invoice, side
    raise not_found(_("No invoice %(id)s for this structure.") % {"id": identifier})


def _payment_means(invoice: Invoice) -> str:
    instructions = (invoice.data or {}).get("payment_instructions") or []
    first = instructions[0] if instructions and isinstance(instructions[0], dict) else {}
    return str(first.get("means_code") or "")


def _bank_account(invoice: Invoice) -> str:
    instructions = (invoice.data or {}).get("payment_instructions") or []
    for instruction in instructions:
        for transfer in (instruction or {}).get("credit_transfers") or []:
            if (transfer or {}).get("account_id"):
                return str(transfer["account_id"])
    return ""


def _mandate_number(events: list[InvoiceEvent]) -> str:
    numbers = [event.mandate_number for event in events if event.mandate_number]
    return numbers[-1] if numbers else ""


def _money(value: Decimal) -> str:
    """Amounts as the schema gives them: strings with two decimals, never JSON floats."""
    return f"{value:.2f}"


def _decimal(value: Decimal) -> str:
    """A quantity or unit price without trailing zeros (``10``, ``0.125``), never ``1E+1``."""
    return f"{value.normalize():f}"


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def facture(invoice: Invoice, *, role: Role) -> dict[str, Any]:
    """The ``facture`` block of ``consulter``: what the invoice page shows to ``role``."""
    supplier, recipient, service = invoice.supplier, invoice.recipient, invoice.service
    events = invoice_events_shown_to(invoice=invoice, role=role)
    lines = list(invoice.lines.all())
    vat = list(invoice.vat_breakdown.all())
    attachments = list(invoice.attachments.all())
    return {
        "identifiantFactureCPP": invoice.pk,
        "numeroFacture": invoice.number,
        "statutFacture": status_shown_to(invoice, role=role),
        "modeDepot": invoice.flow.mode,
        "numeroFluxDepot": invoice.flow.number,
        "commentaire": events[-1].comment if events else "",
        "cadreDeFacturation": {"codeCadreFacturation": invoice.framework},
        "fournisseur": {
            "idFournisseur": supplier.pk,
            "codeFournisseur": supplier.identifier,
            "typeIdentifiantFournisseur": supplier.identifier_type,
            "designationFournisseur": supplier.name,
            "adresseFournisseurDetail": supplier.address_line1,
            "adresseFournisseurCodePostal": supplier.postal_code,
            "adresseFournisseurVille": supplier.city,
            "adresseFournisseurCodePays": supplier.country,
            "coordBancairesFournisseurCompteBancaire": _bank_account(invoice),
        },
        "destinataire": {
            "idDestinataire": recipient.pk,
            "codeDestinataire": recipient.identifier,
            "libelleDestinataire": recipient.name,
            "idServiceExecutant": invoice.service_id,
            "codeServiceExecutant": service.code if service else invoice.service_code,
            "libelleServiceExecutant": service.name if service else "",
            "adresseDestinataireDetail": recipient.address_line1,
            "adresseDestinataireCodePostal": recipient.postal_code,
            "adresseDestinataireVille": recipient.city,
            "adresseDestinataireCodePays": recipient.country,
        },
        "references": {
            "codeDeviseFacture": invoice.currency,
            "typeFacture": TYPE_NAMES.get(invoice.type_code, invoice.type_code),
            "dateFacture": invoice.issue_date,
            "dateDepot": timezone.localdate(invoice.deposited_at),
            "dateEcheancePaiement": invoice_payment_due(invoice),
            "numeroBonCommande": invoice.commitment_number,
            "numeroMarche": _plain((invoice.data or {}).get("contract_reference")),
            "numeroFactureOrigine": _preceding(invoice),
            "numeroDpMandat": _mandate_number(events),
            "modePaiement": _payment_means(invoice),
        },
        "montantTotal": {
            "montantHtTotal": _money(invoice.total_without_vat),
            "montantTVA": _money(invoice.total_vat),
            "montantTtcTotal": _money(invoice.total_with_vat),
            "montantAPayer": _money(invoice.amount_due),
        },
        "lignesDePoste": {
            "lignePoste": [
                {
                    "lignePosteNumero": line.line_id,
                    "lignePosteReference": "",
                    "lignePosteDenomination": line.description,
                    "lignePosteQuantite": _decimal(line.quantity),
                    "lignePosteUniteCode": line.unit,
                    "lignePosteMontantUnitaireHT": _decimal(line.unit_price),
                    "lignePosteMontantHtApresRemise": _plain(line.net_amount),
                    "lignePosteTauxTva": _plain(line.vat_rate),
                    "lignePosteCategorieTva": line.vat_category,
                }
                for line in lines
            ],
            "totalLignesPoste": len(lines),
        },
        "recapitulatifDeTva": {
            "ligneTva": [
                {
                    "ligneTvaTauxRefValeur": _plain(row.rate),
                    "ligneTvaCategorie": row.category,
                    "ligneTvaMontantBaseHtParTaux": _plain(row.taxable_amount),
                    "ligneTvaMontantTvaParTaux": _plain(row.tax_amount),
                }
                for row in vat
            ],
            "totalLignesRecapitulativesTVA": len(vat),
        },
        "listeDesPiecesJointes": {
            "pieceJointe": [
                {
                    "pieceJointeId": attachment.pk,
                    "pieceJointeDesignation": attachment.original_name,
                    "pieceJointeExtension": attachment.original_name.rpartition(".")[2].upper()
                    if "." in attachment.original_name
                    else "",
                    "pieceJointeTypeCode": "FACTURE" if attachment.is_main else "AUTRE",
                    "pieceJointeTaille": attachment.size,
                }
                for attachment in attachments
            ],
            "totalListePiecesJointe": len(attachments),
        },
    }


def _preceding(invoice: Invoice) -> str:
    preceding = (invoice.data or {}).get("preceding_invoices") or []
    first = preceding[0] if preceding and isinstance(preceding[0], dict) else {}
    return _plain(first.get("number"))


class _ConsulterView(CproView):
    scope: ClassVar[str] = Scope.READ
    input_serializer = s.ConsulterIn
    role: ClassVar[Role]

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        invoice, role = invoice_seen_by(client, body["identifiantFactureCPP"], role=self.role)
        return {"facture": facture(invoice, role=role)}


class ConsulterFournisseurView(_ConsulterView):
    """``POST factures/v1/consulter/fournisseur``: an issued invoice in full."""

    role = Role.SUPPLIER

    @extend_schema(
        operation_id="consulterFactureParFournisseur",
        request=s.ConsulterIn,
        responses=s.ConsulterOut,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


class ConsulterRecipiendaireView(_ConsulterView):
    """``POST factures/v1/consulter/recipiendaire``: a received invoice in full."""

    role = Role.RECIPIENT

    @extend_schema(
        operation_id="consulterFactureParRecipiendaire",
        request=s.ConsulterIn,
        responses=s.ConsulterOut,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)


def _colleagues(client: ApiClient, events: list[InvoiceEvent]) -> set[int]:
    """The users of ``events`` who belong to the caller's structure (one query)."""
    ids = {event.user_id for event in events if event.user_id}
    if not ids:
        return set()
    return set(
        Membership.objects.filter(
            structure_id=client.membership.structure_id, user_id__in=ids
        ).values_list("user_id", flat=True)
    )


def _histo(event: InvoiceEvent, *, named: bool) -> dict[str, Any]:
    user = event.user if named else None
    reason = event.reason
    return {
        "histoStatutId": event.pk,
        "histoStatutCode": event.to_status,
        "histoStatutCodeReforme": INVOICE.reform_codes.get(event.to_status, ""),
        "histoStatutDatePassage": event.created_at,
        "histoStatutCommentaire": event.comment,
        "histoStatutMotifCode": reason.code if reason else "",
        "histoStatutMotifLibelle": reason.label if reason else "",
        "histoStatutUtilisateurNom": user.last_name if user else "",
        "histoStatutUtilisateurPrenom": user.first_name if user else "",
        "histoStatutUtilisateurEmail": user.email if user else "",
        "histoStatutUtilisateurTelephone": user.phone if user else "",
    }


class HistoriqueView(CproView):
    """``POST factures/v1/consulter/historique``: an invoice's statuses, either side.

    The people of the other party are not named (the portal shows « agent du destinataire »);
    a substituting support agent is never named either.
    """

    scope: ClassVar[str] = Scope.READ
    input_serializer = s.HistoriqueIn

    @extend_schema(
        operation_id="consulterHistoriqueFacture",
        request=s.HistoriqueIn,
        responses=s.HistoriqueOut,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        invoice, role = invoice_seen_by(client, body["idFacture"], role=None)
        events = invoice_events_shown_to(invoice=invoice, role=role)
        params = body.get("paramRechercheHistoStatuts") or {}
        per_page = int(params.get("nbResultatsParPage") or 100)
        page = int(params.get("pageResultatDemandee") or 1)
        shown = events[(page - 1) * per_page : page * per_page]
        named = _colleagues(client, shown)
        return {
            "idFacture": invoice.pk,
            "numeroFacture": invoice.number,
            "modeDepot": invoice.flow.mode,
            "statutCourantCode": status_shown_to(invoice, role=role),
            "historiquesDesStatuts": {
                "histoStatut": [
                    _histo(event, named=event.user_id in named and event.on_behalf_of_id is None)
                    for event in shown
                ],
                "nbResultatsParPageHistoStatut": per_page,
                "pageCouranteHistoStatut": page,
                "pagesHistoStatut": max(1, -(-len(events) // per_page)),
                "totalHistoStatut": len(events),
            },
        }
