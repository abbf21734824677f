"""Request statuses: the support family's rules around the kernel's one writer.

The circuit (edges, roles, deadlines) is declared in :mod:`support.circuit`; this module picks
the role the actor acts in and the request's own effects (solved and closed times).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from chorus.circuits.roles import Role
from chorus.circuits.writer import transition
from support.choices import RequestStatus
from support.circuit import ALLOWED, REQUESTER_ALLOWED, SUPPORT_REQUEST
from support.models import SupportRequest
from support.permissions import actor_is_support

if TYPE_CHECKING:
    from chorus.core.actor import Actor

__all__ = ["ALLOWED", "REQUESTER_ALLOWED", "actor_is_support", "support_request_transition"]

S = RequestStatus


def support_request_transition(
    *, request_id: int, to: str, actor: Actor, note: str = ""
) -> SupportRequest:
    """Move a request to ``to``: as support for an agent, else as its requester.

    Asking for the status the request is already in is refused (it used to pass silently).
    """
    role = Role.SUPPORT if actor_is_support(actor) else Role.REQUESTER
    moved = transition(
        SUPPORT_REQUEST,
        pk=request_id,
        to=to,
        actor=actor,
        role=role,
        as_party=not actor.is_system,
        comment=note,
        apply=_request_effects,
    )
    request: SupportRequest = moved.document
    return request


def _request_effects(request: SupportRequest, target: str, now: datetime.datetime) -> list[str]:
    if target == S.SOLVED:
        request.solved_at = now
        return ["solved_at"]
    if target == S.CLOSED:
        request.closed_at = now
        if request.solved_at is None:
            request.solved_at = now
            return ["closed_at", "solved_at"]
        return ["closed_at"]
    if target == S.IN_PROGRESS and request.solved_at is not None:
        request.solved_at = None  # re-opened: resolution time counts again
        return ["solved_at"]
    return []
