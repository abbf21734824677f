"""The parties of the deposit benchmarks (bench_ingest, bench_api): fresh for each run."""

from __future__ import annotations

from chorus.accounts.choices import Area, IdentifierType, Role, StructureKind
from chorus.accounts.identifiers import siret_build
from chorus.accounts.models import Membership, Structure, User
from public_entities.models import EntityService, PublicEntity


def bench_parties(run: str) -> tuple[Structure, Structure, User]:
    """A supplier (with its principal manager) and a public recipient with a service."""
    digits = str(int(run, 16) % 10**7).zfill(7)
    supplier = Structure.objects.create(
        kind=StructureKind.PRIVATE,
        identifier_type=IdentifierType.SIRET,
        identifier=siret_build("7" + digits),
        name=f"Bench supplier {run}",
    )
    buyer = Structure.objects.create(
        kind=StructureKind.PUBLIC,
        identifier_type=IdentifierType.SIRET,
        identifier=siret_build("1" + digits),
        name=f"Bench recipient {run}",
    )
    PublicEntity.objects.create(structure=buyer)
    EntityService.objects.create(structure=buyer, code="SERVICE-42", name="Bench service")
    user = User.objects.create_user(email=f"bench-{run}@bench.invalid", password=None)
    Membership.objects.create(
        user=user, structure=supplier, role=Role.PRINCIPAL_MANAGER, areas=[Area.INVOICES_ISSUED]
    )
    return supplier, buyer, user
