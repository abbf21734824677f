"""Run every ``bench_*`` command with its defaults; each prints one JSON line."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run every benchmark of the project (bench_* commands), one JSON line each."

    def handle(self, *args: Any, **options: Any) -> None:
        names = sorted(name for name in get_commands() if name.startswith("bench_"))
        names.remove("bench_all")
        failures = 0
        for name in names:
            try:
                call_command(name, stdout=sys.stdout)
            except (Exception, SystemExit) as exc:  # one broken benchmark must not hide others
                failures += 1
                error = f"exited with code {exc.code}" if isinstance(exc, SystemExit) else str(exc)
                sys.stdout.write(json.dumps({"benchmark": name, "error": error}) + "\n")
        if not names:
            sys.stdout.write(
                json.dumps({"benchmark": "none", "error": "no bench_* command"}) + "\n"
            )
        if failures:
            sys.exit(1)
