"""``manage.py roundtrip_writers [--corpus DIR] [--target T] [-v]``: the writers' figures.

Thin wrapper over :func:`invoices.einvoice.cli.roundtrip`: every officially valid invoice
of the corpus is written as CII, UBL and Factur-X, validated and read back; one JSON object
per target (invoices, valid, refused by business term, invalid, changed).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from invoices.einvoice.cli import roundtrip


class Command(BaseCommand):
    # Pure file processing: no database, so no need to wait for the system checks.
    requires_system_checks: list[str] = []
    help = (
        "Write every officially valid corpus invoice as CII, UBL and Factur-X, validate and "
        "re-read it; print per target: invoices, valid, refused (by business term), invalid, "
        "changed. Exit 1 when a written invoice is invalid or reads back changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--corpus",
            default=os.environ.get(
                "CHORUS_CORPUS_DIR", str(Path(settings.BASE_DIR).parent / "shared" / "corpus")
            ),
            help="corpus folder holding verdicts.csv (default: ../shared/corpus)",
        )
        parser.add_argument(
            "--target", action="append", choices=["cii", "ubl", "facturx"], dest="targets"
        )
        parser.add_argument(
            "-v", "--verbose-failures", action="store_true", help="one line per non-valid"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        corpus = Path(options["corpus"])
        if not (corpus / "verdicts.csv").is_file():
            self.stderr.write(
                f"roundtrip_writers: verdicts.csv introuvable / not found in {corpus}"
            )
            sys.exit(2)
        status = roundtrip(
            corpus,
            targets=options["targets"] or ["cii", "ubl", "facturx"],
            verbose=options["verbose_failures"],
            out=self.stdout,
        )
        if status:
            sys.exit(status)
