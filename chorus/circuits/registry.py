"""Every declared circuit, by name, and the hooks the families attach to them.

Families register their declaration when their ``circuit`` module is imported (their models
import it to build triggers, so it is always loaded with the app), and their hooks in their
``AppConfig.ready``: the kernel calls hooks, it never imports them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chorus.circuits.declaration import Circuit, Deadline
    from chorus.circuits.models import CircuitDeadline

EventsHook = Callable[[list[int]], None]
DeadlineHook = Callable[["Deadline", "CircuitDeadline"], None]

_CIRCUITS: dict[str, Circuit] = {}
_ON_COMMIT: defaultdict[str, list[EventsHook]] = defaultdict(list)
_ON_DEADLINE: defaultdict[str, list[DeadlineHook]] = defaultdict(list)
_IN_TRANSACTION: defaultdict[str, list[EventsHook]] = defaultdict(list)


def register(circuit: Circuit) -> Circuit:
    """Make ``circuit`` known to the writer, the sweeper and the declaration tests."""
    known = _CIRCUITS.get(circuit.name)
    if known is not None and known != circuit:
        raise ValueError(f"circuit {circuit.name} is declared twice")
    _CIRCUITS[circuit.name] = circuit
    return circuit


def circuit_get(name: str) -> Circuit:
    return _CIRCUITS[name]


def circuits_all() -> list[Circuit]:
    return sorted(_CIRCUITS.values(), key=lambda circuit: circuit.name)


def on_commit(circuit_name: str, hook: EventsHook) -> None:
    """Call ``hook(event_ids)`` after each committed transaction that moved documents.

    Quiet statuses (the circuit's ``QUIET`` group) are left out; hooks run robustly (a
    failing hook is logged, the transition stays).
    """
    if hook not in _ON_COMMIT[circuit_name]:
        _ON_COMMIT[circuit_name].append(hook)


def in_transaction(circuit_name: str, hook: EventsHook) -> None:
    """Call ``hook(event_ids)`` inside the transaction that moved documents.

    For hooks that write rows which must commit or roll back with the transition (an outbox
    message, a webhook delivery); quiet statuses are left out as for ``on_commit``. A failing
    hook fails the transition, so such hooks only write.
    """
    if hook not in _IN_TRANSACTION[circuit_name]:
        _IN_TRANSACTION[circuit_name].append(hook)


def transaction_hooks(circuit_name: str) -> list[EventsHook]:
    return list(_IN_TRANSACTION[circuit_name])


def on_deadline(circuit_name: str, hook: DeadlineHook) -> None:
    """Call ``hook(deadline, row)`` after the sweeper fired one of the circuit's deadlines."""
    if hook not in _ON_DEADLINE[circuit_name]:
        _ON_DEADLINE[circuit_name].append(hook)


def commit_hooks(circuit_name: str) -> list[EventsHook]:
    return list(_ON_COMMIT[circuit_name])


def deadline_hooks(circuit_name: str) -> list[DeadlineHook]:
    return list(_ON_DEADLINE[circuit_name])
