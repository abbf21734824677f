"""Benchmark the directory: generate an export, import it, time 200 searches; one JSON line.

    manage.py bench_directory [--structures 130000] [--services-per 3] [--searches 200]

Everything runs in one transaction that is rolled back at the end (unless ``--keep``), so
the benchmark can run against any database without leaving rows behind. Searches go through
the public JSON endpoint (the deposit forms' autocomplete), middleware and all.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from chorus.accounts.models import Structure
from public_entities.sample_directory import (
    MAX_CITIES,
    city_names,
    siret_for,
    write_sample_directory,
)
from public_entities.selectors import DirectoryQuery, directory_search_page
from public_entities.services.directory import directory_import


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return round(ordered[index], 2)


def _queries(count: int, structures: int, seed: int) -> list[dict[str, str]]:
    """A mix of what users type: names, a SIRET, a SIREN, postal codes, cities."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    cities = city_names(random.Random(2026), max(50, min(MAX_CITIES, structures // 4)))  # noqa: S311
    words = ("commune", "centre hospitalier", "lycee", "college", "mairie", "syndicat eaux")
    queries: list[dict[str, str]] = []
    for index in range(count):
        city = rng.choice(cities)
        kind = index % 8
        if kind == 0:
            queries.append({"q": siret_for(rng.randrange(structures))})
        elif kind == 1:
            queries.append({"q": siret_for(rng.randrange(structures))[:9]})
        elif kind == 2:
            queries.append({"q": f"{rng.choice(words)} {city.split('-')[0].lower()}"})
        elif kind == 3:
            queries.append({"q": city.lower()})
        elif kind == 4:
            queries.append({"postal_code": f"{rng.randint(1, 95):02d}"})
        elif kind == 5:
            queries.append({"city": city[:5].lower()})
        elif kind == 6:
            queries.append({"q": rng.choice(words)})
        else:
            queries.append({"q": city[:4].lower(), "postal_code": f"{rng.randint(1, 95):02d}"})
    return queries


class Command(BaseCommand):
    help = "Generate, import and search a synthetic directory; print one JSON line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--structures", type=int, default=130_000)
        parser.add_argument("--services-per", type=int, default=3)
        parser.add_argument("--searches", type=int, default=200)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--keep", action="store_true", help="Commit the imported rows instead of rolling back."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Structure._meta.db_table not in connection.introspection.table_names():
            # `make bench` runs on a fresh, empty database.
            call_command("migrate", verbosity=0, interactive=False)
        structures = options["structures"]
        result: dict[str, Any] = {"benchmark": "directory", "structures": structures}
        with tempfile.TemporaryDirectory(prefix="chorus-bench-directory-") as tmp:
            structures_path = Path(tmp) / "annuaire.csv"
            services_path = Path(tmp) / "services.csv"
            started = time.monotonic()
            _, service_count = write_sample_directory(
                structures_path,
                services_path,
                structures=structures,
                services_per=options["services_per"],
            )
            result["services"] = service_count
            result["generate_seconds"] = round(time.monotonic() - started, 2)
            result["file_mb"] = round(
                (structures_path.stat().st_size + services_path.stat().st_size) / 1e6, 1
            )
            bad: list[str] = []

            def report(label: str, line: int, reason: str) -> None:
                if len(bad) < 10:
                    bad.append(f"{label}:{line}: {reason}")

            with transaction.atomic():
                summary = directory_import(
                    structures_path=structures_path, services_path=services_path, report=report
                )
                result["import_seconds"] = round(summary.seconds, 2)
                rows = summary.structures_read + summary.services_read
                result["rows"] = rows
                result["rows_per_second"] = round(rows / max(summary.seconds, 1e-9))
                result["bad_rows"] = summary.bad_rows
                result["peak_rss_mb_after_import"] = _peak_rss_mb()
                again = directory_import(
                    structures_path=structures_path, services_path=services_path, report=report
                )
                result["reimport_seconds"] = round(again.seconds, 2)
                result["reimport_unchanged"] = again.structures_unchanged
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE accounts_structure")
                    cursor.execute("ANALYZE public_entities_publicentity")
                    cursor.execute("ANALYZE public_entities_entityservice")
                queries = _queries(options["searches"], structures, options["seed"])
                client = Client(HTTP_HOST="127.0.0.1")
                url = reverse("public_entities:directory_api")
                client.get(f"{url}?q=commune")  # warm-up (URL resolver, templates, caches)
                http_ms: list[float] = []
                hits: list[int] = []
                for params in queries:
                    begin = time.perf_counter()
                    response = client.get(f"{url}?{urlencode(params)}")
                    http_ms.append((time.perf_counter() - begin) * 1000)
                    hits.append(response.json().get("count", 0))
                query_ms: list[float] = []
                for params in queries:
                    begin = time.perf_counter()
                    directory_search_page(
                        query=DirectoryQuery(
                            q=params.get("q", ""),
                            postal_code=params.get("postal_code", ""),
                            city=params.get("city", ""),
                        ),
                        page=1,
                    )
                    query_ms.append((time.perf_counter() - begin) * 1000)
                result["searches"] = len(queries)
                result["search_p50_ms"] = _percentile(http_ms, 0.50)
                result["search_p95_ms"] = _percentile(http_ms, 0.95)
                result["search_max_ms"] = round(max(http_ms), 2)
                result["query_p50_ms"] = _percentile(query_ms, 0.50)
                result["query_p95_ms"] = _percentile(query_ms, 0.95)
                result["median_hits"] = statistics.median(hits)
                if not options["keep"]:
                    transaction.set_rollback(True)
        result["peak_rss_mb"] = _peak_rss_mb()
        if bad:
            result["first_bad_rows"] = bad
        self.stdout.write(json.dumps(result))
