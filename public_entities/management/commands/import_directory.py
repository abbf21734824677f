"""Load the Chorus Pro directory export (public structures) and our services file.

    manage.py import_directory annuaire.csv [--services services.csv]

Streamed and idempotent: structures are upserted on their identifier, services on
(structure, service code); what the files no longer list is deactivated. Every bad row is
reported on standard error with its line number and reason, and skipped; a JSON summary is
printed at the end. Formats: docs/organisations.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.core.exceptions import DomainError
from public_entities.services.directory import AUTO, directory_import


class Command(BaseCommand):
    help = "Import the directory of public structures (CSV ';', or a .zip holding it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Directory export (structures).")
        parser.add_argument("--services", type=Path, help="Services file (our format).")
        parser.add_argument(
            "--encoding",
            default=AUTO,
            help="File encoding, e.g. utf-8 or cp1252. Default: auto (a byte-order mark, else "
            "UTF-8 when the whole file is valid UTF-8, else cp1252).",
        )
        parser.add_argument("--delimiter", default=";", help="Default: ';'.")
        parser.add_argument(
            "--no-deactivate",
            action="store_true",
            help="Do not deactivate structures and services missing from the files.",
        )
        parser.add_argument(
            "--force-deactivate",
            action="store_true",
            help="Deactivate even when more than half of the directory is missing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [options["file"], options["services"]]
        for path in paths:
            if path is not None and not path.is_file():
                raise CommandError(f"{path}: no such file")
        err = self.stderr

        def report(label: str, line: int, reason: str) -> None:
            where = f"{label}:{line}" if line else label
            err.write(f"{where}: {reason}")

        try:
            summary = directory_import(
                structures_path=options["file"],
                services_path=options["services"],
                report=report,
                encoding=options["encoding"],
                delimiter=options["delimiter"],
                deactivate=not options["no_deactivate"],
                max_deactivate_ratio=1.0 if options["force_deactivate"] else 0.5,
            )
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"import cancelled, nothing changed: the file is not valid {exc.encoding} "
                f"(byte {exc.object[exc.start : exc.start + 1]!r} at position {exc.start}); give "
                "its encoding with --encoding (for example --encoding cp1252 or "
                "--encoding utf-8)"
            ) from exc
        except LookupError as exc:
            raise CommandError(f"{exc}: give a known encoding with --encoding") from exc
        except DomainError as exc:
            raise CommandError(f"import cancelled, nothing changed: {exc}") from exc
        result = summary.as_dict()
        if options["verbosity"] < 2:
            # Statement timings are for the benchmark and for operators who ask for them.
            result.pop("timings", None)
        self.stdout.write(json.dumps(result))
        if summary.bad_rows:
            sys.stderr.flush()
