"""Chorus Pro's nominal sequences against a live server (real HTTP, real worker, loopback).

The supplier's ERP deposits a UBL flow and follows it until the invoice is made available;
the recipient's ERP finds it and marks it paid — all through ``chorus.api.example_client``,
the same script the documentation gives as the example client.
"""

from __future__ import annotations

from typing import Any

import pytest

from chorus.api import example_client as erp
from chorus.api.testing import cpro_caller
from chorus.testing.celery_worker import running_worker
from invoices.choices import InvoiceStatus
from invoices.demo import sample_ubl_invoice
from invoices.models import Invoice
from invoices.tests.documents import BUYER_SIRET, SELLER_SIRET, SERVICE_CODE
from invoices.tests.factories import make_structure
from public_entities.models import EntityService, PublicEntity

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.live]


def _account(structure: Any, scopes: list[str]) -> erp.Account:
    credentials = cpro_caller(structure, scopes=scopes).credentials
    return erp.Account(
        credentials.client_id, credentials.client_secret, credentials.login, credentials.password
    )


def test_deposit_follow_find_and_pay_through_the_api(live_server: Any) -> None:
    supplier = make_structure(identifier=SELLER_SIRET, name="Fournisseur API")
    recipient = make_structure(public=True, identifier=BUYER_SIRET, name="Commune API")
    PublicEntity.objects.create(structure=recipient)
    EntityService.objects.create(structure=recipient, code=SERVICE_CODE, name="Finances")
    base = str(live_server.url)
    token_url = f"{base}/api/oauth/token"
    supplier_erp = erp.ChorusPro(base, token_url, _account(supplier, ["deposit", "read"]))
    recipient_erp = erp.ChorusPro(base, token_url, _account(recipient, ["read", "process"]))

    with running_worker():
        followed = erp.deposit_and_follow(
            supplier_erp, sample_ubl_invoice(number="API-1"), "api-1.xml"
        )
        paid = erp.pay(recipient_erp, "API-1")

    assert followed["report"]["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert followed["history"]["statutCourantCode"] == "MISE_A_DISPOSITION"
    assert paid["codeRetour"] == 0
    assert paid["nouveauStatut"] == "MISE_EN_PAIEMENT"
    invoice = Invoice.objects.get(number="API-1")
    assert invoice.pk == followed["invoice_id"]
    assert invoice.status == InvoiceStatus.PAYMENT_SENT
