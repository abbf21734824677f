"""Chorus Pro's nominal sequences against a live server (real HTTP, real worker, loopback).

The supplier's ERP deposits a UBL flow and follows it until the invoice is made available;
the recipient's ERP finds it and marks it paid — all through ``chorus.api.example_client``,
the same script the documentation gives as the example client. The supplier's webhook
receiver (a plain HTTP server on loopback) gets each status change, signature verified.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from chorus.api import example_client as erp
from chorus.api.testing import cpro_caller
from chorus.core.actor import system_actor
from chorus.testing.celery_worker import running_worker, wait_until
from chorus.webhooks.services import SIGNATURE_HEADER, signature_valid, webhook_endpoint_create
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


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """A webhook receiver on loopback: the address, and each (signature, body) it got."""
    received: list[tuple[str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers[SIGNATURE_HEADER], body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()


def test_deposit_follow_find_and_pay_through_the_api(
    live_server: Any, receiver: tuple[str, list[tuple[str, bytes]]], settings: Any
) -> None:
    supplier = make_structure(identifier=SELLER_SIRET, name="Fournisseur API")
    recipient = make_structure(public=True, identifier=BUYER_SIRET, name="Commune API")
    PublicEntity.objects.create(structure=recipient)
    EntityService.objects.create(structure=recipient, code=SERVICE_CODE, name="Finances")
    settings.DEBUG = True  # a loopback receiver is accepted only in development
    hook_url, received = receiver
    _endpoint, secret = webhook_endpoint_create(
        actor=system_actor("test"), structure=supplier, url=hook_url
    )
    settings.DEBUG = False
    base = str(live_server.url)
    token_url = f"{base}/api/oauth/token"
    supplier_erp = erp.ChorusPro(base, token_url, _account(supplier, ["deposit", "read"]))
    recipient_erp = erp.ChorusPro(base, token_url, _account(recipient, ["read", "process"]))

    with running_worker():
        followed = erp.deposit_and_follow(
            supplier_erp, sample_ubl_invoice(number="API-1"), "api-1.xml"
        )
        paid = erp.pay(recipient_erp, "API-1")

        def told(status: str) -> bool:
            return any(f'"statut": "{status}"'.encode() in body for _sig, body in received)

        assert wait_until(lambda: told("MISE_A_DISPOSITION") and told("MISE_EN_PAIEMENT"), 60)

    assert followed["report"]["etatCourantDepotFlux"] == "IN_INTEGRE"
    assert followed["history"]["statutCourantCode"] == "MISE_A_DISPOSITION"
    assert paid["codeRetour"] == 0
    assert paid["nouveauStatut"] == "MISE_EN_PAIEMENT"
    invoice = Invoice.objects.get(number="API-1")
    assert invoice.pk == followed["invoice_id"]
    assert invoice.status == InvoiceStatus.PAYMENT_SENT

    assert all(signature_valid(secret, signature, body) for signature, body in received)
