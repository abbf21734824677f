"""The support-request circuit, declared for the kernel (``chorus.circuits``).

Agents move requests along; the requester may close their request or re-open it by replying.
Two deadlines (recorded in ``docs/decisions.md``): a request nobody took in charge within two
working days raises a lateness flag that tells support; a request waiting on its requester for
15 days is solved tacitly, and a solved request is closed tacitly after 7 more days (the
requester can re-open it until then by replying).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chorus.circuits.declaration import Calendar, Circuit, Deadline, Group, Party
from chorus.circuits.registry import register
from chorus.circuits.roles import Role
from support.choices import OPEN_STATUSES, TERMINAL_STATUSES, RequestStatus

S = RequestStatus
SUPPORT, REQUESTER, PLATFORM = Role.SUPPORT, Role.REQUESTER, Role.PLATFORM

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
TACIT: frozenset[tuple[str, str]] = frozenset(
    {(S.WAITING_FOR_USER, S.SOLVED), (S.SOLVED, S.CLOSED)}
)


def _edges() -> dict[tuple[str, str], frozenset[Role]]:
    edges: dict[tuple[str, str], frozenset[Role]] = {}
    for source, targets in ALLOWED.items():
        for target in targets:
            roles = {SUPPORT}
            if target in REQUESTER_ALLOWED[source]:
                roles.add(REQUESTER)
            if (source, target) in TACIT:
                roles.add(PLATFORM)
            edges[(source, target)] = frozenset(roles)
    return edges


SUPPORT_REQUEST = register(
    Circuit(
        name="support_request",
        model="support.SupportRequest",
        event_model="support.SupportRequestEvent",
        event_document_field="request",
        statuses=RequestStatus,
        initial=frozenset({S.NEW}),
        edges=_edges(),
        groups={
            Group.TERMINAL: frozenset(TERMINAL_STATUSES),
            Group.OPEN: frozenset(OPEN_STATUSES),
            Group.WAITING: frozenset({S.WAITING_FOR_USER}),
        },
        deadlines=(
            Deadline(
                name="first_answer",
                status=S.NEW,
                days=2,
                calendar=Calendar.WORKING,
                flag="late_first_answer",
                notify=frozenset({SUPPORT}),
                notice=_("Support takes requests in charge within two working days: by %(due)s."),
                late_notice=_("Late: not taken in charge within two working days (due %(due)s)."),
            ),
            Deadline(
                name="requester_silent",
                status=S.WAITING_FOR_USER,
                days=15,
                tacit=S.SOLVED,
                notify=frozenset({REQUESTER}),
                notice=_(
                    "Support is waiting for an answer: without one by %(due)s, the request "
                    "will be considered solved."
                ),
            ),
            Deadline(
                name="solved_closes",
                status=S.SOLVED,
                days=7,
                tacit=S.CLOSED,
                notify=frozenset({REQUESTER}),
                notice=_("Reply by %(due)s to re-open this request; after that it is closed."),
            ),
        ),
        parties=(
            Party(REQUESTER, user_field="requester_id"),
            Party(SUPPORT, predicate="support.permissions.holds_support_role"),
        ),
        noun=_("Request"),
        changed_at_field="updated_at",
        event_defaults={"kind": "STATUS"},
        trigger_prefix="support_request",
    )
)
