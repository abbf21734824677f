"""``POST /cpro/factures/v1/deposer/flux``: the portal's deposit, through the API."""

from __future__ import annotations

import base64
import datetime
import threading
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from chorus.accounts.models import Structure, User
from chorus.api.testing import CproCaller, cpro_caller
from chorus.core.actor import Actor
from invoices.choices import DepositMode, FlowStatus, FlowSyntax
from invoices.models import Flow, Invoice
from invoices.services.deposit import flow_receive_once
from invoices.services.processing import flow_process
from invoices.tests.api.conftest import DEPOSIT, UBL, flux
from invoices.tests.documents import ubl_invoice, zip_of
from invoices.tests.factories import make_structure

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_a_ubl_flow_is_received_as_the_technical_account_and_integrated(
    caller: CproCaller, supplier: Structure
) -> None:
    response = caller.post(DEPOSIT, flux(ubl_invoice(number="API-1")))

    body = response.json()
    assert response.status_code == 200
    assert body["codeRetour"] == 0
    assert body["numeroFluxDepot"].startswith("CHO")
    assert body["dateDepot"] == timezone.localdate().isoformat()
    assert body["syntaxeFlux"] == UBL
    flow = Flow.objects.get()
    assert flow.number == body["numeroFluxDepot"]
    assert flow.mode == DepositMode.API_UPLOAD
    assert flow.syntax == FlowSyntax.UBL
    assert flow.depositor.email.startswith("tech_")
    assert flow.structure == supplier
    processed = flow_process(flow_id=flow.pk)
    assert processed is not None
    assert processed.status == FlowStatus.INTEGRATED
    assert Invoice.objects.filter(number="API-1", flow=flow).exists()


def test_a_cii_file_is_accepted_under_both_cii_codes(caller: CproCaller) -> None:
    data = (SAMPLES / "cii_invoice_minimal.xml").read_bytes()
    for index, code in enumerate(("IN_DP_E1_CII_16B", "IN_DP_E1_CII")):
        response = caller.post(DEPOSIT, flux(data, name=f"cii-{index}.xml", syntaxe=code))
        assert response.json()["codeRetour"] == 0, response.json()
    assert set(Flow.objects.values_list("syntax", flat=True)) == {FlowSyntax.CII}


def test_an_archive_of_ubl_invoices_is_one_flow(caller: CproCaller) -> None:
    archive = zip_of({"a.xml": ubl_invoice(number="Z-1"), "b.xml": ubl_invoice(number="Z-2")})

    response = caller.post(DEPOSIT, flux(archive, name="lot.zip"))

    assert response.json()["codeRetour"] == 0
    assert Flow.objects.count() == 1


@pytest.mark.parametrize(
    ("fichier", "champ"),
    [
        ("pas du base64 !", "fichierFlux"),
        ("QUJD=", "fichierFlux"),  # bad padding
        ("", "fichierFlux"),
        ("   ", "fichierFlux"),
        (12, "fichierFlux"),
    ],
)
def test_a_file_that_is_not_base64_or_empty_is_refused(
    caller: CproCaller, fichier: object, champ: str
) -> None:
    body = flux(b"x")
    body["fichierFlux"] = fichier

    response = caller.post(DEPOSIT, body)

    assert response.status_code == 400
    assert response.json()["codeErreur"] == "INVALID_FIELDS"
    assert response.json()["erreurs"][0]["champ"] == champ
    assert not Flow.objects.exists()


def test_wrapped_base64_is_accepted(caller: CproCaller) -> None:
    encoded = base64.encodebytes(ubl_invoice(number="WRAP-1")).decode()  # 76-column lines
    body = flux(b"")
    body["fichierFlux"] = encoded

    assert caller.post(DEPOSIT, body).json()["codeRetour"] == 0


@pytest.mark.parametrize(
    ("data", "name", "syntaxe"),
    [
        (ubl_invoice(number="M-1"), "facture.xml", "IN_DP_E1_CII_16B"),
        ((SAMPLES / "cii_invoice_minimal.xml").read_bytes(), "facture.xml", UBL),
        (b"%PDF-1.7\n%%EOF\n", "facture.pdf", "IN_DP_E2_CII_FACTURX"),
        (b"not an invoice at all", "facture.xml", UBL),
        (zip_of({"a.xml": ubl_invoice(number="M-2"), "b.txt": b"hello"}), "lot.zip", UBL),
    ],
)
def test_a_syntaxe_flux_that_does_not_match_the_file_is_refused(
    caller: CproCaller, data: bytes, name: str, syntaxe: str
) -> None:
    response = caller.post(DEPOSIT, flux(data, name=name, syntaxe=syntaxe))

    assert response.status_code == 200
    assert response.json()["codeRetour"] == 1
    assert response.json()["codeErreur"] == "SYNTAX_MISMATCH"
    assert not Flow.objects.exists()


@pytest.mark.parametrize(
    ("change", "champ"),
    [
        ({"syntaxeFlux": "IN_DP_E1_XCBL"}, "syntaxeFlux"),
        ({"syntaxeFlux": "IN_DP_E1_FACTURX"}, "syntaxeFlux"),
        ({"nomFichier": ""}, "nomFichier"),
        ({"avecSignature": "peut-être"}, "avecSignature"),
        ({"fichierFlu": "eA=="}, "fichierFlu"),
    ],
)
def test_invalid_fields_are_refused_before_anything_is_stored(
    caller: CproCaller, change: dict[str, object], champ: str
) -> None:
    body = {**flux(ubl_invoice(number="F-1")), **change}

    response = caller.post(DEPOSIT, body)

    assert response.status_code == 400
    assert champ in {error["champ"] for error in response.json()["erreurs"]}
    assert not Flow.objects.exists()


@pytest.mark.parametrize(
    "name", ["../../etc/facture.xml", "dossier\\facture.xml", "fac\u200bture.xml"]
)
def test_a_file_name_with_a_folder_or_control_character_is_refused(
    caller: CproCaller, name: str
) -> None:
    response = caller.post(DEPOSIT, flux(ubl_invoice(number="N-1"), name=name))

    assert response.status_code == 200
    assert response.json()["codeRetour"] == 1
    assert response.json()["codeErreur"] in {"FILE_NAME_PATH", "FILE_NAME_CONTROL"}
    assert not Flow.objects.exists()


def test_malformed_json_is_refused(caller: CproCaller) -> None:
    response = caller.client.post(
        DEPOSIT, "{not json", content_type="application/json", headers=caller.headers()
    )

    assert response.status_code == 400
    assert response.json()["codeErreur"] == "MALFORMED_JSON"
    assert not Flow.objects.exists()


def test_a_connection_without_the_deposit_scope_is_refused(reader_only: CproCaller) -> None:
    response = reader_only.post(DEPOSIT, flux(ubl_invoice(number="S-1")))

    assert response.status_code == 403
    assert response.json()["codeErreur"] == "SCOPE"
    assert not Flow.objects.exists()


def test_an_inactive_structure_cannot_call(caller: CproCaller, supplier: Structure) -> None:
    caller.fetch_token()
    Structure.objects.filter(pk=supplier.pk).update(is_active=False)

    response = caller.post(DEPOSIT, flux(ubl_invoice(number="I-1")))

    assert response.status_code == 401
    assert not Flow.objects.exists()


# --- Idempotency (issue 12 item 6) ---------------------------------------------------------


def test_the_same_bytes_and_name_again_answer_the_first_flow(caller: CproCaller) -> None:
    body = flux(ubl_invoice(number="ID-1"))

    first = caller.post(DEPOSIT, body)
    again = caller.post(DEPOSIT, body)

    assert again.json()["codeRetour"] == 0
    assert again.json()["numeroFluxDepot"] == first.json()["numeroFluxDepot"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert Flow.objects.count() == 1


def test_the_same_bytes_under_another_name_make_a_second_flow(caller: CproCaller) -> None:
    data = ubl_invoice(number="ID-2")

    first = caller.post(DEPOSIT, flux(data, name="a.xml")).json()["numeroFluxDepot"]
    second = caller.post(DEPOSIT, flux(data, name="b.xml")).json()["numeroFluxDepot"]

    assert first != second  # processing then rejects the second as a duplicate file
    assert Flow.objects.count() == 2


def test_after_24_hours_the_same_deposit_is_a_new_flow(caller: CproCaller) -> None:
    body = flux(ubl_invoice(number="ID-3"))
    first = caller.post(DEPOSIT, body).json()["numeroFluxDepot"]

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=24, minutes=1)):
        caller.token = ""  # the first token has expired by then
        later = caller.post(DEPOSIT, body).json()["numeroFluxDepot"]

    assert later != first
    assert Flow.objects.count() == 2


def test_a_rejected_flow_may_be_sent_again(caller: CproCaller) -> None:
    body = flux(ubl_invoice(number="ID-4", service_code="INCONNU"))
    first = caller.post(DEPOSIT, body).json()["numeroFluxDepot"]
    processed = flow_process(flow_id=Flow.objects.get().pk)
    assert processed is not None
    assert processed.status == FlowStatus.REJECTED

    again = caller.post(DEPOSIT, body).json()["numeroFluxDepot"]

    assert again != first


def test_the_same_idempotency_key_answers_the_first_flow(caller: CproCaller) -> None:
    body = flux(ubl_invoice(number="ID-5"))

    first = caller.post(DEPOSIT, body, **{"Idempotency-Key": "erp-42"})
    again = caller.post(DEPOSIT, body, **{"Idempotency-Key": "erp-42"})

    assert again.json()["numeroFluxDepot"] == first.json()["numeroFluxDepot"]
    assert Flow.objects.count() == 1


def test_an_idempotency_key_reused_for_other_bytes_is_refused(caller: CproCaller) -> None:
    caller.post(DEPOSIT, flux(ubl_invoice(number="ID-6")), **{"Idempotency-Key": "k-1"})

    other = caller.post(DEPOSIT, flux(ubl_invoice(number="ID-7")), **{"Idempotency-Key": "k-1"})

    assert other.status_code == 200
    assert other.json()["codeRetour"] == 1
    assert other.json()["codeErreur"] == "IDEMPOTENCY_KEY_REUSED"
    assert Flow.objects.count() == 1


@pytest.mark.parametrize("key", ["", "a" * 256, "avec espace", "clé"])
def test_an_invalid_idempotency_key_is_refused(caller: CproCaller, key: str) -> None:
    response = caller.post(DEPOSIT, flux(ubl_invoice(number="ID-8")), **{"Idempotency-Key": key})

    assert response.status_code == 400
    assert response.json()["erreurs"][0]["champ"] == "Idempotency-Key"
    assert not Flow.objects.exists()


def test_another_structure_depositing_the_same_file_gets_its_own_flow(
    caller: CproCaller,
) -> None:
    other = cpro_caller(make_structure())
    body = flux(ubl_invoice(number="ID-9"))

    mine = caller.post(DEPOSIT, body).json()["numeroFluxDepot"]
    theirs = other.post(DEPOSIT, body).json()["numeroFluxDepot"]

    assert mine != theirs
    assert Flow.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_deposits_make_one_flow(supplier: Structure) -> None:
    cpro_caller(supplier)
    user = User.objects.get(email__startswith="tech_")
    data = ubl_invoice(number="RACE-1")
    barrier = threading.Barrier(2)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def deposit() -> None:
        try:
            barrier.wait(timeout=10)
            receipt = flow_receive_once(
                actor=Actor(user=user),
                structure=supplier,
                mode=DepositMode.API_UPLOAD,
                name="course.xml",
                content=data,
            )
            numbers.append(receipt.flow.number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deposit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    assert len(numbers) == 2
    assert numbers[0] == numbers[1]
    assert Flow.objects.filter(structure=supplier).count() == 1


def test_a_flow_larger_than_the_portals_form_limit_is_received(caller: CproCaller) -> None:
    """Bodies over Django's 5 MB form limit are read within the API's own (170 MB)."""
    padding = b"<!--" + b"x" * (6 * 1024 * 1024) + b"-->"
    data = ubl_invoice(number="BIG-1").replace(b"?>", b"?>" + padding, 1)

    response = caller.post(DEPOSIT, flux(data, name="gros.xml"))

    assert response.status_code == 200
    assert response.json()["codeRetour"] == 0, response.json()
    assert Flow.objects.get().size == len(data)
