"""Bodies of the deposit services and their reports, field names as Chorus Pro's.

Answers list every field as optional: a business refusal (HTTP 200, ``codeRetour`` ≠ 0)
answers the error envelope in the same status, and the description must allow both.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from chorus.api.views import StrictSerializer
from invoices.choices import FlowSyntax
from invoices.einvoice import Syntax

# ``syntaxeFlux`` values a deposit may declare, each with the syntax it names in our tree and
# the kinds of file it admits (reference §2.2). Other official codes (XCBL, PES, the E2
# "minimal XML + PDF" pairs) name formats the portal does not read: refused as invalid.
ACCEPTED_SYNTAXES: dict[str, tuple[FlowSyntax, frozenset[Syntax]]] = {
    "IN_DP_E1_UBL_INVOICE": (
        FlowSyntax.UBL,
        frozenset({Syntax.UBL_INVOICE, Syntax.UBL_CREDIT_NOTE}),
    ),
    "IN_DP_E1_CII_16B": (FlowSyntax.CII, frozenset({Syntax.CII})),
    "IN_DP_E1_CII": (FlowSyntax.CII, frozenset({Syntax.CII})),
    "IN_DP_E2_CII_FACTURX": (FlowSyntax.FACTURX, frozenset({Syntax.FACTURX_PDF})),
}


@extend_schema_field(OpenApiTypes.BYTE)
class Base64Field(serializers.CharField):
    """Base64 text in, the decoded bytes out; line breaks (MIME wrapping) are allowed."""

    default_error_messages = {
        "base64": gettext_lazy("This is not base64: encode the file's bytes in base64."),
        "empty": gettext_lazy("The file is empty."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> bytes:  # type: ignore[override]
        if not isinstance(data, str):
            self.fail("base64")
        text = "".join(str(super().to_internal_value(data)).split())
        if len(text) % 4:  # b64decode would accept excess padding
            self.fail("base64")
        try:
            decoded = base64.b64decode(text.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError, ValueError):
            self.fail("base64")
        if not decoded:
            self.fail("empty")
        return decoded


class CurrentUserMixin(serializers.Serializer[Any]):
    """``idUtilisateurCourant``: sent by many Chorus Pro clients, accepted and not needed."""

    idUtilisateurCourant = serializers.IntegerField(required=False, allow_null=True)


class DeposerFluxIn(CurrentUserMixin, StrictSerializer):
    fichierFlux = Base64Field(help_text="The file's bytes in base64 (≤ 120 MB once decoded).")
    nomFichier = serializers.CharField(max_length=255)
    syntaxeFlux = serializers.ChoiceField(choices=sorted(ACCEPTED_SYNTAXES))
    avecSignature = serializers.BooleanField(required=False, default=False)


class AnswerOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    codeErreur = serializers.CharField(
        required=False, help_text="Stable code of a refusal (absent on success)."
    )


class DeposerFluxOut(AnswerOut):
    numeroFluxDepot = serializers.CharField(required=False)
    dateDepot = serializers.DateField(required=False)
    syntaxeFlux = serializers.CharField(required=False)


class ConsulterCRIn(CurrentUserMixin, StrictSerializer):
    numeroFluxDepot = serializers.CharField(max_length=50)
    syntaxeFlux = serializers.ChoiceField(choices=sorted(ACCEPTED_SYNTAXES), required=False)


class ConsulterCROut(AnswerOut):
    numeroFluxDepot = serializers.CharField(required=False)
    etatCourantFlux = serializers.CharField(required=False)
    dateHeureEtatCourantFlux = serializers.DateTimeField(required=False)
    dateDepotFlux = serializers.DateField(required=False)
    nomFichierFlux = serializers.CharField(required=False)
    codeInterfaceFlux = serializers.CharField(required=False, allow_blank=True)


class ErreurDPOut(serializers.Serializer[Any]):
    """A finding on one document (demande de paiement) of the flow."""

    identifiantFournisseur = serializers.CharField(allow_blank=True)
    identifiantDestinataire = serializers.CharField(allow_blank=True)
    numeroDP = serializers.CharField(allow_blank=True)
    libelleErreurDP = serializers.CharField(allow_blank=True)
    codeRegle = serializers.CharField(allow_blank=True, help_text="The rule's id (ours).")
    severite = serializers.CharField(allow_blank=True)
    emplacement = serializers.CharField(allow_blank=True)
    nomFichier = serializers.CharField(allow_blank=True)


class ErreurTechniqueOut(serializers.Serializer[Any]):
    """A finding on the flow as a whole (duplicate file, unreadable archive, incident)."""

    codeErreur = serializers.CharField(allow_blank=True)
    libelleErreur = serializers.CharField(allow_blank=True)
    natureErreur = serializers.CharField(allow_blank=True)


class ConsulterCRDetailleOut(AnswerOut):
    numeroFluxDepot = serializers.CharField(required=False)
    etatCourantDepotFlux = serializers.CharField(required=False)
    dateHeureEtatCourantDepotFlux = serializers.DateTimeField(required=False)
    dateDepotFlux = serializers.DateField(required=False)
    nomFichier = serializers.CharField(required=False)
    codeInterfaceDepotFlux = serializers.CharField(required=False, allow_blank=True)
    nbDocuments = serializers.IntegerField(required=False)
    nbDocumentsIntegres = serializers.IntegerField(required=False)
    listeErreurDP = ErreurDPOut(many=True, required=False)
    listeAvertissementDP = ErreurDPOut(many=True, required=False)
    listeErreurTechnique = ErreurTechniqueOut(many=True, required=False)
