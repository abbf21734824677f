"""``/cpro/structures/v1/``: the directory as Chorus Pro's API answers it (reference §10.2).

Every read goes through the portal's directory selectors (``public_entities.selectors``):
the same search, the same visibility. A connection sees the directory's public structures
and its own structure; any other private structure answers as unknown (``NOT_FOUND``).
``idStructureCPP`` is the structure's internal id, ``idService`` the service's.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema

from chorus.accounts.models import Structure
from chorus.api.authentication import ApiClient
from chorus.api.choices import Scope
from chorus.api.errors import not_found
from chorus.api.pagination import DEFAULT_PER_PAGE, paginate
from chorus.api.schema import ErrorOut
from chorus.api.views import CproView
from public_entities import selectors
from public_entities.api import serializers as s
from public_entities.models import EntityService, PublicEntity

STRUCTURE_COLUMNS = {
    "IdentifiantStructure": "identifier",
    "DesignationStructure": "name",
    "TypeIdentifiantStructure": "identifier_type",
    "Statut": "is_active",
}
SERVICE_COLUMNS = {
    "CodeService": "code",
    "LibelleService": "name",
    "DateDbtService": "start_date",
    "DateFinService": "end_date",
    "EstActif": "is_active",
}


def _or_refusal(out: type[Any]) -> dict[int, Any]:
    """The 200 answer: the service's body, or the refusal envelope (``NOT_FOUND``)."""
    return {
        200: PolymorphicProxySerializer(
            component_name=f"{out.__name__}OrRefusal",
            serializers=[out, ErrorOut],
            resource_type_field_name=None,
        )
    }


def _list_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """Pagination with the list defaults (A→Z) when the client sent none."""
    return {"triSens": "Ascendant", **(params or {})}


def _empty_page(body: dict[str, Any]) -> dict[str, int]:
    params = body.get("parametres") or {}
    return {
        "pageCourante": params.get("pageResultatDemandee") or 1,
        "pages": 1,
        "nbResultatsParPage": params.get("nbResultatsParPage") or DEFAULT_PER_PAGE,
        "total": 0,
    }


def _status(active: bool) -> str:
    return "ACTIF" if active else "INACTIF"


def _minute(value: datetime.date | datetime.datetime | None) -> str | None:
    """Chorus Pro's ``YYYY-MM-DD HH:MM`` (``2050-12-31 00:00``)."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        return f"{value.isoformat()} 00:00"
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _own(client: ApiClient) -> tuple[int, ...]:
    return (client.membership.structure_id,)


def _entity(structure: Structure) -> PublicEntity | None:
    return getattr(structure, "public_entity", None)


def _visible_structure(client: ApiClient, pk: int) -> Structure:
    try:
        return selectors.directory_get_by_id(pk=pk, including=_own(client))
    except Http404:
        raise not_found(_("No structure with this idStructureCPP in the directory.")) from None


def _address(structure: Structure) -> dict[str, str]:
    return {
        "adresse": structure.address_line1,
        "complementAdresse1": structure.address_line2,
        "complementAdresse2": structure.address_line3,
        "codePostal": structure.postal_code,
        "ville": structure.city,
        "pays": structure.country,
        "telephone": structure.phone,
        "indicatifTelephone": "",
        "fax": "",
        "indicatifFax": "",
    }


class StructureSearchView(CproView):
    """``rechercher``: the directory's search (identifier, name, postal code, city…)."""

    scope: ClassVar[str] = Scope.DIRECTORY
    input_serializer = s.StructureSearchIn

    @extend_schema(
        request=s.StructureSearchIn,
        responses=s.StructureSearchOut,
        operation_id="rechercherStructure",
    )
    def post(self, request: Any) -> Any:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        criteria = dict(body.get("structure") or {})
        names = (
            criteria.get(key) or ""
            for key in (
                "raisonSocialeStructure",
                "libelleStructure",
                "nomStructure",
                "prenomStructure",
            )
        )
        status = criteria.get("statutStructure") or ""
        query = selectors.DirectoryQuery(
            q=" ".join(name.strip() for name in names if name.strip()),
            postal_code=criteria.get("adresseCodePostal") or "",
            city=criteria.get("adresseVille") or "",
            identifier=(criteria.get("identifiantStructure") or "").strip(),
            identifier_type=criteria.get("typeIdentifiantStructure") or "",
            kind=criteria.get("typeStructure") or "",
            country=(criteria.get("adresseCodePays") or "").strip(),
            is_moa=bool(criteria.get("estMOA")),
            is_moa_only=bool(criteria.get("estMOAUniquement")),
            active=None if not status else status == "ACTIF",
        )
        if not selectors.directory_query_is_searchable(query):
            # As the portal's search: no criterion (or a name under two letters), no result.
            return {"listeStructures": [], "parametresRetour": _empty_page(body)}
        ids, _capped = selectors.directory_search_ids(query=query, including=_own(client))
        page = paginate(
            Structure.objects.filter(pk__in=ids),
            _list_params(body.get("parametres")),
            columns=STRUCTURE_COLUMNS,
            default="DesignationStructure",
        )
        return {
            "listeStructures": [
                {
                    "idStructureCPP": structure.pk,
                    "identifiantStructure": structure.identifier,
                    "typeIdentifiantStructure": structure.identifier_type,
                    "designationStructure": structure.name,
                    "statut": _status(structure.is_active),
                }
                for structure in page.rows
            ],
            "parametresRetour": page.meta,
        }


class StructureGetView(CproView):
    """``consulter``: a structure, its parameters (what invoices to it must carry), its seat."""

    scope: ClassVar[str] = Scope.DIRECTORY
    input_serializer = s.StructureGetIn

    @extend_schema(
        request=s.StructureGetIn,
        responses=_or_refusal(s.StructureGetOut),
        operation_id="consulterStructure",
    )
    def post(self, request: Any) -> Any:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        structure = _visible_structure(client, body["idStructureCPP"])
        own = structure.pk == client.membership.structure_id
        entity = _entity(structure)
        successors = selectors.directory_successor_ids(structure=structure, including=_own(client))
        return {
            "informationGenerales": {
                "idStructureCPP": structure.pk,
                "identifiantStructure": structure.identifier,
                "typeIdentifiantStructure": structure.identifier_type,
                "libelleStructure": structure.name,
                "raisonSocialeStructure": structure.name,
                "nomStructure": "",
                "prenomStructure": "",
                "emailStructure": structure.email,
                "numeroRcsStructure": "",
                # Only a structure's own members see its VAT number (the directory does not).
                "numeroTVA": structure.vat_number if own else "",
                "structurePriveePublique": structure.kind,
                "estValideurDeleguee": bool(entity and entity.is_delegated_validator),
                "idStructureOrigine": structure.origin_id,
                "listeStructureDupliquees": [{"structureDupliquee": pk} for pk in successors],
                "dateExpirationMotPasseCompteTech": (
                    client.account.password_expires_at.isoformat() if own else None
                ),
            },
            "parametres": {
                "codeServiceDoitEtreRenseigne": bool(entity and entity.service_code_required),
                "numeroEJDoitEtreRenseigne": bool(entity and entity.commitment_required),
                "gestionNumeroEJOuCodeService": bool(
                    entity and entity.service_or_commitment_required
                ),
                "statutMiseEnPaiementNestPasRemonte": bool(
                    entity and not entity.manages_payment_status
                ),
                "connexionEDI": bool(entity and entity.edi_emitter),
                "recevoirDonneesViaEDI": bool(entity and entity.edi_receiver),
                "estMoaUniquement": bool(entity and entity.is_moa_only),
                "getaMoa": bool(entity and entity.is_moa),
                "estValideurDelegue": bool(entity and entity.is_delegated_validator),
                "nonDiffusibleInsee": False,
            },
            "adressePostaleDuSiege": _address(structure),
        }


def _service_item(service: EntityService) -> dict[str, Any]:
    return {
        "idService": service.pk,
        "codeService": service.code,
        "libelleService": service.name,
        "estActif": service.is_active,
        "statutService": _status(service.is_active),
        "dateDbtService": _minute(service.start_date),
        "dateFinService": _minute(service.end_date),
    }


class ServiceSearchView(CproView):
    """``rechercher/services``: the services of a structure, as the directory lists them."""

    scope: ClassVar[str] = Scope.DIRECTORY
    input_serializer = s.ServiceSearchIn

    @extend_schema(
        request=s.ServiceSearchIn,
        responses=_or_refusal(s.ServiceSearchOut),
        operation_id="rechercherServicesStructure",
    )
    def post(self, request: Any) -> Any:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        structure = _visible_structure(client, body["idStructure"])
        page = paginate(
            selectors.directory_service_list(structure=structure),
            _list_params(body.get("parametresRechercherServicesStructure")),
            columns=SERVICE_COLUMNS,
            default="CodeService",
        )
        return {
            "listeServices": [_service_item(service) for service in page.rows],
            "parametresRetour": page.meta,
        }


class ServiceGetView(CproView):
    """``consulter/service``: one service and its parameters (commitment required…)."""

    scope: ClassVar[str] = Scope.DIRECTORY
    input_serializer = s.ServiceGetIn

    @extend_schema(
        request=s.ServiceGetIn,
        responses=_or_refusal(s.ServiceGetOut),
        operation_id="consulterServiceStructure",
    )
    def post(self, request: Any) -> Any:
        return super().post(request)

    def call(self, body: dict[str, Any], client: ApiClient) -> dict[str, Any]:
        structure = _visible_structure(client, body["idStructure"])
        try:
            service = selectors.directory_service_get(structure=structure, pk=body["idService"])
        except Http404:
            raise not_found(_("No service with this idService in this structure.")) from None
        return {
            # Our services have no address of their own: they are reached at the structure's.
            "adressePostale": _address(structure),
            "informationsGenerales": {
                "codeService": service.code,
                "nomService": service.name,
                "descriptionService": service.description,
            },
            "parametres": {
                "dateCreation": _minute(service.created_at),
                "dateDebutValidite": _minute(service.start_date),
                "dateFinValidite": _minute(service.end_date),
                "dateModification": _minute(service.updated_at),
                "miseEnPaiement": service.manages_payment_status,
                "numeroEngagement": service.commitment_required,
            },
        }
