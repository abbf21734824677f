"""An integration as an ERP writes it for Chorus Pro, pointed at this portal by two URLs.

It walks Chorus Pro's nominal sequences (reference §10.3) with plain ``requests``:

1. a token (client credentials) from ``--token-url``;
2. ``deposerFluxFacture`` (a UBL file), then ``consulterCRDetaille`` until the flow is
   integrated;
3. ``rechercherFactureParFournisseur`` by ``numeroFluxDepot`` for the invoice's id, then
   ``consulterHistoriqueFacture`` until the invoice is ``MISE_A_DISPOSITION``;
4. as the recipient's technical account: ``rechercherFactureParRecipiendaire``, then
   ``traiterFactureRecue`` to ``MISE_EN_PAIEMENT``.

Run by hand against a running portal (``make run``, then ``manage.py seed_sandbox`` or
``manage.py api_client_create`` for the credentials)::

    python -m chorus.api.example_client --api http://127.0.0.1:8000 \\
        --token-url http://127.0.0.1:8000/api/oauth/token \\
        --supplier CLIENT_ID:CLIENT_SECRET:LOGIN:PASSWORD \\
        --recipient CLIENT_ID:CLIENT_SECRET:LOGIN:PASSWORD --invoice facture.xml

The live test (tests/e2e/test_api_nominal.py) runs the same functions.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests


@dataclass
class Account:
    """One API connection: the OAuth client and its technical account."""

    client_id: str
    client_secret: str
    login: str
    password: str

    @classmethod
    def parse(cls, text: str) -> Account:
        client_id, client_secret, login, password = text.split(":", 3)
        return cls(client_id, client_secret, login, password)


@dataclass
class ChorusPro:
    """A minimal Chorus Pro client: the token, the two headers, POST JSON."""

    api: str
    token_url: str
    account: Account
    session: requests.Session = field(default_factory=requests.Session)
    token: str = ""
    token_expires: float = 0.0

    def _token(self) -> str:
        # Refresh with a margin, as integrations do (OCA uses 240 s).
        if not self.token or time.monotonic() > self.token_expires - 240:
            response = self.session.post(
                self.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.account.client_id,
                    "client_secret": self.account.client_secret,
                    "scope": "openid",
                },
                timeout=30,
            )
            response.raise_for_status()
            answer = response.json()
            self.token = answer["access_token"]
            self.token_expires = time.monotonic() + int(answer["expires_in"])
        return self.token

    def call(self, service: str, body: dict[str, Any]) -> dict[str, Any]:
        pair = f"{self.account.login}:{self.account.password}".encode()
        response = self.session.post(
            f"{self.api.rstrip('/')}/cpro/{service}",
            data=json.dumps(body),
            headers={
                "Authorization": f"Bearer {self._token()}",
                "cpro-account": base64.b64encode(pair).decode(),
                "Content-Type": "application/json;charset=utf-8",
            },
            timeout=120,
        )
        answer: dict[str, Any] = response.json()
        if response.status_code != 200 or answer.get("codeRetour") != 0:
            raise RuntimeError(f"{service}: HTTP {response.status_code} {answer}")
        return answer


def poll(what: str, check: Any, timeout: float = 120.0, every: float = 0.5) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: still waiting after {timeout:.0f} s")
        time.sleep(every)


def deposit_and_follow(supplier: ChorusPro, invoice: bytes, name: str) -> dict[str, Any]:
    """Deposit a UBL flow and follow it until the invoice is made available."""
    deposit = supplier.call(
        "factures/v1/deposer/flux",
        {
            "fichierFlux": base64.b64encode(invoice).decode(),
            "nomFichier": name,
            "syntaxeFlux": "IN_DP_E1_UBL_INVOICE",
            "avecSignature": False,
        },
    )
    flow = deposit["numeroFluxDepot"]

    def integrated() -> dict[str, Any] | None:
        report = supplier.call(
            "transverses/v1/consulterCRDetaille",
            {"numeroFluxDepot": flow, "syntaxeFlux": "IN_DP_E1_UBL_INVOICE"},
        )
        state = report.get("etatCourantDepotFlux")
        if state in ("IN_REJETE", "IN_INCIDENTE"):
            raise RuntimeError(f"flow {flow} refused: {report}")
        return report if state in ("IN_INTEGRE", "IN_INTEGRE_PARTIEL") else None

    report = poll(f"flow {flow} integrated", integrated)
    found = supplier.call("factures/v1/rechercher/fournisseur", {"numeroFluxDepot": flow})
    invoice_id = found["listeFactures"][0]["identifiantFactureCPP"]

    def available() -> dict[str, Any] | None:
        history = supplier.call("factures/v1/consulter/historique", {"idFacture": invoice_id})
        return history if history.get("statutCourantCode") == "MISE_A_DISPOSITION" else None

    history = poll(f"invoice {invoice_id} made available", available)
    return {"flow": flow, "report": report, "invoice_id": invoice_id, "history": history}


def pay(recipient: ChorusPro, invoice_number: str) -> dict[str, Any]:
    """The recipient finds the invoice and marks it paid (``MISE_EN_PAIEMENT``)."""
    found = recipient.call(
        "factures/v1/rechercher/recipiendaire", {"numeroFacture": invoice_number}
    )
    invoice_id = found["listeFactures"][0]["identifiantFactureCPP"]
    return recipient.call(
        "factures/v1/traiter/recue",
        {"idFacture": invoice_id, "nouveauStatut": "MISE_EN_PAIEMENT"},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", required=True, help="API base (Chorus Pro: api.piste.gouv.fr)")
    parser.add_argument("--token-url", required=True)
    parser.add_argument("--supplier", required=True, help="CLIENT_ID:SECRET:LOGIN:PASSWORD")
    parser.add_argument("--recipient", required=True, help="CLIENT_ID:SECRET:LOGIN:PASSWORD")
    parser.add_argument("--invoice", required=True, type=Path, help="a UBL invoice file")
    parser.add_argument("--number", required=True, help="the invoice number (BT-1) in it")
    args = parser.parse_args(argv)
    supplier = ChorusPro(args.api, args.token_url, Account.parse(args.supplier))
    recipient = ChorusPro(args.api, args.token_url, Account.parse(args.recipient))
    followed = deposit_and_follow(supplier, args.invoice.read_bytes(), args.invoice.name)
    sys.stdout.write(json.dumps({"flow": followed["flow"], "invoice": followed["invoice_id"]}))
    sys.stdout.write("\n")
    paid = pay(recipient, args.number)
    sys.stdout.write(json.dumps({"paid": paid.get("idFacture")}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
