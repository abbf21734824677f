"""The qualification data set (« matelas de données », reference §10.1).

Chorus Pro's qualification environment generates, for an integrator, one structure per
parameter combination an integration must handle (service code required, commitment
required, either, both, none), a State recipient, the works parties (MOE, MOA, delegated
validator) and a supplier, each with services and a technical account. ``seed_sandbox``
does the same here, idempotently: the structures, services and connections are found again
on a second run, and only the credentials are new (they are stored hashed, so the only way
to print working ones again is to rotate the secret and reset the password, through the
same services as the portal).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from chorus.accounts.choices import IdentifierType, StructureKind
from chorus.accounts.identifiers import siret_build
from chorus.accounts.models import Structure
from chorus.api.choices import Scope
from chorus.api.models import ApiConnection
from chorus.api.services import (
    api_connection_create,
    api_connection_renew,
    api_connection_rotate_secret,
    api_connection_set_scopes,
    technical_password_reset,
)
from chorus.core.actor import Actor, system_actor
from chorus.core.audit import actor_context
from public_entities.choices import PublicEntityCategory
from public_entities.models import EntityService, PublicEntity

CONNECTION_NAME = "Qualification"


@dataclass(frozen=True)
class SandboxStructure:
    """One structure of the data set; ``public`` ones get a ``PublicEntity`` and services."""

    key: str
    siren8: str
    name: str
    public: bool = True
    category: str = PublicEntityCategory.LOCAL_AUTHORITY
    parameters: dict[str, bool] = field(default_factory=dict)

    @property
    def siret(self) -> str:
        return siret_build(self.siren8)


# SIRENs 99xxxxxx: the INSEE does not allocate them, so they never collide with a real
# structure imported from the directory.
STRUCTURES: tuple[SandboxStructure, ...] = (
    SandboxStructure("FOURNISSEUR", "99000001", "QUALIF Fournisseur", public=False),
    SandboxStructure("DESTINATAIRE", "99000002", "QUALIF Destinataire"),
    SandboxStructure("DESTINATAIRE_2", "99000003", "QUALIF Second destinataire"),
    SandboxStructure(
        "SERVICE_OBLIGATOIRE",
        "99000004",
        "QUALIF Destinataire avec service obligatoire",
        parameters={"service_code_required": True},
    ),
    SandboxStructure(
        "EJ_OBLIGATOIRE",
        "99000005",
        "QUALIF Destinataire avec EJ obligatoire",
        parameters={"commitment_required": True},
    ),
    SandboxStructure(
        "EJ_OU_SERVICE_OBLIGATOIRE",
        "99000006",
        "QUALIF Destinataire avec EJ ou service obligatoire",
        parameters={"service_or_commitment_required": True},
    ),
    SandboxStructure(
        "EJ_ET_SERVICE_OBLIGATOIRES",
        "99000007",
        "QUALIF Destinataire avec EJ et service obligatoires",
        parameters={"service_code_required": True, "commitment_required": True},
    ),
    SandboxStructure("SANS_PARAMETRE", "99000008", "QUALIF Destinataire sans paramètre"),
    SandboxStructure(
        "ETAT", "99000009", "QUALIF Destinataire État", category=PublicEntityCategory.STATE
    ),
    # The project manager (maître d'œuvre) is usually a private firm; the contracting
    # authority (maître d'ouvrage) and the delegated validator are public.
    SandboxStructure("MOE", "99000010", "QUALIF Maîtrise d'œuvre", public=False),
    SandboxStructure("MOA", "99000011", "QUALIF Maîtrise d'ouvrage", parameters={"is_moa": True}),
    SandboxStructure(
        "VALIDATEUR",
        "99000012",
        "QUALIF Valideur délégué",
        parameters={"is_delegated_validator": True},
    ),
)


def _structure(spec: SandboxStructure) -> Structure:
    structure, _created = Structure.objects.get_or_create(
        identifier_type=IdentifierType.SIRET,
        country="FR",
        identifier=spec.siret,
        defaults={
            "kind": StructureKind.PUBLIC if spec.public else StructureKind.PRIVATE,
            "name": spec.name,
            "address_line1": "1 rue de la Qualification",
            "postal_code": "75012",
            "city": "Paris",
            "email": f"qualif-{spec.key.lower()}@sandbox.chorus.invalid",
        },
    )
    return structure


def _public_side(spec: SandboxStructure, structure: Structure) -> list[dict[str, Any]]:
    """Parameters are set on every run (the data set is a reference; drift is repaired)."""
    PublicEntity.objects.update_or_create(
        structure=structure,
        defaults={
            "category": spec.category,
            "commitment_required": False,
            "service_code_required": False,
            "service_or_commitment_required": False,
            "is_moa": False,
            "is_delegated_validator": False,
            **spec.parameters,
        },
    )
    services = []
    for number, commitment_required in ((1, False), (2, True)):
        service, _created = EntityService.objects.update_or_create(
            structure=structure,
            code=f"SERVICE_PUBLIQUE_{number}_{structure.identifier}",
            defaults={
                "name": f"Service {number} — {structure.name}",
                "commitment_required": commitment_required,
                "is_active": True,
            },
        )
        services.append(
            {"code": service.code, "name": service.name, "commitment_required": commitment_required}
        )
    return services


def _credentials(actor: Actor, structure: Structure) -> dict[str, str]:
    """The structure's qualification connection, created once, with fresh credentials."""
    connection = (
        ApiConnection.objects.filter(
            structure=structure, name=CONNECTION_NAME, revoked_at__isnull=True
        )
        .select_related("application", "technical_account")
        .order_by("pk")
        .first()
    )
    if connection is None:
        return api_connection_create(
            actor=actor, structure=structure, name=CONNECTION_NAME, scopes=Scope.values
        ).as_json()
    if not connection.is_active():
        api_connection_renew(actor=actor, structure=structure, connection_id=connection.pk)
    if sorted(connection.scopes) != sorted(Scope.values):
        api_connection_set_scopes(
            actor=actor, structure=structure, connection_id=connection.pk, scopes=Scope.values
        )
    secret = api_connection_rotate_secret(
        actor=actor,
        structure=structure,
        connection_id=connection.pk,
        overlap=datetime.timedelta(0),
    )
    password = technical_password_reset(
        actor=actor, structure=structure, connection_id=connection.pk
    )
    return {
        "client_id": connection.application.client_id,
        "client_secret": secret,
        "login": connection.technical_account.login,
        "password": password,
    }


@transaction.atomic
def sandbox_seed() -> dict[str, Any]:
    """Create or refresh the data set; answer the JSON document ``seed_sandbox`` prints."""
    actor = system_actor("seed_sandbox")
    entries = []
    with actor_context(actor):
        for spec in STRUCTURES:
            structure = _structure(spec)
            services = _public_side(spec, structure) if spec.public else []
            entries.append(
                {
                    "key": spec.key,
                    "siret": structure.identifier,
                    "name": structure.name,
                    "typeStructure": structure.kind,
                    "parameters": _parameters(structure),
                    "services": services,
                    "credentials": _credentials(actor, structure),
                }
            )
    return {
        "token_url": settings.SITE_URL + reverse("api:token"),
        "api_base": settings.SITE_URL + "/cpro/",
        "structures": entries,
    }


def _parameters(structure: Structure) -> dict[str, Any]:
    entity = PublicEntity.objects.filter(structure=structure).first()
    if entity is None:
        return {}
    return {
        "category": entity.category,
        "service_code_required": entity.service_code_required,
        "commitment_required": entity.commitment_required,
        "service_or_commitment_required": entity.service_or_commitment_required,
        "required_references": entity.required_references,
        "is_moa": entity.is_moa,
        "is_delegated_validator": entity.is_delegated_validator,
    }
