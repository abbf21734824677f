"""The database half of a declaration: what PostgreSQL refuses whatever the code path.

A status update outside the declared pairs, a document created in a status that is not
initial, and any update or delete of an event all raise in the database, so a raw ``UPDATE``,
an admin edit or a forgotten code path cannot move a document around its circuit.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import pgtrigger

from chorus.circuits.declaration import Circuit


def status_triggers(circuit: Circuit) -> list[pgtrigger.Trigger]:
    """The document model's triggers: declared pairs on update, initial statuses on insert."""
    column = circuit.status_field
    initial = ", ".join(f"'{status}'" for status in sorted(circuit.initial))
    return [
        pgtrigger.FSM(
            name=f"{circuit.trigger_name}_status_fsm",
            field=column,
            transitions=list(circuit.pairs),
        ),
        pgtrigger.Trigger(
            name=f"{circuit.trigger_name}_status_initial",
            operation=pgtrigger.Insert,
            when=pgtrigger.Before,
            condition=pgtrigger.Condition(f'NEW."{column}" NOT IN ({initial})'),
            func=(
                "RAISE EXCEPTION 'pgtrigger: % cannot be created in status %', "
                f'TG_TABLE_NAME, NEW."{column}"; RETURN NULL;'
            ),
        ),
    ]


def event_triggers(circuit: Circuit) -> list[pgtrigger.Trigger]:
    """The event model's trigger: events are appended, never changed or removed."""
    return [
        pgtrigger.Protect(
            name=f"{circuit.trigger_name}_event_append_only",
            operation=pgtrigger.Update | pgtrigger.Delete,
        )
    ]


def status_guard_ignored(circuit: Circuit) -> AbstractContextManager[None]:
    """Lift the status guards of ``circuit`` inside a ``with`` block.

    For test fixtures that start a document in the middle of its circuit or replay a crash,
    and for supervised data repair; never for a code path of the product.
    """
    model = circuit.model
    guard: AbstractContextManager[None] = pgtrigger.ignore(
        f"{model}:{circuit.trigger_name}_status_fsm",
        f"{model}:{circuit.trigger_name}_status_initial",
    )
    return guard
