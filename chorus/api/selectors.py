"""Reads on API connections and the call log, always scoped to one structure.

The portal views reach a structure through ``chorus.accounts.selectors`` first (404 for a
structure the user is not a member of); these selectors then only ever look inside it, so a
connection or a call of another structure is "not found", never shown.
"""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from chorus.accounts.models import Structure
from chorus.api.models import ApiCall, ApiConnection

# Outcomes a manager filters the call log by (the API's own classes of answer, docs/api.md).
OUTCOME_SUCCESS = "success"
OUTCOME_REFUSED = "refused"
OUTCOME_ERROR = "error"
OUTCOMES = (OUTCOME_SUCCESS, OUTCOME_REFUSED, OUTCOME_ERROR)


def api_connection_list_for_structure(*, structure: Structure) -> QuerySet[ApiConnection]:
    return (
        ApiConnection.objects.filter(structure=structure)
        .select_related("application", "technical_account")
        .order_by("revoked_at", "-created_at")
    )


def api_connection_get_for_structure(
    *, structure: Structure, public_id: str | uuid.UUID
) -> ApiConnection:
    """The structure's connection, or 404 (another structure's is not found either)."""
    connection = (
        api_connection_list_for_structure(structure=structure).filter(public_id=public_id).first()
    )
    if connection is None:
        raise Http404
    return connection


def api_call_list_for_structure(
    *,
    structure: Structure,
    outcome: str = "",
    connection: ApiConnection | None = None,
) -> QuerySet[ApiCall]:
    """The structure's calls, newest first; ``outcome`` one of :data:`OUTCOMES` or empty."""
    calls = ApiCall.objects.filter(structure=structure)
    if connection is not None:
        calls = calls.filter(connection=connection)
    if outcome == OUTCOME_SUCCESS:
        calls = calls.filter(status_code__lt=400).filter(Q(code_retour=0) | Q(code_retour=None))
    elif outcome == OUTCOME_REFUSED:
        calls = calls.filter(status_code__lt=400).exclude(code_retour=0).exclude(code_retour=None)
    elif outcome == OUTCOME_ERROR:
        calls = calls.filter(status_code__gte=400)
    return calls.order_by("-created_at", "-pk")
