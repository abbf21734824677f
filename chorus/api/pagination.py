"""Chorus Pro's pagination: ``pageResultatDemandee``, ``nbResultatsParPage``, ``triColonne``,
``triSens`` in; ``parametresRetour`` {``pageCourante``, ``pages``, ``nbResultatsParPage``,
``total``} out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_PER_PAGE = 500
DEFAULT_PER_PAGE = 100


# Past this page a list is not browsed but probed: refused by name, before an OFFSET the
# database cannot hold (a page number of 28 digits was a 500).
MAX_PAGE = 1_000_000


class PaginationIn(serializers.Serializer[Any]):
    """Chorus Pro's pagination, read as its clients send it: 0 means the default (the PHP
    client's constructor sends 0). Each list makes its own with :func:`pagination_in`, so
    that its ``triColonne`` values are stated in the description."""

    columns: tuple[str, ...] = ()
    pageResultatDemandee = serializers.IntegerField(
        min_value=0, max_value=MAX_PAGE, required=False, default=1
    )
    nbResultatsParPage = serializers.IntegerField(
        min_value=0, max_value=MAX_PER_PAGE, required=False, default=0
    )
    triSens = serializers.ChoiceField(
        choices=["Ascendant", "Descendant"], required=False, default="Ascendant"
    )


def pagination_in(
    name: str, columns: tuple[str, ...], *, descending: bool = False
) -> type[PaginationIn]:
    """A pagination whose ``triColonne`` is one of ``columns`` (or blank); ``triSens``
    defaults to ``Descendant`` when ``descending`` (newest first), otherwise A→Z."""
    pattern = f"^({'|'.join(columns)})?$"
    allowed = ", ".join(columns)
    sort = serializers.RegexField(
        pattern,
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=allowed,
        error_messages={
            "invalid": _("Unknown sort column; allowed: %(allowed)s.") % {"allowed": allowed}
        },
    )
    direction = serializers.ChoiceField(
        choices=["Ascendant", "Descendant"],
        required=False,
        default="Descendant" if descending else "Ascendant",
    )
    fields = {"columns": columns, "triColonne": sort, "triSens": direction}
    return type(name, (PaginationIn,), fields)


class PaginationOut(serializers.Serializer[Any]):
    pageCourante = serializers.IntegerField()
    pages = serializers.IntegerField()
    nbResultatsParPage = serializers.IntegerField()
    total = serializers.IntegerField()


@dataclass(frozen=True)
class Page:
    rows: Sequence[Any]
    meta: dict[str, int]


def paginate(
    queryset: QuerySet[Any],
    params: Mapping[str, Any] | None,
    *,
    columns: Mapping[str, str],
    default: str,
) -> Page:
    """One page of ``queryset`` ordered by an allowed column (``columns``: API name → field).

    An unknown ``triColonne`` is refused (the field is named), never passed to the ORM.
    """
    params = dict(params or {})
    page = int(params.get("pageResultatDemandee") or 1)
    per_page = int(params.get("nbResultatsParPage") or DEFAULT_PER_PAGE)
    column = params.get("triColonne") or default
    if column not in columns:
        raise serializers.ValidationError(
            {
                "triColonne": _("Unknown sort column %(column)s; allowed: %(allowed)s.")
                % {"column": column, "allowed": ", ".join(sorted(columns))}
            }
        )
    field = columns[column]
    descending = params.get("triSens", "Descendant") != "Ascendant"
    ordered = queryset.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk")
    total = ordered.count()
    pages = max(1, -(-total // per_page))
    start = (page - 1) * per_page
    rows = list(ordered[start : start + per_page])
    meta = {"pageCourante": page, "pages": pages, "nbResultatsParPage": per_page, "total": total}
    return Page(rows=rows, meta=meta)
