"""Bodies of the read and processing services: ``rechercher``, ``consulter``, ``historique``,
``traiter/recue`` and ``telecharger/groupe``, field names as Chorus Pro's (reference §10.2).

Answers keep every field optional, as the envelope of a refusal (``codeRetour`` ≠ 0) carries
none of them.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from chorus.api.pagination import PaginationOut, pagination_in
from chorus.api.views import StrictSerializer
from invoices.api.serializers_deposit import AnswerOut, CurrentUserMixin
from invoices.api.serializers_submit import money
from invoices.choices import BillingFramework, DepositMode, InvoiceStatus
from public_entities.api.serializers import LANGUAGES, MAX_ID

STATUSES = sorted(InvoiceStatus.values)
# What a recipient may set through ``traiter/recue`` (its actions in the portal).
RECIPIENT_TARGETS = sorted(
    {
        InvoiceStatus.TAKEN_INTO_ACCOUNT,
        InvoiceStatus.SERVICE_DONE,
        InvoiceStatus.MANDATED,
        InvoiceStatus.PASSED_TO_ACCOUNTANT,
        InvoiceStatus.ACCOUNTED,
        InvoiceStatus.PAYMENT_SENT,
        InvoiceStatus.SUSPENDED,
        InvoiceStatus.REJECTED,
        InvoiceStatus.TO_RECYCLE,
    }
)


# The sort columns of invoice searches (read.SEARCH_COLUMNS maps them to fields).
SEARCH_SORTS = (
    "DateDepot",
    "DateFacture",
    "NumeroFacture",
    "MontantTTC",
    "MontantHT",
    "Statut",
    "DateHeureEtatCourant",
)
Pagination = pagination_in("InvoiceSearchPaginationIn", SEARCH_SORTS, descending=True)


def _text(length: int = 50) -> serializers.CharField:
    return serializers.CharField(
        max_length=length, required=False, allow_blank=True, allow_null=True
    )


def _date() -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True)


def _id() -> serializers.IntegerField:
    return serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class CadreSearchIn(StrictSerializer):
    codeCadreFacturation = serializers.ChoiceField(
        choices=sorted(BillingFramework.values), required=False, allow_null=True
    )


class DestinataireSearchIn(StrictSerializer):
    idDestinataire = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    listeIdServiceExecutant = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=100,
    )


class FournisseurSearchIn(StrictSerializer):
    idFournisseur = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    listeIdService = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=100,
    )


class _SearchIn(CurrentUserMixin, StrictSerializer):
    """What both sides' searches share."""

    numeroFacture = _text(20)
    numeroBonCommande = _text()
    statutCourant = serializers.ListField(
        child=serializers.ChoiceField(choices=STATUSES), required=False, max_length=len(STATUSES)
    )
    periodeDateDepotDu = _date()
    periodeDateDepotAu = _date()
    periodeDateFactureDu = _date()
    periodeDateFactureAu = _date()
    montantTTCMin = money(required=False)
    montantTTCMax = money(required=False)
    montantHTMin = money(required=False)
    montantHTMax = money(required=False)
    montantApayerMin = money(required=False)
    montantApayerMax = money(required=False)
    cadreFacturation = CadreSearchIn(required=False)
    typeFacture = serializers.ChoiceField(
        choices=["FACTURE", "AVOIR"], required=False, allow_null=True
    )


class RechercherFournisseurIn(_SearchIn):
    numeroFluxDepot = _text()
    idFournisseur = _id()
    idServiceFournisseur = _id()
    listeDestinataire = serializers.ListField(
        child=DestinataireSearchIn(), required=False, max_length=100
    )
    modeDepot = serializers.ChoiceField(
        choices=sorted(DepositMode.values), required=False, allow_null=True
    )
    rejetTraite = serializers.BooleanField(required=False, allow_null=True)
    rechercheFactureParFournisseur = Pagination(required=False)


class RechercherRecipiendaireIn(_SearchIn):
    idDestinataire = _id()
    idServiceExecutant = _id()
    listeFournisseurs = serializers.ListField(
        child=FournisseurSearchIn(), required=False, max_length=100
    )
    paramRecherche = Pagination(required=False)


class FactureTrouveeOut(serializers.Serializer[Any]):
    """One invoice of a search result (the columns both sides get)."""

    identifiantFactureCPP = serializers.IntegerField()
    idFacture = serializers.IntegerField()
    numeroFacture = serializers.CharField()
    statut = serializers.CharField()
    typeFacture = serializers.CharField()
    codeCadreFacturation = serializers.CharField()
    dateFacture = serializers.DateField()
    dateDepot = serializers.DateField()
    dateHeureEtatCourant = serializers.DateTimeField()
    devise = serializers.CharField()
    montantHT = serializers.DecimalField(max_digits=19, decimal_places=2)
    montantTTC = serializers.DecimalField(max_digits=19, decimal_places=2)
    montantAPayer = serializers.DecimalField(max_digits=19, decimal_places=2)
    numeroBonCommande = serializers.CharField(allow_blank=True)
    numeroFluxDepot = serializers.CharField()
    modeDepot = serializers.CharField()
    idFournisseur = serializers.IntegerField()
    codeFournisseur = serializers.CharField()
    designationFournisseur = serializers.CharField()
    idDestinataire = serializers.IntegerField()
    codeDestinataire = serializers.CharField()
    designationDestinataire = serializers.CharField()
    idServiceExecutant = serializers.IntegerField(allow_null=True)
    codeServiceExecutant = serializers.CharField(allow_blank=True)
    nomServiceExecutant = serializers.CharField(allow_blank=True)
    rejetTraite = serializers.BooleanField(required=False)


class RechercherOut(AnswerOut):
    listeFactures = FactureTrouveeOut(many=True, required=False)
    parametresRetour = PaginationOut(required=False)


class ConsulterIn(CurrentUserMixin, StrictSerializer):
    identifiantFactureCPP = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    codeLangue = serializers.ChoiceField(choices=LANGUAGES, required=False, allow_null=True)


class CadreOut(serializers.Serializer[Any]):
    codeCadreFacturation = serializers.CharField()


class FournisseurOut(serializers.Serializer[Any]):
    idFournisseur = serializers.IntegerField()
    codeFournisseur = serializers.CharField()
    typeIdentifiantFournisseur = serializers.CharField()
    designationFournisseur = serializers.CharField()
    adresseFournisseurDetail = serializers.CharField(allow_blank=True)
    adresseFournisseurCodePostal = serializers.CharField(allow_blank=True)
    adresseFournisseurVille = serializers.CharField(allow_blank=True)
    adresseFournisseurCodePays = serializers.CharField(allow_blank=True)
    coordBancairesFournisseurCompteBancaire = serializers.CharField(allow_blank=True)


class DestinataireOut(serializers.Serializer[Any]):
    idDestinataire = serializers.IntegerField()
    codeDestinataire = serializers.CharField()
    libelleDestinataire = serializers.CharField()
    idServiceExecutant = serializers.IntegerField(allow_null=True)
    codeServiceExecutant = serializers.CharField(allow_blank=True)
    libelleServiceExecutant = serializers.CharField(allow_blank=True)
    adresseDestinataireDetail = serializers.CharField(allow_blank=True)
    adresseDestinataireCodePostal = serializers.CharField(allow_blank=True)
    adresseDestinataireVille = serializers.CharField(allow_blank=True)
    adresseDestinataireCodePays = serializers.CharField(allow_blank=True)


class ReferencesOut(serializers.Serializer[Any]):
    codeDeviseFacture = serializers.CharField()
    typeFacture = serializers.CharField()
    dateFacture = serializers.DateField()
    dateDepot = serializers.DateField()
    dateEcheancePaiement = serializers.DateField(allow_null=True)
    numeroBonCommande = serializers.CharField(allow_blank=True)
    numeroMarche = serializers.CharField(allow_blank=True)
    numeroFactureOrigine = serializers.CharField(allow_blank=True)
    numeroDpMandat = serializers.CharField(allow_blank=True)
    modePaiement = serializers.CharField(allow_blank=True)


class MontantTotalOut(serializers.Serializer[Any]):
    montantHtTotal = serializers.DecimalField(max_digits=19, decimal_places=2)
    montantTVA = serializers.DecimalField(max_digits=19, decimal_places=2)
    montantTtcTotal = serializers.DecimalField(max_digits=19, decimal_places=2)
    montantAPayer = serializers.DecimalField(max_digits=19, decimal_places=2)


class LignePosteOut(serializers.Serializer[Any]):
    lignePosteNumero = serializers.CharField(allow_blank=True)
    lignePosteReference = serializers.CharField(allow_blank=True)
    lignePosteDenomination = serializers.CharField(allow_blank=True)
    lignePosteQuantite = serializers.CharField(allow_blank=True)
    lignePosteUniteCode = serializers.CharField(allow_blank=True)
    lignePosteMontantUnitaireHT = serializers.CharField(allow_blank=True)
    lignePosteMontantHtApresRemise = serializers.CharField(allow_blank=True)
    lignePosteTauxTva = serializers.CharField(allow_blank=True)
    lignePosteCategorieTva = serializers.CharField(allow_blank=True)


class LignesDePosteOut(serializers.Serializer[Any]):
    lignePoste = LignePosteOut(many=True)
    totalLignesPoste = serializers.IntegerField()


class LigneTvaOut(serializers.Serializer[Any]):
    ligneTvaTauxRefValeur = serializers.CharField(allow_blank=True)
    ligneTvaCategorie = serializers.CharField(allow_blank=True)
    ligneTvaMontantBaseHtParTaux = serializers.CharField(allow_blank=True)
    ligneTvaMontantTvaParTaux = serializers.CharField(allow_blank=True)


class RecapitulatifTvaOut(serializers.Serializer[Any]):
    ligneTva = LigneTvaOut(many=True)
    totalLignesRecapitulativesTVA = serializers.IntegerField()


class PieceJointeOut(serializers.Serializer[Any]):
    pieceJointeId = serializers.IntegerField()
    pieceJointeDesignation = serializers.CharField()
    pieceJointeExtension = serializers.CharField(allow_blank=True)
    pieceJointeTypeCode = serializers.CharField()
    pieceJointeTaille = serializers.IntegerField()


class PiecesJointesOut(serializers.Serializer[Any]):
    pieceJointe = PieceJointeOut(many=True)
    totalListePiecesJointe = serializers.IntegerField()


class FactureOut(serializers.Serializer[Any]):
    identifiantFactureCPP = serializers.IntegerField()
    numeroFacture = serializers.CharField()
    statutFacture = serializers.CharField()
    modeDepot = serializers.CharField()
    numeroFluxDepot = serializers.CharField()
    commentaire = serializers.CharField(allow_blank=True)
    cadreDeFacturation = CadreOut()
    fournisseur = FournisseurOut()
    destinataire = DestinataireOut()
    references = ReferencesOut()
    montantTotal = MontantTotalOut()
    lignesDePoste = LignesDePosteOut()
    recapitulatifDeTva = RecapitulatifTvaOut()
    listeDesPiecesJointes = PiecesJointesOut()


class ConsulterOut(AnswerOut):
    facture = FactureOut(required=False)


class HistoriquePagination(StrictSerializer):
    pageResultatDemandee = serializers.IntegerField(min_value=1, max_value=100_000, default=1)
    nbResultatsParPage = serializers.IntegerField(min_value=1, max_value=500, default=100)


class HistoriqueIn(CurrentUserMixin, StrictSerializer):
    idFacture = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    idEspace = serializers.IntegerField(required=False, allow_null=True)
    paramRechercheHistoStatuts = HistoriquePagination(required=False)


class HistoStatutOut(serializers.Serializer[Any]):
    histoStatutId = serializers.IntegerField()
    histoStatutCode = serializers.CharField()
    histoStatutCodeReforme = serializers.CharField(allow_blank=True)
    histoStatutDatePassage = serializers.DateTimeField()
    histoStatutCommentaire = serializers.CharField(allow_blank=True)
    histoStatutMotifCode = serializers.CharField(allow_blank=True)
    histoStatutMotifLibelle = serializers.CharField(allow_blank=True)
    histoStatutUtilisateurNom = serializers.CharField(allow_blank=True)
    histoStatutUtilisateurPrenom = serializers.CharField(allow_blank=True)
    histoStatutUtilisateurEmail = serializers.CharField(allow_blank=True)
    histoStatutUtilisateurTelephone = serializers.CharField(allow_blank=True)


class HistoriquesDesStatutsOut(serializers.Serializer[Any]):
    histoStatut = HistoStatutOut(many=True)
    nbResultatsParPageHistoStatut = serializers.IntegerField()
    pageCouranteHistoStatut = serializers.IntegerField()
    pagesHistoStatut = serializers.IntegerField()
    totalHistoStatut = serializers.IntegerField()


class HistoriqueOut(AnswerOut):
    idFacture = serializers.IntegerField(required=False)
    numeroFacture = serializers.CharField(required=False)
    modeDepot = serializers.CharField(required=False)
    statutCourantCode = serializers.CharField(required=False)
    historiquesDesStatuts = HistoriquesDesStatutsOut(required=False)


class TraiterRecueIn(CurrentUserMixin, StrictSerializer):
    idFacture = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    nouveauStatut = serializers.ChoiceField(choices=RECIPIENT_TARGETS)
    motif = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    codeMotif = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="Reason code (recuperer/motifs…); required to suspend, reject or send back.",
    )
    numeroDPMandat = serializers.CharField(max_length=50, required=False, allow_blank=True)
    statutAttendu = serializers.ChoiceField(
        choices=STATUSES,
        required=False,
        help_text="Ours: the status the caller last read; refused if it changed since.",
    )


class TraiterRecueOut(AnswerOut):
    idFacture = serializers.IntegerField(required=False)
    numeroFacture = serializers.CharField(required=False)
    nouveauStatut = serializers.CharField(required=False)
    dateTraitement = serializers.DateField(required=False)


class IdFactureIn(StrictSerializer):
    idFacture = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class TelechargerGroupeIn(CurrentUserMixin, StrictSerializer):
    listeFacture = serializers.ListField(child=IdFactureIn(), min_length=1, max_length=200)
    format = serializers.ChoiceField(choices=["PDF", "XML", "ZIP"], default="PDF")
    avecPiecesJointesComplementaires = serializers.ChoiceField(
        choices=["OUI", "NON"], default="NON"
    )
    idEspace = serializers.IntegerField(required=False, allow_null=True)


class TelechargerGroupeOut(AnswerOut):
    fichierResultat = serializers.CharField(
        required=False, help_text="base64 of the PDF, the XML, or a ZIP of several files."
    )
    nomFichier = serializers.CharField(required=False)
    typeMime = serializers.CharField(required=False)
