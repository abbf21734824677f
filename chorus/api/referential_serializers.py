"""Bodies of the ``transverses/v1`` referentials, with Chorus Pro's field names.

The names come from the API's clients (reference §10.2; the Go client's ``transverses_*``
types): each list is ``liste<Thing>`` of objects named after the field an invoice carries.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from chorus.api.pagination import PaginationOut, pagination_in
from chorus.api.views import StrictSerializer

LANGUAGES = ("FR", "EN", "fr", "en")


class EmptyIn(StrictSerializer):
    """A service without parameters: ``{}`` (an unknown field is still refused)."""


class LanguageIn(StrictSerializer):
    """``codeLangue`` (``FR`` or ``EN``) of the labels; else the request's language."""

    codeLangue = serializers.ChoiceField(
        choices=LANGUAGES, required=False, allow_blank=True, allow_null=True
    )


class PaymentRequestTypeIn(StrictSerializer):
    """``typeDemandePaiement``: its values are not published (reference §14); accepted as is."""

    typeDemandePaiement = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=64
    )


class CurrentStatusIn(StrictSerializer):
    """``statutCourant``: an invoice status; one we do not hold allows nothing."""

    statutCourant = serializers.CharField(max_length=64)


def _envelope(name: str, item: type[serializers.Serializer[Any]]) -> type[Any]:
    fields: dict[str, Any] = {
        "codeRetour": serializers.IntegerField(),
        "libelle": serializers.CharField(),
        name: item(many=True),
    }
    return type(f"{item.__name__.removesuffix('Out')}ListOut", (serializers.Serializer,), fields)


class CurrencyOut(serializers.Serializer[Any]):
    codeDevise = serializers.CharField()
    libelleDevise = serializers.CharField()


class CountryOut(serializers.Serializer[Any]):
    codePays = serializers.CharField()
    libellePays = serializers.CharField()


class VatRateOut(serializers.Serializer[Any]):
    codeTauxTva = serializers.CharField()
    libelleTauxTva = serializers.CharField()
    valeurTauxTva = serializers.FloatField()


class ExemptionReasonOut(serializers.Serializer[Any]):
    codeMotifExonerationTva = serializers.CharField()
    libelleMotifExonerationTva = serializers.CharField()


class PaymentModeOut(serializers.Serializer[Any]):
    modePaiement = serializers.CharField()


class DepositModeOut(serializers.Serializer[Any]):
    modeDepot = serializers.CharField()


class FlowFormatOut(serializers.Serializer[Any]):
    formatFlux = serializers.CharField()


class BillingFrameworkOut(serializers.Serializer[Any]):
    codeCadreFacturation = serializers.CharField()


class IdentifierTypeOut(serializers.Serializer[Any]):
    typeIdentifiantStructure = serializers.CharField()


class InvoiceStatusOut(serializers.Serializer[Any]):
    etatDemandePaiement = serializers.CharField()


class ProcessingStatusOut(serializers.Serializer[Any]):
    statutPossiblePourTraitement = serializers.CharField()


CurrencyListOut = _envelope("listeDevises", CurrencyOut)
CountryListOut = _envelope("listePays", CountryOut)
VatRateListOut = _envelope("listeTauxTva", VatRateOut)
ExemptionReasonListOut = _envelope("listeMotifsExonerationTva", ExemptionReasonOut)
PaymentModeListOut = _envelope("listeModePaiement", PaymentModeOut)
DepositModeListOut = _envelope("listeModeDepot", DepositModeOut)
FlowFormatListOut = _envelope("listeFormatFlux", FlowFormatOut)
BillingFrameworkListOut = _envelope("listeCadreFacturation", BillingFrameworkOut)
IdentifierTypeListOut = _envelope("listeTypeIdentifiant", IdentifierTypeOut)
InvoiceStatusListOut = _envelope("listeEtatDemandePaiement", InvoiceStatusOut)
ProcessingStatusListOut = _envelope("listeStatutsPossiblesPourTraitement", ProcessingStatusOut)


class DirectoryFileOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    fichierResultat = serializers.CharField(help_text="base64 of a zip holding one CSV")


# --- Support request categories (sollicitations) -------------------------------------------


# As the structure lists: 0 means the default, A→Z unless told otherwise.
CategoryPaginationIn = pagination_in(
    "CategoryPaginationIn", ("CodeCategorie", "LibelleCategorie", "Ordre")
)
SubcategoryPaginationIn = pagination_in("SubcategoryPaginationIn", ("Code", "Libelle", "Ordre"))


class CategorySearchIn(StrictSerializer):
    """Categories by code (exact), label (part of it), state; active ones by default."""

    codeCategorie = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=60
    )
    libelleCategorie = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=120
    )
    estActif = serializers.BooleanField(required=False, allow_null=True)
    pagination = CategoryPaginationIn(required=False, allow_null=True)


class CategoryOut(serializers.Serializer[Any]):
    idTechniqueCategorie = serializers.IntegerField()
    codeCategorie = serializers.CharField()
    libelleCategorie = serializers.CharField()
    estActif = serializers.BooleanField()


class CategorySearchOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    listeCategories = CategoryOut(many=True)
    parametresRetour = PaginationOut()


class SubcategorySearchIn(StrictSerializer):
    """Sub-categories by code, label, state or category (``idTechniqueCategorie``)."""

    code = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=60)
    libelle = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=120
    )
    estActif = serializers.BooleanField(required=False, allow_null=True)
    idTechniqueCategorie = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**63 - 1
    )
    pagination = SubcategoryPaginationIn(required=False, allow_null=True)


class ParentCategoryOut(serializers.Serializer[Any]):
    idTechniqueCategorie = serializers.IntegerField()
    codeCategorie = serializers.CharField()
    libelleCategorie = serializers.CharField()


class SubcategoryOut(serializers.Serializer[Any]):
    code = serializers.CharField()
    libelle = serializers.CharField()
    estActif = serializers.BooleanField()
    idTechniqueCategorie = serializers.IntegerField(help_text="the parent category's id")
    dateCreation = serializers.CharField(allow_null=True)
    dateDerniereModification = serializers.CharField(allow_null=True)


class SubcategoryGroupOut(serializers.Serializer[Any]):
    categorie = ParentCategoryOut(many=True)
    ssCategorie = SubcategoryOut(many=True)


class SubcategorySearchOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    listeSousCategories = SubcategoryGroupOut(many=True)
    parametresRetour = PaginationOut()
