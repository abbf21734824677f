"""``transverses/v1/consulterCR`` and ``consulterCRDetaille``: a deposit's integration report.

The flow is found through the portal's selector (the structure's own deposits) and its
findings are rendered by :mod:`invoices.reports`, as on the deposit page and in the CSV:
another structure's deposit is the same answer as an unknown one.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from chorus.api.authentication import ApiClient
from chorus.api.choices import Scope
from chorus.api.errors import not_found
from chorus.api.views import CproView
from invoices.api.serializers_deposit import (
    ConsulterCRDetailleOut,
    ConsulterCRIn,
    ConsulterCROut,
)
from invoices.models import Flow, Invoice
from invoices.reports import report_findings
from invoices.selectors import flow_list_for_supplier


def flow_for_report(*, client: ApiClient, number: str) -> Flow:
    """The structure's deposit of that number; anything else is ``NOT_FOUND``."""
    pk = Flow.pk_from_number(number)
    flow = (
        flow_list_for_supplier(membership=client.membership)
        .select_related("structure")
        .filter(pk=pk)
        .first()
        if pk is not None
        else None
    )
    if flow is None:
        raise not_found(
            _("No deposit %(number)s for this structure.") % {"number": number.strip()[:50]}
        )
    return flow


def _state_time(flow: Flow) -> str:
    """When the flow entered its current state."""
    return (flow.finished_at or flow.started_at or flow.received_at).isoformat()


def _head(flow: Flow) -> dict[str, Any]:
    return {
        "numeroFluxDepot": flow.number,
        "dateDepotFlux": timezone.localdate(flow.received_at).isoformat(),
    }


class ConsulterCRView(CproView):
    """``POST transverses/v1/consulterCR``: the flow's current state."""

    scope = Scope.READ
    input_serializer = ConsulterCRIn

    @extend_schema(operation_id="consulterCR", request=ConsulterCRIn, responses=ConsulterCROut)
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        flow = flow_for_report(client=client, number=body["numeroFluxDepot"])
        return {
            **_head(flow),
            "etatCourantFlux": flow.status,
            "dateHeureEtatCourantFlux": _state_time(flow),
            "nomFichierFlux": flow.original_name,
            "codeInterfaceFlux": flow.syntax,
        }


class ConsulterCRDetailleView(CproView):
    """``POST transverses/v1/consulterCRDetaille``: the state and every finding, per invoice."""

    scope = Scope.READ
    input_serializer = ConsulterCRIn

    @extend_schema(
        operation_id="consulterCRDetaille", request=ConsulterCRIn, responses=ConsulterCRDetailleOut
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        flow = flow_for_report(client=client, number=body["numeroFluxDepot"])
        report = flow.report if isinstance(flow.report, dict) else {}
        errors: list[dict[str, str]] = []
        warnings: list[dict[str, str]] = []
        documents = [d for d in report.get("documents") or [] if isinstance(d, dict)]
        recipients = {
            str(public_id): identifier
            for public_id, identifier in Invoice.objects.filter(flow=flow).values_list(
                "public_id", "recipient__identifier"
            )
        }
        for document in documents:
            for finding in report_findings(document.get("findings")):
                item = {
                    "identifiantFournisseur": flow.structure.identifier,
                    "identifiantDestinataire": recipients.get(str(document.get("invoice")), ""),
                    "numeroDP": str(document.get("invoice_number") or ""),
                    "libelleErreurDP": finding["message"],
                    "codeRegle": finding["rule_id"],
                    "severite": finding["severity"],
                    "emplacement": finding["location"],
                    "nomFichier": str(document.get("name") or ""),
                }
                (errors if finding["severity"] == "fatal" else warnings).append(item)
        technical = [
            {
                "codeErreur": finding["rule_id"],
                "libelleErreur": finding["message"],
                "natureErreur": finding["severity"],
            }
            for finding in report_findings(report.get("findings"))
        ]
        return {
            **_head(flow),
            "etatCourantDepotFlux": flow.status,
            "dateHeureEtatCourantDepotFlux": _state_time(flow),
            "nomFichier": flow.original_name,
            "codeInterfaceDepotFlux": flow.syntax,
            "nbDocuments": len(documents),
            "nbDocumentsIntegres": sum(1 for d in documents if d.get("result") == "accepted"),
            "listeErreurDP": errors,
            "listeAvertissementDP": warnings,
            "listeErreurTechnique": technical,
        }
