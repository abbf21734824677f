"""Deadlines as data, started and ended by the writer, shown to the parties while they run.

When a document enters a status with declared deadlines, one row per deadline is started, due
``days`` calendar or working days after entering the deadline's ``counted_from`` status; when
it leaves that status first, the row is cancelled. :mod:`chorus.circuits.sweeper` fires the
rows that fall due.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import holidays
from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format

from chorus.circuits.declaration import Calendar, Circuit, Deadline
from chorus.circuits.models import CircuitDeadline, DeadlineState

if TYPE_CHECKING:
    from chorus.circuits.writer import Move


@cache
def _public_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and not a French public holiday (metropolitan calendar)."""
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def due_at(start: datetime.datetime, *, days: int, calendar: Calendar) -> datetime.datetime:
    """``days`` calendar days after ``start``, or ``days`` working days at the same local time."""
    if calendar == Calendar.CALENDAR:
        return start + datetime.timedelta(days=days)
    local = timezone.localtime(start)
    day = local.date()
    left = days
    while left:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    naive = datetime.datetime.combine(day, local.time().replace(tzinfo=None))
    return timezone.make_aware(naive, timezone.get_current_timezone())


def after_moves(circuit: Circuit, moves: Sequence[Move], *, now: datetime.datetime) -> None:
    """End the deadlines of the statuses left, start those of the statuses entered."""
    if not circuit.deadlines:
        return
    leaving: dict[str, list[int]] = {}
    for move in moves:
        if circuit.deadlines_in(move.source):
            leaving.setdefault(move.source, []).append(move.pk)
    for status, ids in leaving.items():
        CircuitDeadline.objects.filter(
            circuit=circuit.name, object_id__in=ids, status=status, state=DeadlineState.PENDING
        ).update(state=DeadlineState.CANCELLED, closed_at=now, outcome=f"left {status}")
    rows = [
        _start(circuit, deadline, move.pk, now)
        for move in moves
        for deadline in circuit.deadlines_in(move.target)
    ]
    if rows:
        CircuitDeadline.objects.bulk_create(rows)


def _start(
    circuit: Circuit, deadline: Deadline, pk: int, now: datetime.datetime
) -> CircuitDeadline:
    start = now
    if deadline.counted_from and deadline.counted_from != deadline.status:
        events = apps.get_model(circuit.event_model).objects
        entered = (
            events.filter(
                **{f"{circuit.event_document_field}_id": pk}, to_status=deadline.counted_from
            )
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        start = entered or now
    return CircuitDeadline(
        circuit=circuit.name,
        object_id=pk,
        name=deadline.name,
        status=deadline.status,
        starts_at=start,
        due_at=due_at(start, days=deadline.days, calendar=deadline.calendar),
    )


@dataclass(frozen=True)
class DeadlineNotice:
    """A running deadline as the parties see it: what happens, and when."""

    deadline: Deadline
    due_at: datetime.datetime
    text: str
    late: bool = False  # a lateness flag raised, not a deadline still running


def deadline_notices(circuit: Circuit, object_id: int, *, status: str) -> list[DeadlineNotice]:
    """What the parties of a document in ``status`` are shown, soonest first (one query):
    the running deadlines, and the lateness flags raised in this status."""
    notices = []
    for row in CircuitDeadline.objects.filter(
        circuit=circuit.name,
        object_id=object_id,
        state__in=[DeadlineState.PENDING, DeadlineState.FIRED],
        status=status,
    ).order_by("due_at"):
        deadline = declared(circuit, row)
        if deadline is None:
            continue
        late = row.state == DeadlineState.FIRED
        text = deadline.late_notice if late else deadline.notice
        if not text or (late and not deadline.flag):
            continue
        due = date_format(timezone.localtime(row.due_at), "DATETIME_FORMAT")
        notices.append(DeadlineNotice(deadline, row.due_at, str(text) % {"due": due}, late))
    return notices


def declared(circuit: Circuit, row: CircuitDeadline) -> Deadline | None:
    return next((d for d in circuit.deadlines if d.name == row.name), None)
