"""The one writer of every circuit's status.

:func:`transition` moves one document: it locks the row, refuses a stale form (naming the
current status), checks the edge and the role, the party (when asked), the reason rule and the
family's own checks, writes the append-only event with the actor and the agent behind a
substitution, updates the status, starts and ends the deadlines, and schedules the family's
hooks after commit. :func:`transition_many` is its compare-and-set form for the platform's bulk
steps (routing, claiming and finishing deposits). The database refuses any pair the
declaration does not list, so no other path can skip them.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.circuits import deadlines
from chorus.circuits.declaration import Circuit, Group
from chorus.circuits.models import CircuitEvent
from chorus.circuits.parties import MembershipLike, roles_of
from chorus.circuits.registry import commit_hooks, transaction_hooks
from chorus.circuits.roles import Role
from chorus.core.actor import Actor
from chorus.core.audit import actor_context
from chorus.core.bulk import rows_insert
from chorus.core.exceptions import DomainError, PermissionDeniedError, TransitionNotAllowed

logger = logging.getLogger(__name__)

# A family's own refusal: raise a DomainError, given the locked document and the target; may
# return event fields it looked up on the way (an invoice's reason row).
Check = Callable[[Any, str], Mapping[str, Any] | None]
# A family's own effects: set fields on the locked document, return their names.
Apply = Callable[[Any, str, datetime.datetime], list[str]]


class StaleTransition(DomainError):
    """Someone else moved the document since the form was shown."""


class ReasonRequired(DomainError):
    """The target status needs a reason."""


@dataclass(frozen=True)
class Moved:
    document: Any
    event: CircuitEvent


@dataclass(frozen=True)
class Move:
    """One document of a bulk step: ``pk`` goes from ``source`` to ``target``."""

    pk: int
    source: str
    target: str


def document_model(circuit: Circuit) -> type[models.Model]:
    return apps.get_model(circuit.model)


def event_model(circuit: Circuit) -> type[CircuitEvent]:
    model = apps.get_model(circuit.event_model)
    assert issubclass(model, CircuitEvent)  # noqa: S101  (a declaration error, not input)
    return model


def transition(
    circuit: Circuit,
    *,
    pk: int,
    to: str,
    actor: Actor,
    role: Role,
    expected_status: str | None = None,
    comment: str = "",
    membership: MembershipLike | None = None,
    as_party: bool = False,
    check: Check | None = None,
    apply: Apply | None = None,
    event_fields: Mapping[str, Any] | None = None,
) -> Moved:
    """Move document ``pk`` of ``circuit`` to ``to``, acting as ``role``.

    ``expected_status`` is the status the user saw when choosing the action: if the document
    moved since, the change is refused rather than applied on top of someone else's. With
    ``membership`` (or ``as_party``), the actor must also hold ``role`` on this document.
    """
    target = str(to)
    field = circuit.status_field
    with transaction.atomic(), actor_context(actor):
        document = document_model(circuit)._default_manager.select_for_update().get(pk=pk)
        current = str(getattr(document, field))
        if expected_status is not None and expected_status != current:
            raise StaleTransition(
                _(
                    "%(noun)s: it changed in the meantime (it is now %(status)s); "
                    "reload the page and check before acting."
                )
                % {"noun": str(circuit.noun), "status": circuit.label(current)},
                code="STALE",
            )
        if (membership is not None or as_party) and role not in roles_of(
            circuit, document, actor=actor, membership=membership
        ):
            raise PermissionDeniedError(
                _("%(noun)s: you may not act on it.") % {"noun": str(circuit.noun)},
                code="FORBIDDEN",
            )
        refusal = circuit.refusal(current=current, target=target, roles=[role])
        if refusal is not None:
            raise TransitionNotAllowed(refusal.message, code=refusal.code)
        fields = dict(event_fields or {})
        if check is not None:
            fields.update(check(document, target) or {})
        if (
            target in circuit.group(Group.REASON_REQUIRED)
            and fields.get("reason") is None
            and not comment.strip()
        ):
            raise ReasonRequired(
                _("%(noun)s: give a reason to move it to %(target)s.")
                % {"noun": str(circuit.noun), "target": circuit.label(target)},
                code="REASON_REQUIRED",
            )
        now = timezone.now()
        event = event_model(circuit)(
            **{circuit.event_document_field: document},
            from_status=current,
            to_status=target,
            user=actor.user,
            on_behalf_of=actor.on_behalf_of,
            system_reason=actor.system_reason,
            comment=comment.strip(),
            created_at=now,
            **circuit.event_defaults,
            **fields,
        )
        event.save()
        setattr(document, field, target)
        updated = [field]
        if circuit.changed_at_field:
            setattr(document, circuit.changed_at_field, now)
            updated.append(circuit.changed_at_field)
        if apply is not None:
            updated += apply(document, target, now)
        document.save(update_fields=updated)
        deadlines.after_moves(circuit, [Move(pk, current, target)], now=now)
        _schedule_hooks(circuit, [event])
    return Moved(document=document, event=event)


def document_created(circuit: Circuit, document: models.Model) -> None:
    """Start the deadlines of the status ``document`` was just created in.

    Creation is not a transition (each family records it its own way); the deadlines of an
    initial status still have to run from that moment.
    """
    status = str(getattr(document, circuit.status_field))
    deadlines.after_moves(circuit, [Move(int(document.pk), "", status)], now=timezone.now())


def transition_many(
    circuit: Circuit,
    *,
    moves: Sequence[Move],
    actor: Actor,
    role: Role,
    changes: Mapping[str, Any] | None = None,
) -> list[CircuitEvent]:
    """Apply ``moves`` with one compare-and-set ``UPDATE`` per distinct pair, in order.

    Every pair is checked against the declaration first; a document no longer in its
    ``source`` status makes the whole call fail (nothing half moved). ``changes`` are other
    columns set on every moved row. Events are inserted in one statement, in ``moves`` order.
    """
    if not moves:
        return []
    groups: dict[tuple[str, str], list[int]] = {}
    for move in moves:
        groups.setdefault((move.source, move.target), []).append(move.pk)
    for source, target in groups:
        refusal = circuit.refusal(current=source, target=target, roles=[role])
        if refusal is not None:
            raise TransitionNotAllowed(refusal.message, code=refusal.code)
    model = document_model(circuit)
    now = timezone.now()
    with transaction.atomic(), actor_context(actor):
        for (source, target), ids in groups.items():
            values: dict[str, Any] = {circuit.status_field: target, **(changes or {})}
            if circuit.changed_at_field:
                values[circuit.changed_at_field] = now
            moved = model._default_manager.filter(
                pk__in=ids, **{circuit.status_field: source}
            ).update(**values)
            if moved != len(set(ids)):
                raise StaleTransition(
                    _("%(noun)s: some were no longer in status %(status)s.")
                    % {"noun": str(circuit.noun), "status": circuit.label(source)},
                    code="STALE",
                )
        event_class = event_model(circuit)
        key = f"{circuit.event_document_field}_id"
        events = [
            event_class(
                **{key: move.pk},
                from_status=move.source,
                to_status=move.target,
                user=actor.user,
                on_behalf_of=actor.on_behalf_of,
                system_reason=actor.system_reason,
                created_at=now,
                **circuit.event_defaults,
            )
            for move in moves
        ]
        rows_insert(events)
        deadlines.after_moves(circuit, moves, now=now)
        _schedule_hooks(circuit, events)
    return events


def _schedule_hooks(circuit: Circuit, events: Iterable[CircuitEvent]) -> None:
    quiet = circuit.group(Group.QUIET)
    told = [event.pk for event in events if event.to_status not in quiet]
    if not told:
        return
    for inside in transaction_hooks(circuit.name):
        inside(told)
    for hook in commit_hooks(circuit.name):
        transaction.on_commit(partial(hook, told), robust=True)
