"""Demo invoices: the demo supplier has sent a few invoices to the demo local authority.

Deposited through the real pipeline (stored file, validation, portal rules, routing), so a
newcomer's `make run` shows an inbox, an outbox, a suspended invoice and a timeline.
"""

from __future__ import annotations

from pathlib import Path

from chorus.accounts.models import Structure, User
from chorus.circuits.roles import Role
from chorus.core.actor import Actor
from invoices.choices import DepositMode, InvoiceStatus
from invoices.lifecycle import invoice_transition
from invoices.models import Flow, Invoice
from invoices.services.deposit import flow_receive
from invoices.services.processing import flow_process

SAMPLE = Path(__file__).parent / "tests" / "samples" / "ubl_invoice_minimal.xml"
SAMPLE_NUMBER, SAMPLE_SELLER, SAMPLE_BUYER = "F-2025-0001", "73282932000074", "11000201100044"
SAMPLE_VAT, SAMPLE_SERVICE, SAMPLE_COMMITMENT = "FR44732829320", "SERVICE-42", "EJ-1234567890"
DEMO_NUMBERS = ("DEMO-0001", "DEMO-0002", "DEMO-0003")


def sample_ubl_invoice(
    *,
    number: str = SAMPLE_NUMBER,
    seller: str = SAMPLE_SELLER,
    buyer: str = SAMPLE_BUYER,
    seller_vat: str = SAMPLE_VAT,
    service_code: str = SAMPLE_SERVICE,
    commitment: str = SAMPLE_COMMITMENT,
    framework: str = "A1",
) -> bytes:
    """A valid EN 16931 UBL invoice of 1,200 € incl. VAT between the given parties.

    Demo data, the ingest benchmark and the tests all build their invoices here; an empty
    service code or commitment leaves the element out.
    """
    text = (
        SAMPLE.read_text("utf-8")
        .replace(SAMPLE_NUMBER, number)
        .replace(SAMPLE_SELLER, seller)
        .replace(SAMPLE_BUYER, buyer)
        .replace(SAMPLE_VAT, seller_vat)
        .replace("<cbc:ProfileID>A1<", f"<cbc:ProfileID>{framework}<")
    )
    if service_code:
        text = text.replace(SAMPLE_SERVICE, service_code)
    else:
        text = text.replace(f"<cbc:BuyerReference>{SAMPLE_SERVICE}</cbc:BuyerReference>", "")
    if commitment:
        text = text.replace(SAMPLE_COMMITMENT, commitment)
    else:
        order = (
            f"<cac:OrderReference>\n    <cbc:ID>{SAMPLE_COMMITMENT}</cbc:ID>\n"
            "  </cac:OrderReference>"
        )
        text = text.replace(order, "")
    return text.encode("utf-8")


def demo_invoices(users: dict[str, User]) -> None:
    """Deposit three invoices once; suspend one and mark another as service done."""
    from public_entities.demo import DEMO_ENTITY_SIRET
    from suppliers.demo import DEMO_SUPPLIER_SIRET

    supplier = Structure.objects.filter(identifier=DEMO_SUPPLIER_SIRET).first()
    recipient = Structure.objects.filter(identifier=DEMO_ENTITY_SIRET).first()
    if supplier is None or recipient is None or Flow.objects.filter(structure=supplier).exists():
        return
    supplier_actor = Actor(user=users["supplier"])
    for number in DEMO_NUMBERS:
        flow = flow_receive(
            actor=supplier_actor,
            structure=supplier,
            mode=DepositMode.PORTAL_UPLOAD,
            name=f"{number}.xml",
            content=sample_ubl_invoice(
                number=number,
                seller=supplier.identifier,
                buyer=recipient.identifier,
                seller_vat=supplier.vat_number or SAMPLE_VAT,
                service_code="FINANCES",
            ),
        )
        flow_process(flow_id=flow.pk)
    agent = Actor(user=users["entity_agent"])
    invoices = {i.number: i for i in Invoice.objects.filter(supplier=supplier)}
    if "DEMO-0002" in invoices:
        invoice_transition(
            invoice_id=invoices["DEMO-0002"].pk,
            to=InvoiceStatus.SUSPENDED,
            actor=agent,
            role=Role.RECIPIENT,
            reason_code="JUSTIF_ABS",
            comment="Merci de joindre le bon de livraison signé.",
        )
    if "DEMO-0003" in invoices:
        invoice_transition(
            invoice_id=invoices["DEMO-0003"].pk,
            to=InvoiceStatus.SERVICE_DONE,
            actor=agent,
            role=Role.RECIPIENT,
        )
