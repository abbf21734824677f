"""Create an API connection for a structure, as an operator: one JSON line of credentials."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.accounts.models import Structure
from chorus.api.choices import Scope
from chorus.api.services import api_connection_create
from chorus.core.actor import system_actor
from chorus.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Create an API connection (OAuth client + technical account) for a structure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--structure", required=True, help="the structure's SIRET")
        parser.add_argument(
            "--scopes",
            default=",".join(Scope.values),
            help=f"comma-separated, among {', '.join(Scope.values)} (default: all)",
        )
        parser.add_argument("--name", default="API", help="the software the connection is for")

    def handle(self, *args: Any, **options: Any) -> None:
        identifier = options["structure"].replace(" ", "")
        structure = Structure.objects.filter(identifier=identifier).order_by("pk").first()
        if structure is None:
            raise CommandError(f"no structure with identifier {identifier}")
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        try:
            credentials = api_connection_create(
                actor=system_actor("api_client_create"),
                structure=structure,
                name=options["name"],
                scopes=scopes,
            )
        except DomainError as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(json.dumps(credentials.as_json()))
