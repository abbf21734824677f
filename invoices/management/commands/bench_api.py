"""``manage.py bench_api``: flows accepted per second through HTTP ``deposer/flux``.

Starts gunicorn on loopback (as the Dockerfile runs it) and real Celery workers on this
database, opens an API connection for a fresh supplier, and has ``--clients`` threads (8 by
default) post ``--flows`` UBL invoices to ``/cpro/factures/v1/deposer/flux`` as fast as
they are answered, each on its own keep-alive connection. Then it waits until every invoice
is MISE_A_DISPOSITION. One JSON line: ``flows_per_second`` accepted, ``p50_ms``/``p95_ms``
call latency, ``available_per_second`` (deposit → MISE_A_DISPOSITION), ``errors`` by HTTP
status, ``lost`` (accepted flows with no available invoice at the end).
"""

from __future__ import annotations

import base64
import http.client
import json
import statistics
import threading
import time
import uuid
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandParser

from chorus.api.services import api_connection_create
from chorus.core.actor import system_actor
from chorus.core.workers import free_port, web_start, worker_start, worker_stop
from invoices.bench import bench_parties
from invoices.choices import InvoiceStatus
from invoices.demo import sample_ubl_invoice
from invoices.models import Invoice

PATH = "/cpro/factures/v1/deposer/flux"


class Command(BaseCommand):
    help = "Benchmark the API deposit (deposer/flux) under concurrent clients; prints JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--flows", type=int, default=3000)
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument("--web-workers", type=int, default=3)
        parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
        parser.add_argument("--timeout", type=int, default=900)

    def handle(self, *args: Any, **options: Any) -> None:
        count, clients = options["flows"], options["clients"]
        run = uuid.uuid4().hex[:8]
        supplier, buyer, _user = bench_parties(run)
        credentials = api_connection_create(
            actor=system_actor("bench_api"), structure=supplier, name="bench", scopes=["deposit"]
        )
        bodies = [
            json.dumps(
                {
                    "fichierFlux": base64.b64encode(
                        sample_ubl_invoice(
                            number=f"A{run}-{index}",
                            seller=supplier.identifier,
                            buyer=buyer.identifier,
                        )
                    ).decode(),
                    "nomFichier": f"api-{index}.xml",
                    "syntaxeFlux": "IN_DP_E1_UBL_INVOICE",
                    "avecSignature": False,
                }
            ).encode()
            for index in range(count)
        ]
        port = free_port()
        web = web_start(port=port, workers=options["web_workers"])
        worker = worker_start(concurrency=options["workers"])
        try:
            token = _token(port, credentials.client_id, credentials.client_secret)
            account = f"{credentials.login}:{credentials.password}".encode()
            headers = {
                "Authorization": f"Bearer {token}",
                "cpro-account": base64.b64encode(account).decode(),
                "Content-Type": "application/json;charset=utf-8",
            }
            latencies: list[float] = []
            statuses: Counter[str] = Counter()
            accepted: list[str] = []
            lock = threading.Lock()
            cursor = iter(range(count))

            def client() -> None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                while True:
                    with lock:
                        index = next(cursor, None)
                    if index is None:
                        break
                    started = time.perf_counter()
                    try:
                        connection.request("POST", PATH, body=bodies[index], headers=headers)
                        response = connection.getresponse()
                        payload = response.read()
                        status = response.status
                    except (OSError, http.client.HTTPException):
                        connection.close()
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                        status, payload = 0, b""
                    elapsed = (time.perf_counter() - started) * 1000
                    number = ""
                    if status == 200:
                        answer = json.loads(payload)
                        if answer.get("codeRetour") == 0:
                            number = str(answer.get("numeroFluxDepot", ""))
                    with lock:
                        latencies.append(elapsed)
                        statuses[str(status) if number or status != 200 else "200-refused"] += 1
                        if number:
                            accepted.append(number)
                connection.close()

            started = time.monotonic()
            threads = [threading.Thread(target=client) for _ in range(clients)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            deposited = time.monotonic()
            invoices = Invoice.objects.filter(supplier=supplier)
            deadline = deposited + options["timeout"]
            while time.monotonic() < deadline:
                available = invoices.filter(status=InvoiceStatus.MADE_AVAILABLE).count()
                if available >= len(accepted):
                    break
                time.sleep(0.5)
            finished = time.monotonic()
        finally:
            worker_stop(worker)
            web.terminate()
            web.wait(timeout=30)
        available = invoices.filter(status=InvoiceStatus.MADE_AVAILABLE).count()
        calls = deposited - started
        result = {
            "benchmark": "api",
            "flows": count,
            "clients": clients,
            "accepted": len(accepted),
            "flows_per_second": round(len(accepted) / calls, 1) if calls else 0,
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": (
                round(statistics.quantiles(latencies, n=20)[18], 1) if len(latencies) > 1 else None
            ),
            "available_per_second": round(available / (finished - started), 1),
            "errors": {k: v for k, v in sorted(statuses.items()) if k != "200"},
            "lost": len(accepted) - available,
        }
        self.stdout.write(json.dumps(result))


def _token(port: int, client_id: str, client_secret: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
            "scope": "openid",
        }
    )
    connection.request(
        "POST",
        "/api/oauth/token",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    payload = json.loads(response.read())
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"no token: {response.status} {payload}")
    return str(payload["access_token"])
