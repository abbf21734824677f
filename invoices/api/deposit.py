"""``factures/v1/deposer/flux``: a file deposited through the API, as through the portal.

The file goes to :func:`invoices.services.deposit.flow_receive_once`, the portal upload's
and ``manage.py deposit``'s service, as the technical account; processing and its report
are the same. What is the API's own: the declared ``syntaxeFlux`` must match the file, and
the same deposit re-posted within 24 h answers the first flow (issue 12 item 6).
"""

from __future__ import annotations

import string
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from chorus.api.authentication import api_client
from chorus.api.choices import Scope
from chorus.api.errors import RETOUR_OK, business_refusal
from chorus.api.views import CproView
from chorus.core.actor import Actor
from chorus.core.uploads import upload_name_check
from invoices.api.serializers_deposit import ACCEPTED_SYNTAXES, DeposerFluxIn, DeposerFluxOut
from invoices.choices import DepositMode
from invoices.einvoice import Syntax, detect_syntax
from invoices.services.archives import ArchiveRefused, is_archive, iter_archive
from invoices.services.deposit import flow_receive_once

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 255
_KEY_CHARACTERS = frozenset(string.ascii_letters + string.digits + string.punctuation)

SYNTAX_NAMES = {
    Syntax.UBL_INVOICE: "UBL (Invoice)",
    Syntax.UBL_CREDIT_NOTE: "UBL (CreditNote)",
    Syntax.CII: "CII",
    Syntax.FACTURX_PDF: "Factur-X",
    Syntax.PDF_WITHOUT_XML: "PDF",
    Syntax.OTHER_XML: "XML",
    Syntax.UNKNOWN: "?",
}


def idempotency_key(request: Request) -> str:
    """The ``Idempotency-Key`` header: printable ASCII without spaces, at most 255 characters."""
    raw = request.headers.get(IDEMPOTENCY_HEADER)
    if raw is None:
        return ""
    if not raw or len(raw) > IDEMPOTENCY_KEY_MAX or not set(raw) <= _KEY_CHARACTERS:
        raise serializers.ValidationError(
            {
                IDEMPOTENCY_HEADER: [
                    _("1 to 255 visible ASCII characters (a UUID for example), without spaces.")
                ]
            }
        )
    return raw


def syntax_check(*, syntaxe: str, name: str, data: bytes) -> None:
    """The file (or each file of an archive) is what ``syntaxeFlux`` says it is.

    An unreadable archive is left to processing, whose report says what is wrong with it.
    """
    admitted = ACCEPTED_SYNTAXES[syntaxe][1]
    if is_archive(name, data):
        try:
            entries = [(entry.name, entry.data) for entry in iter_archive(name, data)]
        except ArchiveRefused:
            return
    else:
        entries = [(name, data)]
    for entry_name, entry_data in entries:
        found = detect_syntax(entry_data)
        if found not in admitted:
            raise business_refusal(
                "SYNTAX_MISMATCH",
                _(
                    "%(name)s is not a %(syntaxe)s file (it reads as %(found)s): send the file "
                    "with the syntaxeFlux of its format."
                )
                % {"name": entry_name, "syntaxe": syntaxe, "found": SYNTAX_NAMES[found]},
            )


class DeposerFluxView(CproView):
    """``POST factures/v1/deposer/flux`` (deposerFluxFacture)."""

    scope = Scope.DEPOSIT
    input_serializer = DeposerFluxIn

    @extend_schema(
        operation_id="deposerFluxFacture",
        request=DeposerFluxIn,
        responses=DeposerFluxOut,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                {"type": "string", "pattern": "^[!-~]{1,255}$"},
                OpenApiParameter.HEADER,
                required=False,
                description=(
                    "Re-posting with the same key within 24 h answers the first deposit "
                    "instead of making a second one."
                ),
            )
        ],
    )
    def post(self, request: Request) -> Response:
        key = idempotency_key(request)
        body = self.body(request)
        client = api_client(request)
        data: bytes = body["fichierFlux"]
        upload_name_check(body["nomFichier"])  # a folder path or control character: refused
        syntax_check(syntaxe=body["syntaxeFlux"], name=body["nomFichier"], data=data)
        receipt = flow_receive_once(
            actor=Actor(user=client.account.user),
            structure=client.membership.structure,
            mode=DepositMode.API_UPLOAD,
            name=body["nomFichier"],
            content=data,
            syntax=ACCEPTED_SYNTAXES[body["syntaxeFlux"]][0],
            idempotency_key=key,
        )
        flow = receipt.flow
        answer: dict[str, Any] = {
            "codeRetour": RETOUR_OK,
            "libelle": self.ok_message,
            "numeroFluxDepot": flow.number,
            "dateDepot": timezone.localdate(flow.received_at).isoformat(),
            "syntaxeFlux": body["syntaxeFlux"],
        }
        headers = {"Idempotent-Replayed": "true"} if receipt.replayed else {}
        return Response(answer, headers=headers)
