"""Create the qualification data set (« matelas de données ») and print it as one JSON document.

Refused with ``DEBUG=0``: the document holds working credentials, and the structures are
fictitious ones that have no place on a production instance.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from chorus.api.sandbox import sandbox_seed


class Command(BaseCommand):
    help = (
        "Create or refresh the qualification structures, services and technical accounts "
        "(idempotent; new credentials on each run) and print them as JSON. DEBUG only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_sandbox is refused with DEBUG=0: it creates fictitious structures and "
                "prints working API credentials. Run it on a development or qualification "
                "instance started with DEBUG=1."
            )
        self.stdout.write(json.dumps(sandbox_seed(), ensure_ascii=False, indent=2))
