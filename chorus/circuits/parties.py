"""Which roles an actor holds on one document, from the circuit's parties.

Memberships are read through :class:`MembershipLike` (a structure id and areas), so the
kernel needs no account model.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.module_loading import import_string

from chorus.circuits.roles import Role

if TYPE_CHECKING:
    from collections.abc import Callable

    from chorus.circuits.declaration import Circuit
    from chorus.core.actor import Actor


class MembershipLike(Protocol):
    structure_id: int

    def has_area(self, area: str) -> bool: ...


@cache
def _predicate(path: str) -> Callable[[Any, Actor], bool]:
    function: Callable[[Any, Actor], bool] = import_string(path)
    return function


def roles_of(
    circuit: Circuit,
    document: Any,
    *,
    actor: Actor | None = None,
    membership: MembershipLike | None = None,
) -> frozenset[Role]:
    """The roles ``actor`` (acting through ``membership``, if any) holds on ``document``.

    Parties by structure need the membership, parties by user or predicate the actor.
    """
    held: set[Role] = set()
    user = actor.effective_user if actor is not None else None
    for party in circuit.parties:
        if party.structure_field:
            holds = (
                membership is not None
                and getattr(document, party.structure_field) == membership.structure_id
                and (not party.area or membership.has_area(party.area))
            )
        elif party.user_field:
            holds = user is not None and getattr(document, party.user_field) == user.pk
        else:
            holds = actor is not None and _predicate(party.predicate)(document, actor)
        if holds:
            held.add(party.role)
    if actor is not None and actor.is_system:
        held.add(Role.PLATFORM)
    return frozenset(held)
