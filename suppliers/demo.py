"""Demo data: the demo supplier user manages a supplier structure with a bank account."""

from __future__ import annotations

from chorus.accounts.choices import IdentifierType, Role, StructureKind, default_areas
from chorus.accounts.models import Membership, Structure, User
from suppliers.models import BankAccount

DEMO_SUPPLIER_SIRET = "90000001900019"
DEMO_IBAN = "FR7630006000011234567890189"


def demo_supplier(users: dict[str, User]) -> None:
    """Idempotent: run inside ``demo_seed`` (transaction and audit context already open)."""
    user = users.get("supplier")
    if user is None:
        return
    structure, _created = Structure.objects.get_or_create(
        identifier_type=IdentifierType.SIRET,
        country="FR",
        identifier=DEMO_SUPPLIER_SIRET,
        defaults={
            "kind": StructureKind.PRIVATE,
            "name": "Fournitures Démo SARL",
            "address_line1": "12 rue des Exemples",
            "postal_code": "69002",
            "city": "Lyon",
            "email": "contact@fournitures-demo.example",
            "vat_number": "FR25900000019",
        },
    )
    Membership.objects.get_or_create(
        user=user,
        structure=structure,
        defaults={
            "role": Role.PRINCIPAL_MANAGER,
            "areas": default_areas(kind=structure.kind, role=Role.PRINCIPAL_MANAGER),
        },
    )
    BankAccount.objects.get_or_create(
        structure=structure,
        iban=DEMO_IBAN,
        defaults={"label": "Compte principal", "holder": structure.name, "bic": "AGRIFRPPXXX"},
    )
