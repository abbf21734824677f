"""Demo data: the demo public-entity agent manages a commune with three services."""

from __future__ import annotations

from chorus.accounts.choices import IdentifierType, Role, StructureKind, default_areas
from chorus.accounts.models import Membership, Structure, User
from public_entities.choices import PublicEntityCategory
from public_entities.models import EntityService, PublicEntity

DEMO_ENTITY_SIRET = "20000001600010"
DEMO_SERVICES = (
    ("FINANCES", "Direction des finances", False),
    ("TECHNIQUE", "Services techniques", True),
    ("ECOLES", "Affaires scolaires", False),
)


def demo_public_entity(users: dict[str, User]) -> None:
    """Idempotent: run inside ``demo_seed`` (transaction and audit context already open)."""
    user = users.get("entity_agent")
    if user is None:
        return
    structure, _created = Structure.objects.get_or_create(
        identifier_type=IdentifierType.SIRET,
        country="FR",
        identifier=DEMO_ENTITY_SIRET,
        defaults={
            "kind": StructureKind.PUBLIC,
            "name": "Commune de Démoville",
            "address_line1": "1 place de la Mairie",
            "postal_code": "69100",
            "city": "Démoville",
            "email": "factures@demoville.example",
        },
    )
    PublicEntity.objects.get_or_create(
        structure=structure,
        defaults={
            "category": PublicEntityCategory.LOCAL_AUTHORITY,
            "service_or_commitment_required": True,
        },
    )
    for code, name, commitment_required in DEMO_SERVICES:
        EntityService.objects.get_or_create(
            structure=structure,
            code=code,
            defaults={"name": name, "commitment_required": commitment_required},
        )
    Membership.objects.get_or_create(
        user=user,
        structure=structure,
        defaults={
            "role": Role.PRINCIPAL_MANAGER,
            "areas": default_areas(kind=structure.kind, role=Role.PRINCIPAL_MANAGER),
        },
    )
