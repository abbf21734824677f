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
    pageResultatDemandee = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, required=False, default=1
    )
    nbResultatsParPage = serializers.IntegerField(
        min_value=1, max_value=MAX_PER_PAGE, required=False, default=DEFAULT_PER_PAGE
    )
    triColonne = serializers.CharField(required=False, allow_blank=True, max_length=64)
    triSens = serializers.ChoiceField(
        choices=["Ascendant", "Descendant"], required=False, default="Descendant"
    )


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
