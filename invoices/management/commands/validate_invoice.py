"""``manage.py validate_invoice PATH... [--explain]``: thin wrapper over the e-invoice core."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from invoices.einvoice.cli import validate_paths


class Command(BaseCommand):
    # Pure file processing: no database, so no need to wait for the system checks.
    requires_system_checks: list[str] = []
    help = (
        "Validate e-invoices (UBL 2.1, CII D16B, Factur-X PDF) against EN 16931. Prints one "
        "JSON object per file; exit status 0 when all are valid, 1 otherwise, 2 on usage errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--explain", action="store_true", help="print the messages (French, then English)"
        )
        parser.add_argument(
            "--rule-set",
            action="append",
            dest="rule_sets",
            choices=["en16931", "fr"],
            help="rule sets to apply (default: en16931; add 'fr' for the Chorus Pro rules)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        status = validate_paths(
            options["paths"],
            explain=options["explain"],
            rule_sets=options["rule_sets"] or ["en16931"],
            out=self.stdout,
            err=self.stderr,
        )
        if status:
            sys.exit(status)
