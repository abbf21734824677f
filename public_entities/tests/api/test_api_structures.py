"""``/cpro/structures/v1/``: the directory through Chorus Pro's API (reference §10.2, §10.3)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from chorus.accounts.choices import StructureKind
from chorus.accounts.tests.organisation_factories import (
    StructureFactory,
    structure_with_principal,
    valid_siret,
)
from chorus.api.choices import Scope
from chorus.api.testing import CproCaller, cpro_caller
from public_entities.models import EntityService, PublicEntity

pytestmark = pytest.mark.django_db
BASE = "/cpro/structures/v1/"
SEARCH = BASE + "rechercher"
GET = BASE + "consulter"
SERVICES = BASE + "rechercher/services"
SERVICE = BASE + "consulter/service"


def public(name: str, index: int, **kwargs: object) -> PublicEntity:
    structure_fields = {
        k: kwargs.pop(k) for k in list(kwargs) if k in {"postal_code", "city", "is_active"}
    }
    structure = StructureFactory.create(
        kind=StructureKind.PUBLIC,
        identifier=valid_siret(index, "2"),
        name=name,
        **structure_fields,
    )
    return PublicEntity.objects.create(structure=structure, **kwargs)


@pytest.fixture
def directory() -> dict[str, PublicEntity]:
    lyon = public(
        "Commune de Lyon",
        1,
        postal_code="69001",
        city="Lyon",
        service_code_required=True,
        commitment_required=True,
        manages_payment_status=False,
        is_moa=True,
    )
    EntityService.objects.create(
        structure=lyon.structure,
        code="FIN",
        name="Finances",
        commitment_required=True,
        start_date=datetime.date(2017, 1, 1),
        end_date=datetime.date(2050, 12, 31),
    )
    EntityService.objects.create(structure=lyon.structure, code="ACH", name="Achats")
    EntityService.objects.create(structure=lyon.structure, code="OLD", name="Old", is_active=False)
    EntityService.objects.create(
        structure=lyon.structure, code="FACTURES_PUBLIQUES", name="Pseudo-service"
    )
    evry = public("Commune Évry-Ville", 2, postal_code="91000", city="Évry")
    bron = public("Commune de Bron", 3, postal_code="69500", city="Bron", is_active=False)
    return {"lyon": lyon, "evry": evry, "bron": bron}


@pytest.fixture
def supplier() -> CproCaller:
    """A supplier (private structure) with a VAT number, calling with every scope."""
    membership = structure_with_principal(name="Fournitures SARL", vat_number="FR00123456789")
    return cpro_caller(membership.structure)


def ok(response) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["codeRetour"] == 0, body
    return body


def test_discovery_sequence_siret_then_structure_then_services_then_service(
    supplier, directory
) -> None:
    """§10.3: rechercherStructure (SIRET) → consulterStructure → services → service."""
    lyon = directory["lyon"].structure
    found = ok(
        supplier.post(
            SEARCH,
            {
                "structure": {
                    "identifiantStructure": lyon.identifier,
                    "typeIdentifiantStructure": "SIRET",
                }
            },
        )
    )
    assert found["listeStructures"] == [
        {
            "idStructureCPP": lyon.pk,
            "identifiantStructure": lyon.identifier,
            "typeIdentifiantStructure": "SIRET",
            "designationStructure": "Commune de Lyon",
            "statut": "ACTIF",
        }
    ]
    assert found["parametresRetour"] == {
        "pageCourante": 1,
        "pages": 1,
        "nbResultatsParPage": 100,
        "total": 1,
    }

    structure = ok(supplier.post(GET, {"idStructureCPP": lyon.pk}))
    assert structure["parametres"] == {
        "codeServiceDoitEtreRenseigne": True,
        "numeroEJDoitEtreRenseigne": True,
        "gestionNumeroEJOuCodeService": False,
        "statutMiseEnPaiementNestPasRemonte": True,
        "connexionEDI": False,
        "recevoirDonneesViaEDI": False,
        "estMoaUniquement": False,
        "getaMoa": True,
        "estValideurDelegue": False,
        "nonDiffusibleInsee": False,
    }
    info = structure["informationGenerales"]
    assert info["idStructureCPP"] == lyon.pk
    assert info["structurePriveePublique"] == "PUBLIQUE"
    assert info["dateExpirationMotPasseCompteTech"] is None
    assert structure["adressePostaleDuSiege"]["codePostal"] == "69001"

    services = ok(supplier.post(SERVICES, {"idStructure": lyon.pk}))
    codes = [item["codeService"] for item in services["listeServices"]]
    assert codes == ["ACH", "FIN", "OLD"]  # the pseudo-service is not a service
    fin = next(item for item in services["listeServices"] if item["codeService"] == "FIN")
    assert fin["dateDbtService"] == "2017-01-01 00:00"
    assert fin["dateFinService"] == "2050-12-31 00:00"
    old = next(item for item in services["listeServices"] if item["codeService"] == "OLD")
    assert (old["estActif"], old["statutService"]) == (False, "INACTIF")

    service = ok(supplier.post(SERVICE, {"idStructure": lyon.pk, "idService": fin["idService"]}))
    assert service["informationsGenerales"]["codeService"] == "FIN"
    assert service["parametres"]["numeroEngagement"] is True
    assert service["parametres"]["dateFinValidite"] == "2050-12-31 00:00"


def test_the_go_and_php_clients_empty_criteria_filter_nothing(supplier, directory) -> None:
    """Clients send every criterion: blanks, ``false`` and ``null`` are no filter."""
    body = {
        "structure": {
            "adresseCodePays": "",
            "adresseCodePostal": "",
            "adresseVille": "",
            "estMOA": False,
            "estMOAUniquement": False,
            "identifiantStructure": "",
            "libelleStructure": "",
            "nomStructure": "",
            "prenomStructure": "",
            "raisonSocialeStructure": "commune",
            "statutStructure": "",
            "typeIdentifiantStructure": "",
            "typeStructure": "",
        },
        "parametres": {"pageResultatDemandee": 0, "nbResultatsParPage": 0, "triSens": "Ascendant"},
        "restreindreStructuresPrivees": False,
    }
    names = [
        item["designationStructure"] for item in ok(supplier.post(SEARCH, body))["listeStructures"]
    ]
    assert names == ["Commune de Bron", "Commune de Lyon", "Commune Évry-Ville"]
    assert ok(supplier.post(SEARCH, {**body, "parametres": None}))["parametresRetour"]["total"] == 3


def test_search_criteria_name_city_postal_code_status_and_moa(supplier, directory) -> None:
    def names(**criteria: object) -> list[str]:
        body = ok(supplier.post(SEARCH, {"structure": criteria}))
        return [item["designationStructure"] for item in body["listeStructures"]]

    assert names(raisonSocialeStructure="evry") == ["Commune Évry-Ville"]
    assert names(adresseVille="lyon") == ["Commune de Lyon"]
    assert names(adresseCodePostal="69") == ["Commune de Bron", "Commune de Lyon"]
    assert names(adresseCodePostal="69", statutStructure="ACTIF") == ["Commune de Lyon"]
    assert names(adresseCodePostal="69", statutStructure="INACTIF") == ["Commune de Bron"]
    assert names(raisonSocialeStructure="commune", estMOA=True) == ["Commune de Lyon"]
    assert names(raisonSocialeStructure="commune", typeStructure="PRIVEE") == []


def test_search_pages_and_sorts_as_chorus_pro(supplier, directory) -> None:
    body = {
        "structure": {"raisonSocialeStructure": "commune"},
        "parametres": {
            "pageResultatDemandee": 2,
            "nbResultatsParPage": 2,
            "triColonne": "DesignationStructure",
            "triSens": "Descendant",
        },
    }
    answer = ok(supplier.post(SEARCH, body))
    assert [item["designationStructure"] for item in answer["listeStructures"]] == [
        "Commune de Bron"
    ]
    assert answer["parametresRetour"] == {
        "pageCourante": 2,
        "pages": 2,
        "nbResultatsParPage": 2,
        "total": 3,
    }


def test_services_page_and_sort(supplier, directory) -> None:
    lyon = directory["lyon"].structure
    answer = ok(
        supplier.post(
            SERVICES,
            {
                "idStructure": lyon.pk,
                "parametresRechercherServicesStructure": {
                    "nbResultatsParPage": 2,
                    "triColonne": "CodeService",
                    "triSens": "Descendant",
                },
            },
        )
    )
    assert [item["codeService"] for item in answer["listeServices"]] == ["OLD", "FIN"]
    assert answer["parametresRetour"]["total"] == 3
    assert answer["parametresRetour"]["pages"] == 2


def test_search_query_count_does_not_grow_with_the_results(
    supplier, directory, django_assert_num_queries
) -> None:
    body = {"structure": {"raisonSocialeStructure": "commune"}}
    ok(supplier.post(SEARCH, body))  # token fetched, caches warm
    for index in range(10, 30):
        public(f"Commune numero {index}", index)
    # Authentication (token, connection, technical account, membership), the directory
    # (matching ids, the count, one page) and the audit row: whatever the number of matches.
    with django_assert_num_queries(8):
        answer = ok(supplier.post(SEARCH, body))
    assert answer["parametresRetour"]["total"] == 23


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            SEARCH,
            {"structure": {"raisonSocialeStructure": "lyon", "ville": "x"}},
            "structure.ville",
        ),
        (
            SEARCH,
            {"structure": {"statutStructure": "OUVERT", "adresseVille": "x"}},
            "structure.statutStructure",
        ),
        (
            SEARCH,
            {"structure": {"adresseVille": "lyon"}, "parametres": {"triColonne": "Nom"}},
            "parametres.triColonne",
        ),
        (
            SEARCH,
            {"structure": {"adresseVille": "lyon"}, "parametres": {"nbResultatsParPage": "x"}},
            "parametres.nbResultatsParPage",
        ),
        (SEARCH, {"structure": "Lyon"}, "structure"),
        (GET, {}, "idStructureCPP"),
        (GET, {"idStructureCPP": "un"}, "idStructureCPP"),
        (GET, {"idStructureCPP": 2**64}, "idStructureCPP"),
        (SERVICES, {"idStructure": None}, "idStructure"),
        (SERVICE, {"idStructure": 1}, "idService"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(supplier, directory, path, body, field) -> None:
    response = supplier.post(path, body)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["codeErreur"] == "INVALID_FIELDS"
    assert field in [error["champ"] for error in answer["erreurs"]]


@pytest.mark.parametrize(
    "body", [{}, {"structure": None}, {"structure": {"raisonSocialeStructure": "a"}}]
)
def test_no_criterion_finds_nothing_as_in_the_portal(supplier, directory, body) -> None:
    answer = ok(supplier.post(SEARCH, body))
    assert answer["listeStructures"] == []
    assert answer["parametresRetour"]["total"] == 0


def test_malformed_json_is_a_400(supplier) -> None:
    response = supplier.client.post(
        SEARCH, "{not json", content_type="application/json", headers=supplier.headers()
    )
    assert response.status_code == 400
    assert response.json()["codeErreur"] == "MALFORMED_JSON"


@pytest.mark.parametrize("path", [SEARCH, GET, SERVICES, SERVICE])
def test_without_the_directory_scope_every_service_is_a_403(directory, path) -> None:
    caller = cpro_caller(structure_with_principal().structure, scopes=[Scope.DEPOSIT, Scope.READ])
    response = caller.post(path, {"idStructure": directory["lyon"].structure.pk})
    assert response.status_code == 403
    assert response.json()["codeErreur"] == "SCOPE"


@pytest.mark.parametrize("path", [SEARCH, GET, SERVICES, SERVICE])
def test_without_token_or_technical_account_every_service_is_a_401(supplier, path) -> None:
    headers = supplier.headers()
    no_token = Client().post(
        path, {}, content_type="application/json", headers={"cpro-account": headers["cpro-account"]}
    )
    assert no_token.status_code == 401
    assert no_token.json()["codeErreur"] == "TOKEN_INVALID"
    no_account = Client().post(
        path,
        {},
        content_type="application/json",
        headers={"Authorization": headers["Authorization"]},
    )
    assert no_account.status_code == 401
    assert no_account.json()["codeErreur"] == "TECHNICAL_ACCOUNT_MISSING"


def test_another_private_structure_is_unknown_everywhere(supplier, directory) -> None:
    """The directory lists public structures; a private one is not found, as an unknown id."""
    other = structure_with_principal(name="Concurrent SARL").structure
    EntityService.objects.create(structure=other, code="SERVICE_PRIVE_1", name="Ventes")
    other_service = other.services.get()

    found = ok(supplier.post(SEARCH, {"structure": {"identifiantStructure": other.identifier}}))
    assert found["listeStructures"] == []
    assert (
        ok(supplier.post(SEARCH, {"structure": {"raisonSocialeStructure": "concurrent"}}))[
            "listeStructures"
        ]
        == []
    )

    unknown = supplier.post(GET, {"idStructureCPP": other.pk + 10_000}).json()
    assert unknown["libelle"] == "Aucune structure de l'annuaire n'a cet idStructureCPP."
    for path, body in [
        (GET, {"idStructureCPP": other.pk}),
        (SERVICES, {"idStructure": other.pk}),
        (SERVICE, {"idStructure": other.pk, "idService": other_service.pk}),
    ]:
        response = supplier.post(path, body)
        assert response.status_code == 200
        answer = response.json()
        assert (answer["codeRetour"], answer["codeErreur"]) == (9, "NOT_FOUND"), path
        assert set(answer) == set(unknown)
        assert "Concurrent" not in response.content.decode()


def test_a_connection_sees_its_own_private_structure_in_full(supplier) -> None:
    own = supplier.credentials.connection.structure
    found = ok(supplier.post(SEARCH, {"structure": {"identifiantStructure": own.identifier}}))
    assert [item["idStructureCPP"] for item in found["listeStructures"]] == [own.pk]

    info = ok(supplier.post(GET, {"idStructure": own.pk}))["informationGenerales"]
    assert info["structurePriveePublique"] == "PRIVEE"
    assert info["numeroTVA"] == "FR00123456789"
    assert info["dateExpirationMotPasseCompteTech"]


def test_a_public_structure_shows_no_vat_number_to_others(supplier) -> None:
    entity = public("Commune de Vatville", 40)
    entity.structure.vat_number = "FR11200000040"
    entity.structure.save()
    info = ok(supplier.post(GET, {"idStructureCPP": entity.structure.pk}))["informationGenerales"]
    assert info["numeroTVA"] == ""


def test_a_service_of_another_structure_is_not_found(supplier, directory) -> None:
    lyon = directory["lyon"].structure
    evry = directory["evry"].structure
    fin = lyon.services.get(code="FIN")
    answer = supplier.post(SERVICE, {"idStructure": evry.pk, "idService": fin.pk}).json()
    assert answer["codeErreur"] == "NOT_FOUND"
    pseudo = lyon.services.get(code="FACTURES_PUBLIQUES")
    answer = supplier.post(SERVICE, {"idStructure": lyon.pk, "idService": pseudo.pk}).json()
    assert answer["codeErreur"] == "NOT_FOUND"


def test_the_lineage_of_a_structure_whose_identifier_changed(supplier) -> None:
    old = public("Commune ancienne", 50, is_active=False).structure
    new = public("Commune nouvelle", 51).structure
    new.origin = old
    new.save()
    old_info = ok(supplier.post(GET, {"idStructureCPP": old.pk}))["informationGenerales"]
    assert old_info["listeStructureDupliquees"] == [{"structureDupliquee": new.pk}]
    new_info = ok(supplier.post(GET, {"idStructureCPP": new.pk}))["informationGenerales"]
    assert new_info["idStructureOrigine"] == old.pk
