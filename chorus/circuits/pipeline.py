"""The frame every file channel runs its documents through: named steps on claimed batches.

A channel (invoice deposits today; justice E3 and works E4/E5 flows next) declares a
:class:`Pipeline`: its circuit, the statuses of a received and a claimed document, how to load
and size documents, and its named steps. The frame does the rest the same way for everyone:

* **claim with a lease**: received documents (or claimed ones whose lease ran out, their
  worker having died) move to the processing status through the one writer; the attempt is
  counted and committed before any heavy work; a heartbeat renews the lease while the
  worker lives, so the lease can be short (a killed worker's documents are free again
  within seconds) without a slow batch being taken by a second worker;
* **bounded attempts and quarantine**: a document claimed more than ``max_attempts`` times
  ends alone through ``fail(document, "quarantine", None)`` instead of crashing workers forever;
* **batches by size**: at most ``batch_bytes`` of documents in memory at once;
* **split on failure**: when a batch raises, each of its documents is retried alone, and a
  document that still raises ends through ``fail(document, "incident", error)`` (fail closed).

Steps run in order over the batch's work state (``start`` builds it, ``finish`` returns the
documents in their final state). The steps marked ``atomic`` run together in one transaction,
so a batch is written entirely or not at all. A channel adds its own steps with
:meth:`Pipeline.with_step` instead of copying the frame.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connection, connections, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from chorus.circuits.declaration import Circuit
from chorus.circuits.roles import Role
from chorus.circuits.writer import Move, document_model, transition_many
from chorus.core.actor import system_actor
from chorus.core.audit import actor_context

logger = logging.getLogger(__name__)

D = TypeVar("D", bound=models.Model)
W = TypeVar("W")


@dataclass(frozen=True)
class Step(Generic[W]):
    """One named stage of a pipeline, run over the whole batch's work state."""

    name: str
    run: Callable[[W], None]
    atomic: bool = False  # inside the batch's one write transaction


@dataclass(frozen=True)
class Pipeline(Generic[D, W]):
    circuit: Circuit
    received: str
    processing: str
    steps: tuple[Step[W], ...]
    start: Callable[[list[D]], W]
    finish: Callable[[W], list[D]]
    fail: Callable[[D, str, BaseException | None], D]
    size: Callable[[D], int]
    related: tuple[str, ...] = ()  # select_related when loading the claimed documents
    actor_reason: str = "processing"
    lease: datetime.timedelta = datetime.timedelta(seconds=30)
    max_attempts: int = 3
    batch_bytes: int = 32 * 1024 * 1024

    def __post_init__(self) -> None:
        names = [step.name for step in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"pipeline steps must have distinct names: {names}")
        atomic = [step.atomic for step in self.steps]
        if atomic != sorted(atomic):
            raise ValueError("atomic steps must come after every step run outside a transaction")

    @property
    def step_names(self) -> tuple[str, ...]:
        return tuple(step.name for step in self.steps)

    def with_step(self, step: Step[W], *, after: str) -> Pipeline[D, W]:
        """This pipeline with ``step`` inserted after the step named ``after``."""
        position = self.step_names.index(after) + 1
        steps = (*self.steps[:position], step, *self.steps[position:])
        return dataclasses.replace(self, steps=steps)

    # --- the frame ---------------------------------------------------------------------

    def claim(self, ids: Sequence[int]) -> list[int]:
        """Take these documents for processing; return those this call got, in id order.

        Documents held by another worker (row locked, or lease still running) or already
        done are skipped.
        """
        model = document_model(self.circuit)
        field = self.circuit.status_field
        now = timezone.now()
        claimable = Q(**{field: self.received}) | Q(
            **{field: self.processing, "lease_until__lt": now}
        )
        with transaction.atomic():
            held = list(
                model._default_manager.select_for_update(skip_locked=True)
                .filter(claimable, pk__in=list(ids))
                .order_by("pk")
                .values_list("pk", field)
            )
            claim = {"lease_until": now + self.lease, "attempts": F("attempts") + 1}
            claim["started_at"] = now
            fresh = [pk for pk, status in held if status == self.received]
            transition_many(
                self.circuit,
                moves=[Move(pk, self.received, self.processing) for pk in fresh],
                actor=system_actor(self.actor_reason),
                role=Role.PLATFORM,
                changes=claim,
            )
            expired = [pk for pk, status in held if status != self.received]
            if expired:  # a worker died holding them: same status, a new lease and attempt
                model._default_manager.filter(pk__in=expired).update(**claim)
        return [pk for pk, _status in held]

    def process(self, ids: Sequence[int]) -> list[D]:
        """Claim and process these documents; return those this call ended, final."""
        claimed = self.claim(ids)
        if not claimed:
            return []
        documents: list[D] = list(
            document_model(self.circuit)  # type: ignore[arg-type]
            ._default_manager.select_related(*self.related)
            .filter(pk__in=claimed)
            .order_by("pk")
        )
        done: list[D] = []
        runnable: list[D] = []
        for document in documents:
            if getattr(document, "attempts", 0) > self.max_attempts:
                done.append(self.fail(document, "quarantine", None))
            else:
                runnable.append(document)
        with self.lease_kept([document.pk for document in runnable]):
            for batch in self._by_size(runnable):
                done += self._run_or_split(batch)
        return done

    def lease_renew(self, ids: Sequence[int]) -> int:
        """Push the lease of these documents, still processing, one lease ahead.

        Rows locked by the batch's own write transaction are skipped (never waited for): the
        transaction ends them or the next beat renews them.
        """
        model = document_model(self.circuit)
        field = self.circuit.status_field
        held = model._default_manager.select_for_update(skip_locked=True).filter(
            pk__in=list(ids), **{field: self.processing}
        )
        with transaction.atomic():
            return int(
                model._default_manager.filter(pk__in=held.values("pk")).update(
                    lease_until=timezone.now() + self.lease
                )
            )

    @contextmanager
    def lease_kept(self, ids: Sequence[int]) -> Iterator[None]:
        """While the body runs, renew the lease of ``ids`` every third of a lease.

        The beat runs in a thread with its own database connection, so that a long step (a
        large archive, a slow validation) does not let the lease run out under a live worker.
        """
        if not ids or connection.in_atomic_block:
            # Inside a caller's transaction the claim is not visible to another connection.
            yield
            return
        stop = threading.Event()

        def beat() -> None:
            try:
                while not stop.wait(self.lease.total_seconds() / 3):
                    try:
                        self.lease_renew(ids)
                    except Exception:  # a missed beat is retried; the lease still runs
                        logger.warning("lease renewal failed", exc_info=True)
            finally:
                connections.close_all()

        thread = threading.Thread(target=beat, name="lease-heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=self.lease.total_seconds())

    def _by_size(self, documents: list[D]) -> list[list[D]]:
        batches: list[list[D]] = [[]]
        size = 0
        for document in documents:
            if batches[-1] and size + self.size(document) > self.batch_bytes:
                batches.append([])
                size = 0
            batches[-1].append(document)
            size += self.size(document)
        return [batch for batch in batches if batch]

    def _run_or_split(self, documents: list[D]) -> list[D]:
        try:
            return self._run(documents)
        except Exception as exc:
            if len(documents) == 1:
                logger.exception("%s %s failed", self.circuit.name, documents[0].pk)
                return [self.fail(documents[0], "incident", exc)]
            logger.warning("batch of %s documents failed; one by one now", len(documents))
        done: list[D] = []
        for document in documents:  # one document's trouble must not hold back the others
            done += self._run_or_split([document])
        return done

    def _run(self, documents: list[D]) -> list[D]:
        work = self.start(documents)
        outside = [step for step in self.steps if not step.atomic]
        inside = [step for step in self.steps if step.atomic]
        for step in outside:
            step.run(work)
        if inside:
            actor = system_actor(self.actor_reason)
            with transaction.atomic(), actor_context(actor, documents=len(documents)):
                for step in inside:
                    step.run(work)
        return self.finish(work)
