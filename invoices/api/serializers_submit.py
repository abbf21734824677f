"""Bodies of ``soumettre``, ``completer`` and ``recycler``, field names as Chorus Pro's.

Only the shape is checked here; the invoice's rules are the portal entry form's and the
actions' services (see :mod:`invoices.api.submit`).
"""

from __future__ import annotations

from rest_framework import serializers

from chorus.api.views import StrictSerializer
from invoices.api.serializers_deposit import AnswerOut, Base64Field, CurrentUserMixin
from invoices.choices import BillingFramework, DepositMode
from invoices.entry.forms import FRAMEWORK_CHOICES
from invoices.labels import ENTRY_UNITS

# codeCadreFacturation values the entry form offers (A1, A2, A9, A12), by their full code.
FRAMEWORK_CODES = {BillingFramework[short].value: short for short, _label in FRAMEWORK_CHOICES}
INVOICE_TYPES = {"FACTURE": "380", "AVOIR": "381"}
VAT_TYPES = ("TVA_SUR_DEBIT", "TVA_SUR_ENCAISSEMENT", "EXONERATION", "SANS_TVA")


def money(*, required: bool = True) -> serializers.DecimalField:
    """An amount in euros (cents)."""
    if required:
        return serializers.DecimalField(max_digits=19, decimal_places=2)
    return serializers.DecimalField(
        max_digits=19, decimal_places=2, required=False, allow_null=True
    )


class CadreIn(StrictSerializer):
    codeCadreFacturation = serializers.ChoiceField(choices=sorted(FRAMEWORK_CODES))
    codeStructureValideur = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    codeServiceValideur = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class DestinataireIn(StrictSerializer):
    codeDestinataire = serializers.CharField(max_length=20)
    codeServiceExecutant = serializers.CharField(
        max_length=100, required=False, allow_blank=True, allow_null=True
    )


class FournisseurIn(StrictSerializer):
    idFournisseur = serializers.IntegerField(required=False, allow_null=True)
    idServiceFournisseur = serializers.IntegerField(required=False, allow_null=True)
    codeCoordonneesBancairesFournisseur = serializers.IntegerField(
        required=False, allow_null=True, help_text="A bank account id of the structure."
    )


class ReferencesIn(StrictSerializer):
    deviseFacture = serializers.ChoiceField(choices=["EUR"], required=False, default="EUR")
    typeFacture = serializers.ChoiceField(choices=sorted(INVOICE_TYPES), default="FACTURE")
    typeTva = serializers.ChoiceField(choices=VAT_TYPES, required=False, allow_null=True)
    motifExonerationTva = serializers.CharField(
        max_length=255, required=False, allow_blank=True, allow_null=True
    )
    numeroMarche = serializers.CharField(
        max_length=50, required=False, allow_blank=True, allow_null=True
    )
    numeroBonCommande = serializers.CharField(
        max_length=50, required=False, allow_blank=True, allow_null=True
    )
    numeroFactureOrigine = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True
    )
    modePaiement = serializers.CharField(
        max_length=40, required=False, allow_blank=True, allow_null=True
    )


class LignePosteIn(StrictSerializer):
    lignePosteNumero = serializers.IntegerField(required=False, allow_null=True)
    lignePosteReference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, allow_null=True
    )
    lignePosteDenomination = serializers.CharField(max_length=1000)
    lignePosteQuantite = serializers.DecimalField(max_digits=19, decimal_places=4)
    lignePosteUnite = serializers.ChoiceField(choices=ENTRY_UNITS, required=False, default="C62")
    lignePosteMontantUnitaireHT = serializers.DecimalField(max_digits=19, decimal_places=6)
    lignePosteMontantRemiseHT = money(required=False)
    lignePosteTauxTva = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="A rate (20, 5.5…) or our code (S:20, E:0, AE:0…).",
    )
    lignePosteTauxTvaManuel = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )


class LigneTvaIn(StrictSerializer):
    ligneTvaTaux = serializers.CharField(
        max_length=20, required=False, allow_blank=True, allow_null=True
    )
    ligneTvaTauxManuel = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    ligneTvaMontantBaseHtParTaux = money()
    ligneTvaMontantTvaParTaux = money()


class PieceJointeIn(StrictSerializer):
    pieceJointeComplementaireId = serializers.IntegerField(min_value=1, max_value=2**62)
    pieceJointeComplementaireDesignation = serializers.CharField(
        max_length=255, required=False, allow_blank=True, allow_null=True
    )
    pieceJointeComplementaireIdLiaison = serializers.IntegerField(required=False, allow_null=True)
    pieceJointeComplementaireNumeroLigneFacture = serializers.IntegerField(
        required=False, allow_null=True
    )
    pieceJointeComplementaireType = serializers.CharField(
        max_length=40, required=False, allow_blank=True, allow_null=True
    )


class PieceJointePrincipaleIn(StrictSerializer):
    pieceJointePrincipaleId = serializers.IntegerField(min_value=1, max_value=2**62)
    pieceJointePrincipaleDesignation = serializers.CharField(
        max_length=255, required=False, allow_blank=True, allow_null=True
    )


class MontantTotalIn(StrictSerializer):
    montantHtTotal = money()
    montantTVA = money()
    montantTtcTotal = money()
    montantRemiseGlobaleTTC = money(required=False)
    motifRemiseGlobaleTTC = serializers.CharField(
        max_length=255, required=False, allow_blank=True, allow_null=True
    )
    montantAPayer = money(required=False)


class SoumettreIn(CurrentUserMixin, StrictSerializer):
    modeDepot = serializers.ChoiceField(
        choices=[DepositMode.API_ENTRY.value, DepositMode.API_PDF.value],
        required=False,
        default=DepositMode.API_ENTRY,
        help_text="DEPOT_PDF_API: pieceJointePrincipale is the invoice PDF (made Factur-X).",
    )
    numeroFactureSaisi = serializers.CharField(max_length=20)
    dateFacture = serializers.DateField()
    dateEcheancePaiement = serializers.DateField(required=False, allow_null=True)
    cadreDeFacturation = CadreIn()
    destinataire = DestinataireIn()
    fournisseur = FournisseurIn(required=False)
    references = ReferencesIn(required=False)
    # 1 to 200 lines: counted by the entry form's formset (a business refusal, like the form).
    lignePoste = LignePosteIn(many=True)
    ligneTva = LigneTvaIn(many=True, required=False)
    montantTotal = MontantTotalIn(required=False)
    pieceJointeComplementaire = PieceJointeIn(many=True, required=False)
    pieceJointePrincipale = PieceJointePrincipaleIn(many=True, required=False)
    commentaire = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Becomes the invoice's payment terms (BT-20).",
    )


class SoumettreOut(AnswerOut):
    identifiantFactureCPP = serializers.IntegerField(required=False)
    numeroFacture = serializers.CharField(required=False)
    statutFacture = serializers.CharField(required=False)
    dateDepot = serializers.DateField(required=False)
    identifiantStructure = serializers.CharField(required=False)
    numeroFluxDepot = serializers.CharField(required=False)
    erreurs = serializers.ListField(child=serializers.DictField(), required=False)


class CompleterIn(CurrentUserMixin, StrictSerializer):
    identifiantFactureCPP = serializers.IntegerField(min_value=1, max_value=2**62)
    commentaire = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    pieceJointeComplementaire = PieceJointeIn(many=True, required=False)


class CompleterOut(AnswerOut):
    identifiantFactureCPP = serializers.IntegerField(required=False)
    numeroFacture = serializers.CharField(required=False)
    dateTraitement = serializers.DateField(required=False)
    statutFacture = serializers.CharField(required=False)


class RecyclerReferenceIn(StrictSerializer):
    numeroBonCommande = serializers.CharField(
        max_length=50, required=False, allow_blank=True, allow_null=True
    )
    numeroMarche = serializers.CharField(
        max_length=50, required=False, allow_blank=True, allow_null=True
    )


class RecyclerIn(CurrentUserMixin, StrictSerializer):
    identifiantFactureCPP = serializers.IntegerField(min_value=1, max_value=2**62)
    destinataire = DestinataireIn()
    reference = RecyclerReferenceIn(required=False)
    commentaire = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, allow_null=True
    )


class RecyclerOut(AnswerOut):
    identifiantFactureCPP = serializers.IntegerField(required=False)
    numeroFacture = serializers.CharField(required=False)
    statutFacture = serializers.CharField(required=False)
    dateDepot = serializers.DateField(required=False)


class DemandePaiementIn(StrictSerializer):
    idDemandePaiement = serializers.IntegerField(min_value=1, max_value=2**62)


class TraiterRejetIn(CurrentUserMixin, StrictSerializer):
    listeDemandePaiement = DemandePaiementIn(many=True)
    motifRejet = serializers.CharField(
        max_length=255, required=False, allow_blank=True, allow_null=True
    )
    cpltInfos = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, allow_null=True
    )


class TraiterRejetOut(AnswerOut):
    nbFacturesTraitees = serializers.IntegerField(
        required=False, help_text="Invoices newly marked as handled (ours)."
    )


class AjouterFichierIn(CurrentUserMixin, StrictSerializer):
    pieceJointeFichier = Base64Field(help_text="The file's bytes in base64 (≤ 10 MB decoded).")
    pieceJointeNom = serializers.CharField(max_length=255)
    pieceJointeTypeMime = serializers.CharField(max_length=100, required=False, allow_blank=True)
    pieceJointeExtension = serializers.CharField(max_length=10, required=False, allow_blank=True)


class AjouterFichierOut(AnswerOut):
    pieceJointeId = serializers.IntegerField(required=False)
