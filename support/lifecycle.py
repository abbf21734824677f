"""Request statuses: the transition table and the one function that changes ``status``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.core.exceptions import PermissionDeniedError, TransitionNotAllowed
from support.choices import RequestEventKind, RequestStatus
from support.models import SupportRequest, SupportRequestEvent
from support.permissions import is_support_agent

if TYPE_CHECKING:
    from chorus.core.actor import Actor

S = RequestStatus

ALLOWED: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.IN_PROGRESS, S.WAITING_FOR_USER, S.SOLVED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.WAITING_FOR_USER, S.SOLVED, S.CLOSED}),
    S.WAITING_FOR_USER: frozenset({S.IN_PROGRESS, S.SOLVED, S.CLOSED}),
    S.SOLVED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.CLOSED: frozenset(),
}
# What the requester may do: close their request, or re-open it by replying.
REQUESTER_ALLOWED: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.CLOSED}),
    S.WAITING_FOR_USER: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.SOLVED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.CLOSED: frozenset(),
}


def actor_is_support(actor: Actor) -> bool:
    """An agent acting as themselves (under substitution the agent acts as the user)."""
    return actor.on_behalf_of is None and is_support_agent(actor.user)


def _ensure_actor_may(actor: Actor, support_request: SupportRequest, to: str) -> None:
    if actor_is_support(actor):
        return
    user = actor.effective_user
    if user is None or user.pk != support_request.requester_id:
        raise PermissionDeniedError(_("You cannot change this request."))
    if to not in REQUESTER_ALLOWED.get(support_request.status, frozenset()):
        raise TransitionNotAllowed(_("This change of status is not allowed."), code="transition")


@transaction.atomic
def support_request_transition(
    *, request_id: int, to: str, actor: Actor, note: str = ""
) -> SupportRequest:
    """Move a request to ``to`` if the table allows it; no-op when it is already there."""
    support_request = SupportRequest.objects.select_for_update().get(pk=request_id)
    if support_request.status == to:
        return support_request
    if to not in ALLOWED.get(support_request.status, frozenset()):
        raise TransitionNotAllowed(_("This change of status is not allowed."), code="transition")
    _ensure_actor_may(actor, support_request, to)
    now = timezone.now()
    SupportRequestEvent.objects.create(
        request=support_request,
        kind=RequestEventKind.STATUS,
        from_value=support_request.status,
        to_value=to,
        user=actor.user,
        on_behalf_of=actor.on_behalf_of,
        note=note,
        created_at=now,
    )
    support_request.status = to
    support_request.updated_at = now
    fields = ["status", "updated_at"]
    if to == S.SOLVED:
        support_request.solved_at = now
        fields.append("solved_at")
    elif to == S.CLOSED:
        support_request.closed_at = now
        fields.append("closed_at")
        if support_request.solved_at is None:
            support_request.solved_at = now
            fields.append("solved_at")
    elif to == S.IN_PROGRESS and support_request.solved_at is not None:
        support_request.solved_at = None  # re-opened: resolution time counts again
        fields.append("solved_at")
    support_request.save(update_fields=fields)
    return support_request
