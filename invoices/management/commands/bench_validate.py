"""``manage.py bench_validate --corpus DIR [--repeat N]``: one JSON object of timings."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from invoices.einvoice.cli import bench


class Command(BaseCommand):
    # Pure file processing: no database, so no need to wait for the system checks.
    requires_system_checks: list[str] = []
    help = (
        "Benchmark e-invoice validation over a folder of .xml/.pdf files in this process "
        "(one core): files, invoices_per_second, p50_ms, p95_ms, parse_only_p50_ms, "
        "floor_p50_ms and floor_invoices_per_second (extraction, parse and XSD only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--corpus",
            default=os.environ.get(
                "CHORUS_CORPUS_DIR", str(Path(settings.BASE_DIR).parent / "shared" / "corpus")
            ),
            help="folder holding .xml / .pdf files (default: ../shared/corpus)",
        )
        parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus")

    def handle(self, *args: Any, **options: Any) -> None:
        corpus = options["corpus"]
        if not Path(corpus).is_dir():
            self.stderr.write(f"bench_validate: dossier introuvable / folder not found: {corpus}")
            sys.exit(2)
        self.stdout.write(json.dumps(bench(corpus, repeat=options["repeat"])))
