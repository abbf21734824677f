"""``manage.py bench_ingest --invoices N [--workers W]``: deposit-to-available throughput.

Generates N valid invoices for a seeded recipient, deposits each as its own flow through the
real batch channel (stored file, committed rows, tasks on commit; the files are sent
:data:`FLOWS_PER_TASK` per call, as an operator or API client sending many files does), lets
real Celery workers (started here, on the configured Redis) process them, waits until every
invoice is MISE_A_DISPOSITION and prints one JSON line: ``invoices``, ``seconds``,
``invoices_per_second``, ``p95_latency_ms`` (deposit to available), ``failed``.
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F

from chorus.core.actor import Actor
from chorus.core.workers import worker_start, worker_stop
from invoices.bench import bench_parties
from invoices.choices import DepositMode, FlowStatus, InvoiceStatus
from invoices.demo import sample_ubl_invoice
from invoices.models import Flow, InvoiceEvent
from invoices.services.deposit import flows_receive
from invoices.services.limits import FLOWS_PER_TASK


class Command(BaseCommand):
    help = "Benchmark deposit → MISE_A_DISPOSITION with real Celery workers; prints JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--invoices", type=int, default=10_000)
        parser.add_argument("--workers", type=int, default=2, help="worker processes")
        parser.add_argument("--timeout", type=int, default=1800, help="seconds to wait at most")

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["invoices"]
        workers: int = options["workers"]
        run = uuid.uuid4().hex[:8]
        supplier, buyer, user = bench_parties(run)
        documents = [
            sample_ubl_invoice(
                number=f"B{run}-{index}", seller=supplier.identifier, buyer=buyer.identifier
            )
            for index in range(count)
        ]
        worker = worker_start(concurrency=workers)
        actor = Actor(user=user)
        try:
            started = time.monotonic()
            for start in range(0, count, FLOWS_PER_TASK):
                flows_receive(
                    actor=actor,
                    structure=supplier,
                    mode=DepositMode.BATCH,
                    files=[
                        (f"bench-{index}.xml", documents[index])
                        for index in range(start, min(count, start + FLOWS_PER_TASK))
                    ],
                )
            deposited = time.monotonic()
            flows = Flow.objects.filter(structure=supplier)
            deadline = started + options["timeout"]
            while time.monotonic() < deadline:
                pending = flows.filter(
                    status__in=[FlowStatus.RECEIVED, FlowStatus.PROCESSING]
                ).count()
                if pending == 0:
                    break
                time.sleep(0.5)
            finished = time.monotonic()
        finally:
            worker_stop(worker)
        available = InvoiceEvent.objects.filter(
            invoice__supplier=supplier, to_status=InvoiceStatus.MADE_AVAILABLE
        ).annotate(received=F("invoice__flow__received_at"))
        latencies = [
            (event.created_at - event.received).total_seconds() * 1000 for event in available
        ]
        failed = count - len(latencies)
        seconds = finished - started
        result = {
            "benchmark": "ingest",
            "invoices": count,
            "workers": workers,
            "seconds": round(seconds, 2),
            "deposit_seconds": round(deposited - started, 2),
            "invoices_per_second": round(len(latencies) / seconds, 1) if seconds else 0,
            "p50_latency_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_latency_ms": (
                round(statistics.quantiles(latencies, n=20)[18], 1) if len(latencies) > 1 else None
            ),
            "failed": failed,
        }
        self.stdout.write(json.dumps(result))
