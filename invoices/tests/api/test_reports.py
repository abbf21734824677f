"""``consulterCR`` and ``consulterCRDetaille``: a deposit's integration report."""

from __future__ import annotations

from typing import Any

import pytest

from chorus.api.testing import CproCaller, cpro_caller
from invoices.models import Flow
from invoices.services.processing import flow_process
from invoices.tests.api.conftest import CR, CR_DETAILED, DEPOSIT, UBL, flux
from invoices.tests.documents import SELLER_SIRET, ubl_invoice, zip_of
from invoices.tests.factories import make_flow, make_structure

pytestmark = pytest.mark.django_db


def _deposit(caller: CproCaller, data: bytes, name: str = "facture.xml") -> str:
    answer = caller.post(DEPOSIT, flux(data, name=name)).json()
    assert answer["codeRetour"] == 0, answer
    number: str = answer["numeroFluxDepot"]
    return number


def _process(number: str) -> None:
    flow = Flow.objects.get(pk=int(number[3:]))
    flow_process(flow_id=flow.pk)


def test_the_report_follows_the_flow_from_received_to_integrated(caller: CproCaller) -> None:
    number = _deposit(caller, ubl_invoice(number="CR-1"))

    received = caller.post(CR, {"numeroFluxDepot": number, "syntaxeFlux": UBL}).json()
    _process(number)
    integrated = caller.post(CR, {"numeroFluxDepot": number}).json()

    assert received["codeRetour"] == 0
    assert received["etatCourantFlux"] == "IN_RECU"
    assert integrated["etatCourantFlux"] == "IN_INTEGRE"
    assert integrated["numeroFluxDepot"] == number
    assert integrated["nomFichierFlux"] == "facture.xml"
    assert integrated["codeInterfaceFlux"] == UBL
    assert integrated["dateDepotFlux"] == received["dateDepotFlux"]
    assert integrated["dateHeureEtatCourantFlux"] >= received["dateHeureEtatCourantFlux"]


def test_the_detailed_report_of_an_integrated_flow_has_no_error(caller: CproCaller) -> None:
    number = _deposit(caller, ubl_invoice(number="CR-2"))
    _process(number)

    report = caller.post(CR_DETAILED, {"numeroFluxDepot": number}).json()

    assert report["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert report["nomFichier"] == "facture.xml"
    assert report["codeInterfaceDepotFlux"] == UBL
    assert report["nbDocuments"] == 1
    assert report["nbDocumentsIntegres"] == 1
    assert report["listeErreurDP"] == []
    assert report["listeErreurTechnique"] == []


def test_the_detailed_report_names_each_rejected_invoice_and_its_rules(
    caller: CproCaller,
) -> None:
    archive = zip_of(
        {
            "bonne.xml": ubl_invoice(number="CR-OK"),
            "mauvaise.xml": ubl_invoice(number="CR-KO", service_code="INCONNU"),
        }
    )
    number = _deposit(caller, archive, name="lot.zip")
    _process(number)

    report = caller.post(CR_DETAILED, {"numeroFluxDepot": number}).json()

    assert report["etatCourantDepotFlux"] == "IN_INTEGRE_PARTIEL"
    assert report["nbDocuments"] == 2
    assert report["nbDocumentsIntegres"] == 1
    errors = report["listeErreurDP"]
    assert errors
    assert {error["numeroDP"] for error in errors} == {"CR-KO"}
    assert {error["nomFichier"] for error in errors} == {"mauvaise.xml"}
    assert all(error["codeRegle"] and error["libelleErreurDP"] for error in errors)
    assert all(error["identifiantFournisseur"] == SELLER_SIRET for error in errors)
    assert all(error["severite"] == "fatal" for error in errors)


def test_the_detailed_report_speaks_the_callers_language(caller: CproCaller) -> None:
    number = _deposit(caller, ubl_invoice(number="CR-L", service_code="INCONNU"))
    _process(number)

    french = caller.post(CR_DETAILED, {"numeroFluxDepot": number}).json()
    english = caller.post(
        CR_DETAILED, {"numeroFluxDepot": number}, **{"Accept-Language": "en"}
    ).json()

    assert french["etatCourantDepotFlux"] == "IN_REJETE"
    assert french["listeErreurDP"][0]["codeRegle"] == english["listeErreurDP"][0]["codeRegle"]
    assert (
        french["listeErreurDP"][0]["libelleErreurDP"]
        != (english["listeErreurDP"][0]["libelleErreurDP"])
    )


def test_a_duplicate_file_is_a_technical_error_of_the_flow(caller: CproCaller) -> None:
    data = ubl_invoice(number="CR-D")
    first = _deposit(caller, data, name="a.xml")
    _process(first)
    second = _deposit(caller, data, name="b.xml")  # another name: not an idempotent replay
    _process(second)

    report = caller.post(CR_DETAILED, {"numeroFluxDepot": second}).json()

    assert report["etatCourantDepotFlux"] == "IN_REJETE"
    assert [e["codeErreur"] for e in report["listeErreurTechnique"]] == ["CHORUS-DUPLICATE-FILE"]
    assert first in report["listeErreurTechnique"][0]["libelleErreur"]


@pytest.mark.parametrize("path", [CR, CR_DETAILED])
def test_another_structures_flow_is_answered_as_an_unknown_one(
    caller: CproCaller, path: str
) -> None:
    other = cpro_caller(make_structure())
    theirs = _deposit(other, ubl_invoice(number="CR-X"))

    refused = caller.post(path, {"numeroFluxDepot": theirs}).json()
    unknown = caller.post(path, {"numeroFluxDepot": "CHO" + "9" * 22}).json()
    malformed = caller.post(path, {"numeroFluxDepot": "n'importe quoi"}).json()

    for answer in (refused, unknown, malformed):
        assert answer["codeRetour"] == 9
        assert answer["codeErreur"] == "NOT_FOUND"
        assert set(answer) == {"codeRetour", "libelle", "codeErreur"}


@pytest.mark.parametrize("path", [CR, CR_DETAILED])
def test_a_connection_without_the_read_scope_is_refused(
    depositor_only: CproCaller, path: str
) -> None:
    number = _deposit(depositor_only, ubl_invoice(number="CR-S"))

    response = depositor_only.post(path, {"numeroFluxDepot": number})

    assert response.status_code == 403
    assert response.json()["codeErreur"] == "SCOPE"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"numeroFluxDepot": 12, "inconnu": 1},
        {"numeroFluxDepot": "CHO1", "syntaxeFlux": "IN_DP_E1_XCBL"},
    ],
)
def test_invalid_bodies_are_refused(caller: CproCaller, body: dict[str, Any]) -> None:
    response = caller.post(CR_DETAILED, body)

    assert response.status_code == 400
    assert response.json()["codeErreur"] == "INVALID_FIELDS"


def test_the_detailed_report_costs_the_same_queries_whatever_the_flow_holds(
    caller: CproCaller, django_assert_max_num_queries: Any
) -> None:
    small = _deposit(caller, ubl_invoice(number="Q-1"))
    large = _deposit(
        caller,
        zip_of({f"f{i}.xml": ubl_invoice(number=f"Q-L{i}") for i in range(5)}),
        name="lot.zip",
    )
    _process(small)
    _process(large)
    caller.post(CR_DETAILED, {"numeroFluxDepot": small})  # warm the caches (token, account)
    with django_assert_max_num_queries(50) as small_queries:
        caller.post(CR_DETAILED, {"numeroFluxDepot": small})
    with django_assert_max_num_queries(50) as large_queries:
        answer = caller.post(CR_DETAILED, {"numeroFluxDepot": large}).json()

    assert answer["nbDocumentsIntegres"] == 5
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries)
    assert len(small_queries.captured_queries) <= 12


def test_a_flow_deposited_in_the_portal_is_reported_too(caller: CproCaller, supplier) -> None:
    flow = make_flow(structure=supplier)

    report = caller.post(CR, {"numeroFluxDepot": flow.number}).json()

    assert report["etatCourantFlux"] == "IN_RECU"
    assert report["codeInterfaceFlux"] == ""
