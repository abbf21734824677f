"""``traiter/recue`` and ``telecharger/groupe``: the recipient's processing, and downloads.

``traiter/recue`` is the portal's action panel
(:func:`invoices.services.actions.invoice_recipient_act`), with the same transitions,
reasons and guard against a concurrent change. Chorus Pro's
``motif`` is free text; a reason code is taken from ``codeMotif`` (ours), or from ``motif``
when it is one, and a suspension or rejection with only a text is filed under ``AUTRE``
(« autre motif, précisé en commentaire ») with that text as its comment.

``telecharger/groupe`` serves what the invoice page serves: the readable PDF
(:func:`invoices.entry.rendering.invoice_readable_pdf`) or the original file, one invoice as
that file, several (or with their attachments) as a ZIP, within 120 MB.
"""

from __future__ import annotations

import base64
import io
import zipfile
from typing import Any, ClassVar

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from chorus.api.authentication import ApiClient
from chorus.api.choices import Scope
from chorus.api.errors import RETOUR_TOO_LARGE, ApiRefusal, business_refusal
from chorus.api.views import CproView
from chorus.circuits.declaration import Group
from chorus.circuits.roles import Role
from chorus.core.actor import Actor
from chorus.core.uploads import safe_file_name
from invoices.api import serializers_read as s
from invoices.api.read import invoice_seen_by
from invoices.circuit import INVOICE
from invoices.entry.rendering import RenderingUnavailable, invoice_readable_pdf
from invoices.models import Invoice, StatusReason
from invoices.services.actions import invoice_recipient_act

OTHER_REASON = "AUTRE"


def _reason(body: dict[str, Any], target: str) -> tuple[str, str]:
    """``(reason code, comment)`` from ``codeMotif`` and ``motif``."""
    code = (body.get("codeMotif") or "").strip()
    text = (body.get("motif") or "").strip()
    if not code and text and StatusReason.objects.filter(code=text, is_active=True).exists():
        return text, ""
    if not code and text and target in INVOICE.group(Group.REASON_REQUIRED):
        code = OTHER_REASON  # without any, the lifecycle refuses it (REASON_REQUIRED)
    return code, text


class TraiterRecueView(CproView):
    """``POST factures/v1/traiter/recue`` (traiterFactureRecue)."""

    scope: ClassVar[str] = Scope.PROCESS
    input_serializer = s.TraiterRecueIn

    @extend_schema(
        operation_id="traiterFactureRecue",
        request=s.TraiterRecueIn,
        responses=s.TraiterRecueOut,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        invoice, _role = invoice_seen_by(client, body["idFacture"], role=Role.RECIPIENT)
        target = body["nouveauStatut"]
        code, comment = _reason(body, target)
        result = invoice_recipient_act(
            actor=Actor(user=client.account.user),
            membership=client.membership,
            invoice=invoice,
            to=target,
            expected_status=body.get("statutAttendu") or invoice.status,
            reason_code=code,
            comment=comment,
            mandate_number=(body.get("numeroDPMandat") or "").strip(),
        )
        return {
            "idFacture": result.invoice.pk,
            "numeroFacture": result.invoice.number,
            "nouveauStatut": result.invoice.status,
            "dateTraitement": timezone.localdate(result.event.created_at).isoformat(),
        }


def _read(file: FieldFile) -> bytes:
    with file.open("rb") as handle:
        return bytes(handle.read())


def _files(invoice: Invoice, *, fmt: str, with_attachments: bool) -> list[tuple[str, bytes]]:
    """The files of one invoice: its readable PDF or its original, then its attachments."""
    base = safe_file_name(f"facture_{invoice.number}_{invoice.supplier.identifier}")
    out: list[tuple[str, bytes]] = []
    attachments = list(invoice.attachments.all())
    main = next((a for a in attachments if a.is_main), None)
    if fmt == "XML":
        if main is None:
            raise business_refusal(
                "NO_ORIGINAL",
                _("Invoice %(id)s has no original file.") % {"id": invoice.pk},
            )
        extension = main.original_name.rpartition(".")[2] if "." in main.original_name else "xml"
        out.append((f"{base}.{extension.lower()}", _read(main.file)))
    else:
        try:
            readable = invoice_readable_pdf(invoice=invoice)
        except RenderingUnavailable:
            raise business_refusal(
                "NO_PDF",
                _("No readable PDF can be made for invoice %(id)s: download it as XML.")
                % {"id": invoice.pk},
            ) from None
        out.append((f"{base}.pdf", _read(readable.file)))
    if with_attachments:
        out.extend(
            (f"{base}/{safe_file_name(a.original_name)}", _read(a.file))
            for a in attachments
            if not a.is_main
        )
    return out


class TelechargerGroupeView(CproView):
    """``POST factures/v1/telecharger/groupe`` (telechargerGroupeFacture)."""

    scope: ClassVar[str] = Scope.READ
    input_serializer = s.TelechargerGroupeIn

    @extend_schema(
        operation_id="telechargerGroupeFacture",
        request=s.TelechargerGroupeIn,
        responses=s.TelechargerGroupeOut,
    )
    def post(self, request: Request) -> Response:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        ids = list(dict.fromkeys(item["idFacture"] for item in body["listeFacture"]))
        invoices = [invoice_seen_by(client, pk, role=None)[0] for pk in ids]
        fmt = body["format"]
        with_attachments = body["avecPiecesJointesComplementaires"] == "OUI"
        files = [
            item
            for invoice in invoices
            for item in _files(invoice, fmt=fmt, with_attachments=with_attachments)
        ]
        limit = settings.API_DOWNLOAD_MAX_BYTES
        if sum(len(data) for _name, data in files) > limit:
            raise ApiRefusal(
                413,
                RETOUR_TOO_LARGE,
                "TOO_LARGE",
                _("These invoices are over %(mb)s MB together: download them in smaller groups.")
                % {"mb": limit // (1024 * 1024)},
            )
        if len(files) == 1 and fmt != "ZIP":
            name, data = files[0]
            mime = "application/pdf" if name.endswith(".pdf") else "application/xml"
        else:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for entry_name, entry_data in files:
                    archive.writestr(entry_name, entry_data)
            name, data, mime = "factures.zip", buffer.getvalue(), "application/zip"
        return {
            "fichierResultat": base64.b64encode(data).decode("ascii"),
            "nomFichier": name,
            "typeMime": mime,
        }
