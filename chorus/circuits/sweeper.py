"""Fire the deadlines that fell due: each exactly once, whatever the number of workers.

A due row is taken with ``SKIP LOCKED`` and closed with a compare-and-set, then its tacit
transition goes through the one writer as the platform (with the status the deadline ran in as
the expected status), or its lateness flag is raised; the family's deadline hooks (notifying
the roles the declaration names) run after commit.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from chorus.circuits.deadlines import declared
from chorus.circuits.models import CircuitDeadline, DeadlineState
from chorus.circuits.registry import circuit_get, deadline_hooks
from chorus.circuits.roles import Role
from chorus.circuits.writer import transition
from chorus.core.actor import system_actor
from chorus.core.exceptions import DomainError

logger = logging.getLogger(__name__)

BATCH = 200


def deadlines_sweep(*, now: datetime.datetime | None = None, batch: int = BATCH) -> int:
    """Fire every deadline due at ``now``; return how many fired."""
    now = now or timezone.now()
    fired = 0
    while True:
        with transaction.atomic():
            rows = list(
                CircuitDeadline.objects.select_for_update(skip_locked=True)
                .filter(state=DeadlineState.PENDING, due_at__lte=now)
                .order_by("due_at", "pk")[:batch]
            )
            for row in rows:
                with transaction.atomic():
                    fired += _fire(row, now)
        if len(rows) < batch:
            return fired


def _fire(row: CircuitDeadline, now: datetime.datetime) -> int:
    circuit = circuit_get(row.circuit)
    deadline = declared(circuit, row)
    if deadline is None:
        _close(row, now, DeadlineState.CANCELLED, "no longer declared")
        return 0
    outcome = f"tacit {row.status}→{deadline.tacit}" if deadline.tacit else f"flag {deadline.flag}"
    if not _close(row, now, DeadlineState.FIRED, outcome):
        return 0
    if deadline.tacit:
        try:
            with transaction.atomic():
                transition(
                    circuit,
                    pk=row.object_id,
                    to=deadline.tacit,
                    actor=system_actor(f"deadline {deadline.name}"),
                    role=Role.PLATFORM,
                    expected_status=row.status,
                )
        except DomainError as refused:
            logger.info("deadline %s not applied: %s", row, refused)
            _reopen_as_cancelled(row, now, f"not applied: {refused.code or refused}")
            return 0
    for hook in deadline_hooks(circuit.name):
        transaction.on_commit(partial(hook, deadline, row), robust=True)
    return 1


def _close(row: CircuitDeadline, now: datetime.datetime, state: str, outcome: str) -> bool:
    closed = CircuitDeadline.objects.filter(pk=row.pk, state=DeadlineState.PENDING).update(
        state=state, closed_at=now, outcome=outcome[:200]
    )
    row.state, row.closed_at, row.outcome = state, now, outcome[:200]
    return closed == 1


def _reopen_as_cancelled(row: CircuitDeadline, now: datetime.datetime, outcome: str) -> None:
    CircuitDeadline.objects.filter(pk=row.pk).update(
        state=DeadlineState.CANCELLED, closed_at=now, outcome=outcome[:200]
    )
    row.state, row.outcome = DeadlineState.CANCELLED, outcome[:200]
