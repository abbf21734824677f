"""Demo invoices: the demo supplier has sent a few invoices to the demo local authority.

Deposited through the real pipeline (stored file, validation, portal rules, routing), so a
newcomer's `make run` shows an inbox, an outbox, a suspended invoice and a timeline.
"""

from __future__ import annotations

from pathlib import Path

from chorus.accounts.models import Structure, User
from chorus.core.actor import Actor
from invoices.choices import DepositMode, InvoiceStatus
from invoices.lifecycle import invoice_transition
from invoices.models import Flow, Invoice
from invoices.services.deposit import flow_receive
from invoices.services.processing import flow_process
from invoices.transitions import Side

SAMPLE = Path(__file__).parent / "tests" / "samples" / "ubl_invoice_minimal.xml"
SAMPLE_SELLER, SAMPLE_BUYER, SAMPLE_VAT = "73282932000074", "11000201100044", "FR44732829320"
DEMO_NUMBERS = ("DEMO-0001", "DEMO-0002", "DEMO-0003")


def demo_invoices(users: dict[str, User]) -> None:
    """Deposit three invoices once; suspend one and mark another as service done."""
    from public_entities.demo import DEMO_ENTITY_SIRET
    from suppliers.demo import DEMO_SUPPLIER_SIRET

    supplier = Structure.objects.filter(identifier=DEMO_SUPPLIER_SIRET).first()
    recipient = Structure.objects.filter(identifier=DEMO_ENTITY_SIRET).first()
    if supplier is None or recipient is None or Flow.objects.filter(structure=supplier).exists():
        return
    template = SAMPLE.read_text("utf-8")
    supplier_actor = Actor(user=users["supplier"])
    for number in DEMO_NUMBERS:
        document = (
            template.replace("F-2025-0001", number)
            .replace(SAMPLE_SELLER, supplier.identifier)
            .replace(SAMPLE_BUYER, recipient.identifier)
            .replace(SAMPLE_VAT, supplier.vat_number or SAMPLE_VAT)
            .replace("SERVICE-42", "FINANCES")
        )
        flow = flow_receive(
            actor=supplier_actor,
            structure=supplier,
            mode=DepositMode.PORTAL_UPLOAD,
            name=f"{number}.xml",
            content=document.encode("utf-8"),
        )
        flow_process(flow_id=flow.pk)
    agent = Actor(user=users["entity_agent"])
    invoices = {i.number: i for i in Invoice.objects.filter(supplier=supplier)}
    if "DEMO-0002" in invoices:
        invoice_transition(
            invoice_id=invoices["DEMO-0002"].pk,
            to=InvoiceStatus.SUSPENDED,
            actor=agent,
            side=Side.RECIPIENT,
            reason_code="JUSTIF_ABS",
            comment="Merci de joindre le bon de livraison signé.",
        )
    if "DEMO-0003" in invoices:
        invoice_transition(
            invoice_id=invoices["DEMO-0003"].pk,
            to=InvoiceStatus.SERVICE_DONE,
            actor=agent,
            side=Side.RECIPIENT,
        )
