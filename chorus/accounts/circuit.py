"""The join-request circuit, declared for the kernel (``chorus.circuits``).

A user asks to join a structure; a manager of the structure (or support, for a structure that
has none) accepts or refuses it; the requester may withdraw it, and the platform cancels the
pending requests of a structure whose identifier changed (the structure is copied).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from chorus.accounts.choices import JoinRequestStatus
from chorus.circuits.declaration import Circuit, Group, Party
from chorus.circuits.registry import register
from chorus.circuits.roles import Role

S = JoinRequestStatus
DECIDERS = frozenset({Role.MANAGER, Role.SUPPORT})

JOIN_REQUEST = register(
    Circuit(
        name="join_request",
        model="accounts.JoinRequest",
        event_model="accounts.JoinRequestStatusEvent",
        event_document_field="join_request",
        statuses=JoinRequestStatus,
        initial=frozenset({S.PENDING}),
        edges={
            (S.PENDING, S.ACCEPTED): DECIDERS,
            (S.PENDING, S.REFUSED): DECIDERS,
            (S.PENDING, S.CANCELLED): frozenset({Role.REQUESTER, Role.PLATFORM}),
        },
        groups={
            Group.TERMINAL: frozenset({S.ACCEPTED, S.REFUSED, S.CANCELLED}),
            Group.WAITING: frozenset({S.PENDING}),
        },
        parties=(
            Party(Role.REQUESTER, user_field="user_id"),
            Party(Role.MANAGER, predicate="chorus.accounts.selectors.manages_join_request"),
        ),
        noun=gettext_lazy("Join request"),
        changed_at_field="decided_at",
        trigger_prefix="join_request",
    )
)
