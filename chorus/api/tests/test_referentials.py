"""``transverses/v1`` referentials, the directory export and the support categories."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from typing import Any

import pytest
from django.test import Client

from chorus.accounts.choices import IdentifierType, StructureKind
from chorus.accounts.tests.organisation_factories import (
    StructureFactory,
    structure_with_principal,
    valid_siret,
)
from chorus.api.choices import Scope
from chorus.api.testing import CproCaller, cpro_caller
from invoices.choices import (
    BillingFramework,
    DepositMode,
    FlowSyntax,
    InvoiceStatus,
    PaymentMode,
)
from public_entities.models import PublicEntity
from public_entities.services.directory import STRUCTURE_COLUMNS, directory_import
from support.models import RequestCategory

pytestmark = pytest.mark.django_db
T = "/cpro/transverses/v1/"
LISTS = {
    "recuperer/devises": "listeDevises",
    "recuperer/pays": "listePays",
    "recuperer/tauxtva": "listeTauxTva",
    "recuperer/motifs/exonerationtva": "listeMotifsExonerationTva",
    "recuperer/modereglements": "listeModePaiement",
    "recuperer/modedepot": "listeModeDepot",
    "recuperer/formatflux": "listeFormatFlux",
    "recuperer/cadrefacturation": "listeCadreFacturation",
    "recuperer/typeidentifiant/structure": "listeTypeIdentifiant",
    "recuperer/etat/typedp": "listeEtatDemandePaiement",
    "recuperer/etats/traitement": "listeStatutsPossiblesPourTraitement",
}
OTHERS = [
    "telecharger/annuaire/destinataire",
    "rechercher/categorieSollicitation",
    "rechercher/sousCategorieSollicitation",
]


@pytest.fixture
def caller() -> CproCaller:
    return cpro_caller(structure_with_principal().structure)


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    assert body["codeRetour"] == 0, body
    return body


def items(caller: CproCaller, path: str, body: dict[str, Any] | None = None) -> list[Any]:
    result: list[Any] = ok(caller.post(T + path, body or {}))[LISTS[path]]
    return result


def test_lists_answer_the_portals_own_tables(caller) -> None:
    def codes(path: str) -> list[str]:
        return [next(iter(item.values())) for item in items(caller, path)]

    assert codes("recuperer/modedepot") == DepositMode.values
    assert codes("recuperer/formatflux") == FlowSyntax.values
    assert codes("recuperer/cadrefacturation") == BillingFramework.values
    assert codes("recuperer/typeidentifiant/structure") == IdentifierType.values
    assert codes("recuperer/etat/typedp") == InvoiceStatus.values
    assert codes("recuperer/modereglements") == [
        "CHEQUE",
        "PRELEVEMENT",
        "VIREMENT",
        "ESPECE",
        "AUTRE",
        "REPORT",
    ]


def test_statuses_a_recipient_may_set_come_from_the_circuit(caller) -> None:
    def targets(current: str) -> list[str]:
        answer = items(caller, "recuperer/etats/traitement", {"statutCourant": current})
        return [item["statutPossiblePourTraitement"] for item in answer]

    assert targets("MISE_A_DISPOSITION")[:2] == ["PRISE_EN_COMPTE_DESTINATAIRE", "SERVICE_FAIT"]
    assert "REJETEE" in targets("SUSPENDUE")
    assert "SERVICE_FAIT" not in targets("MANDATEE")  # processing only goes forward
    assert targets("MISE_EN_PAIEMENT") == []
    assert targets("TECHNIQUE_INCONNU") == []  # a status we do not hold allows nothing


def test_payment_modes_are_labelled_in_french() -> None:
    assert str(PaymentMode.TRANSFER.label) == "Virement"


def test_currencies_countries_in_the_asked_language(caller) -> None:
    currencies = items(caller, "recuperer/devises", {"codeLangue": "FR"})
    assert currencies[0] == {"codeDevise": "EUR", "libelleDevise": "Euro"}
    usd = next(c for c in currencies if c["codeDevise"] == "USD")
    assert usd["libelleDevise"] == "Dollar américain"
    usd_en = next(
        c
        for c in items(caller, "recuperer/devises", {"codeLangue": "EN"})
        if c["codeDevise"] == "USD"
    )
    assert usd_en["libelleDevise"] == "US Dollar"

    countries = items(caller, "recuperer/pays", {"codeLangue": "FR"})
    assert countries[0] == {"codePays": "FR", "libellePays": "France"}
    germany = next(c for c in countries if c["codePays"] == "DE")
    assert germany["libellePays"] == "Allemagne"


def test_vat_rates_and_exemption_reasons(caller) -> None:
    rates = items(caller, "recuperer/tauxtva", {"codeLangue": "FR"})
    assert [rate["codeTauxTva"] for rate in rates] == ["20,00", "10,00", "5,50", "2,10", "0,00"]
    assert rates[2]["valeurTauxTva"] == 5.5
    assert rates[2]["libelleTauxTva"] == "5,5\xa0%"

    reasons = items(caller, "recuperer/motifs/exonerationtva", {"codeLangue": "FR"})
    by_code = {r["codeMotifExonerationTva"]: r["libelleMotifExonerationTva"] for r in reasons}
    assert by_code["VATEX-FR-FRANCHISE"] == "TVA non applicable, art. 293 B du CGI"
    assert by_code["VATEX-EU-132"] == "VATEX-EU-132"  # no text of ours: the code alone


def _public(name: str, index: int, **kwargs: Any) -> PublicEntity:
    structure = StructureFactory.create(
        kind=StructureKind.PUBLIC,
        identifier=valid_siret(index, "2"),
        name=name,
        address_line1="1 PLACE DE LA MAIRIE",
        postal_code="69001",
        city="Lyon",
        is_active=kwargs.pop("is_active", True),
    )
    return PublicEntity.objects.create(structure=structure, **kwargs)


def test_directory_download_is_the_export_in_the_official_columns(caller, tmp_path) -> None:
    lyon = _public("Commune de Lyon", 1, service_code_required=True, is_moa=True)
    _public("Commune de Bron", 2, is_active=False)
    StructureFactory.create(name="Entreprise privée SARL")

    answer = ok(caller.post(T + "telecharger/annuaire/destinataire", {}))
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(answer["fichierResultat"])))
    [name] = archive.namelist()
    text = archive.read(name).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert tuple(rows[0]) == STRUCTURE_COLUMNS
    assert len(rows) == 3  # the public structures, inactive included; never a private one
    assert "privée" not in text
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["TypeIdentifiant"] == "1"
    assert row["Identifiant"] == lyon.structure.identifier
    assert (row["GestionService"], row["EstMOA"], row["StructureActive"]) == (
        "true",
        "true",
        "true",
    )
    assert row["LibellePays"] == "FRANCE"
    bron = dict(zip(rows[0], rows[2], strict=True))
    assert bron["StructureActive"] == "false"

    # The export reads back through the import: once loaded (marked as from the directory),
    # exporting and importing again changes nothing.
    path = tmp_path / "annuaire.zip"
    path.write_bytes(base64.b64decode(answer["fichierResultat"]))
    assert directory_import(structures_path=path, report=_fail).bad_rows == 0
    again = ok(caller.post(T + "telecharger/annuaire/destinataire", {}))["fichierResultat"]
    path.write_bytes(base64.b64decode(again))
    summary = directory_import(structures_path=path, report=_fail)
    assert (summary.structures_unchanged, summary.structures_updated) == (2, 0)


def _fail(label: str, line: int, reason: str) -> None:
    raise AssertionError(f"{label}:{line}: {reason}")


def test_categories_and_subcategories_of_support_requests(caller) -> None:
    answer = ok(caller.post(T + "rechercher/categorieSollicitation", {}))
    categories = answer["listeCategories"]
    codes = [c["codeCategorie"] for c in categories]
    assert codes == list(
        RequestCategory.objects.filter(parent=None, is_active=True)
        .order_by("position", "pk")
        .values_list("code", flat=True)
    )
    account = next(c for c in categories if c["codeCategorie"] == "compte")
    assert account["libelleCategorie"] == "Compte et connexion"
    assert answer["parametresRetour"]["total"] == len(codes)

    page = ok(
        caller.post(
            T + "rechercher/categorieSollicitation",
            {"pagination": {"nbResultatsParPage": 1, "pageResultatDemandee": 2}},
        )
    )
    assert [c["codeCategorie"] for c in page["listeCategories"]] == codes[1:2]

    subs = ok(
        caller.post(
            T + "rechercher/sousCategorieSollicitation",
            {"idTechniqueCategorie": account["idTechniqueCategorie"]},
        )
    )
    [group] = subs["listeSousCategories"]
    assert group["categorie"][0]["codeCategorie"] == "compte"
    assert [sub["code"] for sub in group["ssCategorie"]] == [
        "compte-connexion",
        "compte-email",
        "compte-mfa",
    ]
    english = ok(
        caller.post(
            T + "rechercher/sousCategorieSollicitation",
            {"code": "compte-mfa"},
            **{"Accept-Language": "en"},
        )
    )
    assert english["listeSousCategories"][0]["ssCategorie"][0]["libelle"] == (
        "Two-factor authentication"
    )


def test_an_inactive_category_is_listed_only_when_asked(caller) -> None:
    RequestCategory.objects.filter(code="compte").update(is_active=False)
    active = ok(caller.post(T + "rechercher/categorieSollicitation", {}))["listeCategories"]
    assert "compte" not in [c["codeCategorie"] for c in active]
    inactive = ok(caller.post(T + "rechercher/categorieSollicitation", {"estActif": False}))
    assert [c["codeCategorie"] for c in inactive["listeCategories"]] == ["compte"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("recuperer/devises", {"codeLangue": "DE"}, "codeLangue"),
        ("recuperer/etats/traitement", {}, "statutCourant"),
        ("recuperer/modedepot", {"inconnu": 1}, "inconnu"),
        ("recuperer/cadrefacturation", {"typeDemandePaiement": "X" * 65}, "typeDemandePaiement"),
        (
            "rechercher/categorieSollicitation",
            {"pagination": {"triColonne": "X"}},
            "pagination.triColonne",
        ),
        ("rechercher/categorieSollicitation", {"estActif": "peut-être"}, "estActif"),
        (
            "rechercher/sousCategorieSollicitation",
            {"idTechniqueCategorie": "a"},
            "idTechniqueCategorie",
        ),
        ("telecharger/annuaire/destinataire", {"format": "csv"}, "format"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(caller, path, body, field) -> None:
    response = caller.post(T + path, body)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["codeErreur"] == "INVALID_FIELDS"
    assert field in [error["champ"] for error in answer["erreurs"]]


def test_a_body_that_is_not_json_is_a_400(caller) -> None:
    response = caller.client.post(
        T + "recuperer/pays", "[1,", content_type="application/json", headers=caller.headers()
    )
    assert response.status_code == 400
    assert response.json()["codeErreur"] == "MALFORMED_JSON"


@pytest.mark.parametrize("path", [*LISTS, *OTHERS])
def test_without_the_directory_scope_a_403(path) -> None:
    caller = cpro_caller(structure_with_principal().structure, scopes=[Scope.DEPOSIT])
    response = caller.post(T + path, {})
    assert response.status_code == 403
    assert response.json()["codeErreur"] == "SCOPE"


@pytest.mark.parametrize("path", [*LISTS, *OTHERS])
def test_without_token_or_technical_account_a_401(caller, path) -> None:
    headers = caller.headers()
    for sent, code in (
        ({"cpro-account": headers["cpro-account"]}, "TOKEN_INVALID"),
        ({"Authorization": headers["Authorization"]}, "TECHNICAL_ACCOUNT_MISSING"),
        ({}, "TOKEN_INVALID"),
    ):
        response = Client().post(T + path, {}, content_type="application/json", headers=sent)
        assert response.status_code == 401, (path, sent)
        assert response.json()["codeErreur"] == code


def test_category_search_query_count(caller, django_assert_num_queries) -> None:
    ok(caller.post(T + "rechercher/sousCategorieSollicitation", {}))
    # Authentication (4), the count, one page with the parents joined, the audit row.
    with django_assert_num_queries(7):
        ok(caller.post(T + "rechercher/sousCategorieSollicitation", {}))


@pytest.mark.parametrize(
    "path", ["rechercher/categorieSollicitation", "/cpro/structures/v1/rechercher"]
)
def test_a_page_number_past_any_list_is_refused_by_name_not_a_500(caller, path: str) -> None:
    url = path if path.startswith("/") else T + path
    key = "pagination" if path.startswith("rechercher/cat") else "parametres"
    response = caller.post(url, {key: {"pageResultatDemandee": 5445181993854759222355427328}})

    assert response.status_code == 400
    assert "pageResultatDemandee" in response.json()["erreurs"][0]["champ"]
