"""Reads on public entities: the public directory, services, and recipient checks.

The directory is public data (no login), so its selectors take no actor. Services of a
structure seen by its members go through the membership selectors of ``chorus.accounts``.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.choices import IdentifierType, StructureKind
from chorus.accounts.identifiers import compact, search_normalize
from chorus.accounts.models import Structure
from public_entities.choices import PSEUDO_SERVICE_CODES, RequiredReferences
from public_entities.exceptions import RecipientRefused
from public_entities.models import EntityService, PublicEntity

if TYPE_CHECKING:
    import uuid

    from chorus.accounts.models import Membership

MIN_NAME_QUERY = 2


RESULT_CAP = 1000


@dataclass(frozen=True)
class DirectoryQuery:
    """Search criteria: the portal's form gives the first three, the API all of them.

    ``identifier`` is matched exactly (whatever its type); ``is_moa``/``is_moa_only`` narrow
    to such structures when true (false does not filter); ``active`` ``None`` means active
    and inactive structures alike (the portal's search shows active ones only).
    """

    q: str = ""
    postal_code: str = ""
    city: str = ""
    identifier: str = ""
    identifier_type: str = ""
    kind: str = ""
    country: str = ""
    is_moa: bool = False
    is_moa_only: bool = False
    active: bool | None = True

    @property
    def is_empty(self) -> bool:
        return not (
            self.q.strip() or self.postal_code.strip() or self.city.strip() or self.identifier
        )


def _directory_base(*, include_inactive: bool = False) -> QuerySet[Structure]:
    queryset = Structure.objects.filter(kind=StructureKind.PUBLIC, public_entity__isnull=False)
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset


def _visible(including: Collection[int]) -> Q:
    """The directory's public structures, plus ``including`` (the caller's own structures,
    private ones too: a member sees their own structure in the portal)."""
    visible = Q(kind=StructureKind.PUBLIC)
    if including:
        visible |= Q(pk__in=list(including))
    return visible


def _directory_matches(
    query: DirectoryQuery, including: Collection[int] = ()
) -> QuerySet[Structure] | None:
    """Public structures matching the query, unordered; ``None`` for no criterion.

    ``q`` of 14 digits is a SIRET (exact), of 9 digits a SIREN (its establishments); any
    other text is matched word by word against the name, accents and case ignored (trigram
    index). ``postal_code`` matches by prefix ("75" = Paris), ``city`` by its start.
    """
    if query.is_empty:
        return None
    queryset = Structure.objects.filter(_visible(including))
    if query.active is not None:
        queryset = queryset.filter(is_active=query.active)
    if query.identifier:
        queryset = queryset.filter(identifier=compact(query.identifier))
    if query.identifier_type:
        queryset = queryset.filter(identifier_type=query.identifier_type)
    if query.kind:
        queryset = queryset.filter(kind=query.kind)
    if query.country:
        queryset = queryset.filter(country=query.country.upper())
    if query.is_moa:
        queryset = queryset.filter(public_entity__is_moa=True)
    if query.is_moa_only:
        queryset = queryset.filter(public_entity__is_moa_only=True)
    text = query.q.strip()
    if text:
        digits = compact(text)
        if digits.isdigit() and len(digits) == 14:
            queryset = queryset.filter(identifier_type=IdentifierType.SIRET, identifier=digits)
        elif digits.isdigit() and len(digits) == 9:
            queryset = queryset.filter(identifier__startswith=digits)
        else:
            words = search_normalize(text).split()
            if not words or len("".join(words)) < MIN_NAME_QUERY:
                return None
            condition = Q()
            for word in words:
                condition &= Q(search_name__contains=word)
            queryset = queryset.filter(condition)
    postal_code = compact(query.postal_code)
    if postal_code:
        queryset = queryset.filter(postal_code__startswith=postal_code)
    city = search_normalize(query.city)
    if city:
        queryset = queryset.filter(search_city__startswith=city)
    return queryset


def directory_query_is_searchable(query: DirectoryQuery) -> bool:
    """False for no criterion, or a name too short to search (fewer than two letters)."""
    return _directory_matches(query) is not None


def directory_search(
    *, query: DirectoryQuery, including: Collection[int] = ()
) -> QuerySet[Structure]:
    """Public structures matching the query, by name; at most ``RESULT_CAP + 1`` of them.

    A common word ("commune") matches 20,000 rows: sorting them all by name would cost more
    than the search, and nobody reads past the first pages. The first ``RESULT_CAP + 1``
    matches found are kept and sorted; more than ``RESULT_CAP`` means "refine your search".
    """
    matches = _directory_matches(query, including)
    if matches is None:
        return Structure.objects.none()
    first = matches.order_by().values("pk")[: RESULT_CAP + 1]
    return (
        Structure.objects.filter(pk__in=first)
        .select_related("public_entity")
        .order_by("name", "identifier")
    )


def directory_search_ids(
    *, query: DirectoryQuery, including: Collection[int] = ()
) -> tuple[list[int], bool]:
    """The ids of :func:`directory_search` (at most ``RESULT_CAP``), and whether more matched.

    One query: the portal's pages and the API's ``rechercher`` load their page by these ids.
    """
    ids = list(directory_search(query=query, including=including).values_list("pk", flat=True))
    return ids[:RESULT_CAP], len(ids) > RESULT_CAP


@dataclass(frozen=True)
class DirectoryPage:
    """One page of directory results, with the (capped) total and the services attached."""

    results: list[Structure]
    number: int
    num_pages: int
    count: int
    capped: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def directory_search_page(
    *, query: DirectoryQuery, page: str | int | None, page_size: int = 20
) -> DirectoryPage:
    """A page of :func:`directory_search`, in three queries whatever the number of matches.

    The (at most 1,001) matching ids are read once, sorted by name; the page's structures
    and their services are then loaded by id.
    """
    ids, capped = directory_search_ids(query=query)
    paginator = Paginator(ids, page_size)
    current = paginator.get_page(page)
    page_ids = list(current.object_list)
    by_id = Structure.objects.select_related("public_entity").in_bulk(page_ids)
    # A public structure always has its PublicEntity row (import, admin and demo create both);
    # one that lacks it is left out rather than joined for in every search.
    results = directory_prefetch_services(
        [by_id[pk] for pk in page_ids if pk in by_id and hasattr(by_id[pk], "public_entity")]
    )
    return DirectoryPage(
        results=results,
        number=current.number,
        num_pages=paginator.num_pages,
        count=len(ids),
        capped=capped,
    )


def directory_prefetch_services(structures: Iterable[Structure]) -> list[Structure]:
    """Attach the active, routable services of a page of structures (one query)."""
    items = list(structures)
    services = EntityService.objects.filter(
        structure__in=[s.pk for s in items], is_active=True
    ).exclude(code__in=PSEUDO_SERVICE_CODES)
    by_structure: dict[int, list[EntityService]] = {}
    for service in services.order_by("code"):
        by_structure.setdefault(service.structure_id, []).append(service)
    for structure in items:
        structure.directory_services = by_structure.get(structure.pk, [])  # type: ignore[attr-defined]
    return items


def directory_service_list(*, structure: Structure) -> QuerySet[EntityService]:
    """The services the directory shows for a structure: every real one, inactive ones last."""
    return (
        EntityService.objects.filter(structure=structure)
        .exclude(code__in=PSEUDO_SERVICE_CODES)
        .order_by("-is_active", "code")
    )


def directory_get(*, siret: str) -> Structure:
    """One public structure of the directory (inactive ones too, flagged), or 404."""
    structure = (
        _directory_base(include_inactive=True)
        .filter(identifier_type=IdentifierType.SIRET, identifier=compact(siret))
        .select_related("public_entity")
        .prefetch_related(
            Prefetch(
                "services",
                queryset=EntityService.objects.exclude(code__in=PSEUDO_SERVICE_CODES).order_by(
                    "-is_active", "code"
                ),
            )
        )
        .first()
    )
    if structure is None:
        raise Http404
    return structure


def directory_get_by_id(*, pk: int, including: Collection[int] = ()) -> Structure:
    """A structure by its internal id (the API's ``idStructureCPP``), or 404.

    Visible: the directory's public structures (inactive ones too, as :func:`directory_get`)
    and ``including`` (the caller's own); any other private structure is not found, so its
    existence does not leak.
    """
    visible = Q(kind=StructureKind.PUBLIC, public_entity__isnull=False)
    if including:
        visible |= Q(pk__in=list(including))
    structure = Structure.objects.filter(visible, pk=pk).select_related("public_entity").first()
    if structure is None:
        raise Http404
    return structure


def directory_successor_ids(*, structure: Structure, including: Collection[int] = ()) -> list[int]:
    """Ids of the visible structures copied from this one when its identifier changed."""
    return list(
        Structure.objects.filter(_visible(including), origin=structure)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def directory_service_get(*, structure: Structure, pk: int) -> EntityService:
    """One service of a visible structure (see :func:`directory_service_list`), or 404."""
    service = directory_service_list(structure=structure).filter(pk=pk).first()
    if service is None:
        raise Http404
    return service


def service_list_for_structure(*, membership: Membership) -> QuerySet[EntityService]:
    """Every service of the member's structure (membership checked by the caller's selector)."""
    return EntityService.objects.filter(structure_id=membership.structure_id).order_by(
        "-is_active", "code"
    )


def service_list_visible_to_member(*, membership: Membership) -> QuerySet[EntityService]:
    """Services a member acts for: all of them, unless limited to some (security.md Z6)."""
    services = service_list_for_structure(membership=membership)
    limited = membership.services.all()
    if limited.exists():
        return services.filter(pk__in=limited.values("pk"))
    return services


def service_get_for_member(*, membership: Membership, public_id: uuid.UUID) -> EntityService:
    service = service_list_for_structure(membership=membership).filter(public_id=public_id).first()
    if service is None:
        raise Http404
    return service


def public_entity_get_for_member(*, membership: Membership) -> PublicEntity:
    entity = PublicEntity.objects.filter(structure_id=membership.structure_id).first()
    if entity is None:
        raise Http404
    return entity


@dataclass(frozen=True)
class Recipient:
    structure: Structure
    entity: PublicEntity
    service: EntityService | None


def recipient_resolve(
    *,
    siret: str,
    service_code: str = "",
    commitment_number: str = "",
    on_date: datetime.date | None = None,
) -> Recipient:
    """Check that a public structure (and service) can receive a new document.

    Applies reference §1.3: an inactive structure or service, an unknown service code, or a
    missing service code / commitment number the parameters require all raise
    ``RecipientRefused`` with a stable code. For deposit forms and the invoice pipeline.
    """
    day = on_date or timezone.localdate()
    structure = (
        _directory_base(include_inactive=True)
        .filter(identifier_type=IdentifierType.SIRET, identifier=compact(siret))
        .select_related("public_entity")
        .first()
    )
    if structure is None:
        raise RecipientRefused(
            _("No public structure has this SIRET in the directory."), code="recipient_not_found"
        )
    if not structure.is_active:
        raise RecipientRefused(
            _("This public structure is inactive: it cannot receive new documents."),
            code="recipient_inactive",
        )
    entity = structure.public_entity
    code = service_code.strip()
    service = None
    if code:
        service = EntityService.objects.filter(structure=structure, code=code).first()
        if service is None or code in PSEUDO_SERVICE_CODES:
            raise RecipientRefused(
                _("This service code does not exist for this structure."),
                code="service_not_found",
            )
        if not service.is_open_on(day):
            raise RecipientRefused(
                _("This service is inactive: it cannot receive new documents."),
                code="service_inactive",
            )
    required = entity.required_references
    has_commitment = bool(commitment_number.strip())
    if required in (RequiredReferences.SERVICE, RequiredReferences.SERVICE_AND_COMMITMENT) and (
        service is None
    ):
        raise RecipientRefused(
            _("This structure requires a service code."), code="service_required"
        )
    commitment_needed = required in (
        RequiredReferences.COMMITMENT,
        RequiredReferences.SERVICE_AND_COMMITMENT,
    ) or (service is not None and service.commitment_required)
    if commitment_needed and not has_commitment:
        raise RecipientRefused(
            _("This structure requires a legal commitment number."), code="commitment_required"
        )
    if (
        required == RequiredReferences.SERVICE_OR_COMMITMENT
        and service is None
        and not (has_commitment)
    ):
        raise RecipientRefused(
            _("This structure requires a service code or a legal commitment number."),
            code="service_or_commitment_required",
        )
    return Recipient(structure=structure, entity=entity, service=service)
