"""Typed builders for invoices and what they need (structures, services, deposits)."""

from __future__ import annotations

import hashlib
import itertools
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from chorus.accounts.active import SESSION_KEY
from chorus.accounts.choices import IdentifierType, Role, StructureKind
from chorus.accounts.models import Membership, Structure, User
from chorus.accounts.tests.factories import enrol_second_factor, make_user
from chorus.accounts.tests.organisation_factories import valid_siret
from chorus.circuits.triggers import status_guard_ignored
from invoices.choices import DepositMode, InvoiceStatus
from invoices.circuit import INVOICE
from invoices.models import Flow, Invoice, InvoiceLine
from public_entities.models import EntityService, PublicEntity

_counter = itertools.count(1)


def _siret() -> str:
    """A fresh SIRET with a valid check digit (a SIREN starting with 3, unused elsewhere)."""
    return valid_siret(next(_counter), first="3")


def make_structure(*, public: bool = False, **fields: Any) -> Structure:
    defaults: dict[str, Any] = {
        "kind": StructureKind.PUBLIC if public else StructureKind.PRIVATE,
        "identifier_type": IdentifierType.SIRET,
        "identifier": _siret(),
        "country": "FR",
        "name": "Commune de Test" if public else "Fournisseur Test SARL",
        "city": "Lyon",
        "postal_code": "69001",
    }
    defaults.update(fields)
    return Structure.objects.create(**defaults)


def make_recipient(**entity_fields: Any) -> tuple[PublicEntity, EntityService]:
    structure = make_structure(public=True)
    entity = PublicEntity.objects.create(structure=structure, **entity_fields)
    service = EntityService.objects.create(
        structure=structure, code=f"SERV{next(_counter)}", name="Service financier"
    )
    return entity, service


def make_flow(*, structure: Structure, depositor: User | None = None, data: bytes = b"x") -> Flow:
    flow = Flow(
        mode=DepositMode.PORTAL_UPLOAD,
        original_name="facture.xml",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        depositor=depositor or make_user(),
        structure=structure,
    )
    flow.file.save("facture.xml", ContentFile(data), save=False)
    flow.save()
    return flow


def make_invoice(
    *,
    status: InvoiceStatus = InvoiceStatus.MADE_AVAILABLE,
    supplier: Structure | None = None,
    service: EntityService | None = None,
    **fields: Any,
) -> Invoice:
    """An invoice already routed; ``status`` is set at creation (inserts are not transitions)."""
    supplier = supplier or make_structure()
    if service is None:
        _, service = make_recipient()
    flow = make_flow(structure=supplier)
    defaults: dict[str, Any] = {
        "flow": flow,
        "supplier": supplier,
        "recipient": service.structure,
        "service": service,
        "number": f"F-{next(_counter):06d}",
        "fiscal_year": timezone.now().year,
        "issue_date": timezone.now().date(),
        "total_without_vat": Decimal("100.00"),
        "total_vat": Decimal("20.00"),
        "total_with_vat": Decimal("120.00"),
        "amount_due": Decimal("120.00"),
        "status": status,
    }
    defaults.update(fields)
    # Tests start invoices anywhere in the circuit: past the database's initial-status guard.
    with status_guard_ignored(INVOICE):
        return Invoice.objects.create(**defaults)


def make_line(invoice: Invoice, **fields: Any) -> InvoiceLine:
    """A line of ``invoice``: 10 hours at 100 € excl. VAT, standard VAT rate, unless told."""
    defaults: dict[str, Any] = {
        "line_id": str(invoice.lines.count() + 1),
        "description": "Conseil",
        "quantity": Decimal("10.0000"),
        "unit": "HUR",
        "unit_price": Decimal("100.000000"),
        "net_amount": Decimal("1000.00"),
        "vat_category": "S",
        "vat_rate": Decimal("20.00"),
    }
    defaults.update(fields)
    return InvoiceLine.objects.create(invoice=invoice, **defaults)


def login_member(
    client: Client, structure: Structure, *areas: str, user: User | None = None
) -> User:
    """Log ``client`` in as a (new) principal manager of ``structure``, active structure set."""
    user = user or make_user()
    Membership.objects.create(
        user=user, structure=structure, role=Role.PRINCIPAL_MANAGER, areas=list(areas)
    )
    if structure.is_public:
        enrol_second_factor(user)  # members of public structures must have one
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = str(structure.public_id)
    session.save()
    return user
