"""What a circuit is, as data: statuses, edges and their roles, groups, codes, deadlines, parties.

A family writes one :class:`Circuit` in ``<app>/circuit.py`` with nothing but its status
choices and these classes, so that its models can build their database triggers from it
(:mod:`chorus.circuits.triggers`) without importing any service. Behaviour that needs models
(a family's own refusals, the fields a transition also sets) is passed to the writer by the
family's service; notifications are on-commit hooks the family registers
(:mod:`chorus.circuits.hooks`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from chorus.circuits.roles import Role


class Group(StrEnum):
    """The named sets of statuses every circuit may declare."""

    TERMINAL = "terminal"  # nothing follows
    OPEN = "open"  # the document is being worked on
    WAITING = "waiting"  # the document waits on one party (shown in that party's work list)
    QUIET = "quiet"  # platform steps nobody is told about one by one
    REASON_REQUIRED = "reason_required"  # entering needs a reason code


class Calendar(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"  # Monday to Friday, French public holidays excluded


@dataclass(frozen=True)
class Deadline:
    """In ``status``, ``days`` after entering ``counted_from``: apply ``tacit`` or flag lateness."""

    name: str
    status: str
    days: int
    calendar: Calendar = Calendar.CALENDAR
    counted_from: str = ""  # the status whose latest entry starts the count; default: status
    tacit: str = ""  # the status the platform moves the document to when the time is up
    flag: str = ""  # or the lateness flag raised (the document does not move)
    notify: frozenset[Role] = frozenset()  # the roles told when the deadline expires
    notice: Any = ""  # shown to the parties while it runs; a lazy text with %(due)s
    late_notice: Any = ""  # shown once a flag was raised, while the document stays put

    def __post_init__(self) -> None:
        if bool(self.tacit) == bool(self.flag):
            raise ValueError(f"deadline {self.name}: give exactly one of tacit or flag")
        if self.days < 0:
            raise ValueError(f"deadline {self.name}: days must not be negative")


@dataclass(frozen=True)
class Party:
    """How a user holds ``role`` on one document.

    ``structure_field`` names the document's attribute holding a structure id: a member of
    that structure holds the role, if the membership has ``area`` (when given).
    ``user_field`` names an attribute holding a user id: that user holds the role.
    ``predicate`` is the dotted path of ``f(document, user) -> bool`` for anything else
    (resolved when first used, so declarations import no service).
    """

    role: Role
    structure_field: str = ""
    area: str = ""
    user_field: str = ""
    predicate: str = ""


@dataclass(frozen=True)
class Refusal:
    """Why a transition is refused, in words a user understands (codes for the API)."""

    code: str
    message: str


@dataclass(frozen=True)
class Circuit:
    """One document family's status machine."""

    name: str
    model: str  # "app_label.Model" of the document
    event_model: str  # "app_label.Model" of its append-only events
    event_document_field: str  # the event's foreign key to the document
    statuses: type[models.TextChoices]
    initial: frozenset[str]  # the statuses a document may be created in
    edges: Mapping[tuple[str, str], frozenset[Role]]
    groups: Mapping[Group, frozenset[str]] = field(default_factory=dict)
    reform_codes: Mapping[str, str] = field(default_factory=dict)  # 2026 reform lifecycle codes
    deadlines: tuple[Deadline, ...] = ()
    parties: tuple[Party, ...] = ()
    noun: Any = "Document"  # a lazy translation, capitalised: "Invoice: status … cannot …"
    status_field: str = "status"
    changed_at_field: str = ""  # stamped with the time of each transition, when given
    event_defaults: Mapping[str, Any] = field(default_factory=dict)
    trigger_prefix: str = ""  # database trigger names; default: the circuit's name

    def __post_init__(self) -> None:
        values = set(self.statuses.values)
        for source, target in self.edges:
            if source not in values or target not in values:
                raise ValueError(f"{self.name}: edge {source}→{target} names an unknown status")
            if source == target:
                raise ValueError(f"{self.name}: edge {source}→{target} goes nowhere")
        for name, members in self.groups.items():
            if not members <= values:
                raise ValueError(f"{self.name}: group {name} names an unknown status")
        if not self.initial <= values:
            raise ValueError(f"{self.name}: unknown initial status")
        for deadline in self.deadlines:
            target = deadline.tacit
            if target and Role.PLATFORM not in self.edges.get((deadline.status, target), ()):
                raise ValueError(
                    f"{self.name}: deadline {deadline.name} needs a platform edge "
                    f"{deadline.status}→{target}"
                )

    # --- reading the declaration -------------------------------------------------------

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """Every allowed (from, to), sorted: what the database trigger accepts."""
        return tuple(sorted((str(s), str(t)) for s, t in self.edges))

    @property
    def trigger_name(self) -> str:
        return self.trigger_prefix or self.name

    def group(self, name: Group) -> frozenset[str]:
        return self.groups.get(name, frozenset())

    def label(self, status: str) -> str:
        try:
            return str(self.statuses(status).label)
        except ValueError:
            return status

    def deadlines_in(self, status: str) -> tuple[Deadline, ...]:
        return tuple(d for d in self.deadlines if d.status == status)

    def refusal(self, *, current: str, target: str, roles: Iterable[Role]) -> Refusal | None:
        """Why ``current → target`` taken as one of ``roles`` is refused, or None."""
        allowed = self.edges.get((current, target))
        names = {"noun": str(self.noun), "current": current, "target": target}
        if allowed is None:
            if current == target:
                message = _("%(noun)s: already in status %(current)s.") % names
            else:
                message = (
                    _("%(noun)s: status %(current)s cannot be followed by %(target)s.") % names
                )
            return Refusal("TRANSITION_NOT_ALLOWED", message)
        if not allowed & frozenset(roles):
            side = ", ".join(sorted(str(Role(r).label) for r in allowed))
            return Refusal(
                "TRANSITION_WRONG_SIDE",
                _("%(noun)s: only the %(side)s can move it from %(current)s to %(target)s.")
                % {**names, "side": side},
            )
        return None

    def targets(self, *, current: str, roles: Iterable[Role]) -> list[str]:
        """The statuses ``roles`` may set from ``current``, in declaration order (for forms)."""
        held = frozenset(roles)
        reachable = {t for (s, t), allowed in self.edges.items() if s == current and allowed & held}
        return [value for value in self.statuses.values if value in reachable]
