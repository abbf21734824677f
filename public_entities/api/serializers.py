"""Bodies of ``structures/v1``: Chorus Pro's field names (reference §1.1 to §1.3, §10.2).

Integrations send every criterion, empty ones as ``""``, ``false`` or ``null`` (the Go and PHP
clients do): so blanks, nulls and ``false`` flags are accepted and filter nothing.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from chorus.accounts.choices import IdentifierType, StructureKind
from chorus.api.pagination import PaginationOut, pagination_in
from chorus.api.views import StrictSerializer

STATUSES = ("ACTIF", "INACTIF")
MAX_ID = 2**63 - 1  # ids are bigint: a larger number is a bad request, not a database error
LANGUAGES = ("FR", "EN", "fr", "en")


StructurePaginationIn = pagination_in(
    "StructurePaginationIn",
    ("IdentifiantStructure", "DesignationStructure", "TypeIdentifiantStructure", "Statut"),
)
ServicePaginationIn = pagination_in(
    "ServicePaginationIn",
    ("CodeService", "LibelleService", "DateDbtService", "DateFinService", "EstActif"),
)


def _text(max_length: int) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=max_length
    )


def _flag() -> serializers.BooleanField:
    return serializers.BooleanField(required=False, allow_null=True)


class StructureCriteriaIn(StrictSerializer):
    """Criteria of ``rechercher``: names are matched word by word, accents ignored."""

    identifiantStructure = _text(80)
    typeIdentifiantStructure = serializers.ChoiceField(
        choices=IdentifierType.values, required=False, allow_blank=True, allow_null=True
    )
    raisonSocialeStructure = _text(255)
    libelleStructure = _text(255)
    nomStructure = _text(255)
    prenomStructure = _text(255)
    adresseCodePostal = _text(16)
    adresseVille = _text(255)
    adresseCodePays = _text(2)
    estMOA = _flag()
    estMOAUniquement = _flag()
    statutStructure = serializers.ChoiceField(
        choices=STATUSES, required=False, allow_blank=True, allow_null=True
    )
    typeStructure = serializers.ChoiceField(
        choices=StructureKind.values, required=False, allow_blank=True, allow_null=True
    )


class StructureSearchIn(StrictSerializer):
    """``rechercher``: criteria (``structure``) and pagination (``parametres``)."""

    structure = StructureCriteriaIn(required=False, allow_null=True)
    parametres = StructurePaginationIn(required=False, allow_null=True)
    restreindreStructuresPrivees = _flag()
    idUtilisateurCourant = serializers.IntegerField(required=False, allow_null=True)  # ignored


class StructureItemOut(serializers.Serializer[Any]):
    idStructureCPP = serializers.IntegerField()
    identifiantStructure = serializers.CharField()
    typeIdentifiantStructure = serializers.CharField()
    designationStructure = serializers.CharField()
    statut = serializers.CharField(help_text="ACTIF or INACTIF")


class StructureSearchOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    listeStructures = StructureItemOut(many=True)
    parametresRetour = PaginationOut()


class StructureGetIn(StrictSerializer):
    """``idStructureCPP`` (as OCA sends it), or ``idStructure`` (as the Go client does)."""

    idStructureCPP = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    idStructure = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="Accepted for idStructureCPP when that is absent.",
    )
    codeLangue = serializers.ChoiceField(
        choices=LANGUAGES, required=False, allow_blank=True, allow_null=True
    )
    idUtilisateurCourant = serializers.IntegerField(required=False, allow_null=True)  # ignored

    def to_internal_value(self, data: Any) -> Any:
        if (
            isinstance(data, dict)
            and data.get("idStructureCPP") is None
            and data.get("idStructure") is not None
        ):
            data = {**data, "idStructureCPP": data["idStructure"]}
        return super().to_internal_value(data)


class AddressOut(serializers.Serializer[Any]):
    adresse = serializers.CharField(allow_blank=True)
    complementAdresse1 = serializers.CharField(allow_blank=True)
    complementAdresse2 = serializers.CharField(allow_blank=True)
    codePostal = serializers.CharField(allow_blank=True)
    ville = serializers.CharField(allow_blank=True)
    pays = serializers.CharField(allow_blank=True)
    telephone = serializers.CharField(allow_blank=True)
    indicatifTelephone = serializers.CharField(allow_blank=True)
    fax = serializers.CharField(allow_blank=True)
    indicatifFax = serializers.CharField(allow_blank=True)


class DuplicateOut(serializers.Serializer[Any]):
    structureDupliquee = serializers.IntegerField()


class StructureInfoOut(serializers.Serializer[Any]):
    idStructureCPP = serializers.IntegerField()
    identifiantStructure = serializers.CharField()
    typeIdentifiantStructure = serializers.CharField()
    libelleStructure = serializers.CharField()
    raisonSocialeStructure = serializers.CharField()
    nomStructure = serializers.CharField(allow_blank=True)
    prenomStructure = serializers.CharField(allow_blank=True)
    emailStructure = serializers.CharField(allow_blank=True)
    numeroRcsStructure = serializers.CharField(allow_blank=True)
    numeroTVA = serializers.CharField(allow_blank=True)
    structurePriveePublique = serializers.CharField(help_text="PRIVEE or PUBLIQUE")
    estValideurDeleguee = serializers.BooleanField()
    idStructureOrigine = serializers.IntegerField(allow_null=True)
    listeStructureDupliquees = DuplicateOut(many=True)
    dateExpirationMotPasseCompteTech = serializers.CharField(allow_null=True)


class StructureParametersOut(serializers.Serializer[Any]):
    codeServiceDoitEtreRenseigne = serializers.BooleanField()
    numeroEJDoitEtreRenseigne = serializers.BooleanField()
    gestionNumeroEJOuCodeService = serializers.BooleanField()
    statutMiseEnPaiementNestPasRemonte = serializers.BooleanField()
    connexionEDI = serializers.BooleanField()
    recevoirDonneesViaEDI = serializers.BooleanField()
    estMoaUniquement = serializers.BooleanField()
    getaMoa = serializers.BooleanField()
    estValideurDelegue = serializers.BooleanField()
    nonDiffusibleInsee = serializers.BooleanField()


class StructureGetOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    informationGenerales = StructureInfoOut()
    parametres = StructureParametersOut()
    adressePostaleDuSiege = AddressOut()


class ServiceSearchIn(StrictSerializer):
    """``rechercher/services``: the structure and the pagination of its services."""

    idStructure = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    idUtilisateurCourant = serializers.IntegerField(required=False, allow_null=True)  # ignored
    parametresRechercherServicesStructure = ServicePaginationIn(required=False, allow_null=True)


class ServiceItemOut(serializers.Serializer[Any]):
    idService = serializers.IntegerField()
    codeService = serializers.CharField()
    libelleService = serializers.CharField()
    estActif = serializers.BooleanField()
    statutService = serializers.CharField(help_text="ACTIF or INACTIF")
    dateDbtService = serializers.CharField(allow_null=True)
    dateFinService = serializers.CharField(allow_null=True)


class ServiceSearchOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    listeServices = ServiceItemOut(many=True)
    parametresRetour = PaginationOut()


class ServiceGetIn(StrictSerializer):
    """``consulter/service``: the structure and one of its services."""

    idStructure = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    idService = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    codeLangue = serializers.ChoiceField(
        choices=LANGUAGES, required=False, allow_blank=True, allow_null=True
    )
    idUtilisateurCourant = serializers.IntegerField(required=False, allow_null=True)  # ignored


class ServiceInfoOut(serializers.Serializer[Any]):
    codeService = serializers.CharField()
    nomService = serializers.CharField()
    descriptionService = serializers.CharField(allow_blank=True)


class ServiceParametersOut(serializers.Serializer[Any]):
    dateCreation = serializers.CharField(allow_null=True)
    dateDebutValidite = serializers.CharField(allow_null=True)
    dateFinValidite = serializers.CharField(allow_null=True)
    dateModification = serializers.CharField(allow_null=True)
    miseEnPaiement = serializers.BooleanField()
    numeroEngagement = serializers.BooleanField()


class ServiceGetOut(serializers.Serializer[Any]):
    codeRetour = serializers.IntegerField()
    libelle = serializers.CharField()
    adressePostale = AddressOut()
    informationsGenerales = ServiceInfoOut()
    parametres = ServiceParametersOut()
