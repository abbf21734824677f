"""Create the demo users (idempotent) and print their logins and TOTP secrets.

Every kind of user the portal knows gets one account. Organisations and documents are added
to these users by the features that own them (``seed_demo`` hooks in their apps).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.accounts.demo import demo_seed


class Command(BaseCommand):
    help = "Create or refresh the demo users and print their logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow seeding with DEBUG off (demo passwords are public: never in production).",
        )
        parser.add_argument("--json", action="store_true", help="Print the logins as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not settings.TESTING and not options["force"]:
            raise CommandError(
                "Refusing to create demo users with DEBUG=0: their passwords are public. "
                "Use --force on a demonstration instance."
            )
        logins = demo_seed()
        if options["json"]:
            self.stdout.write(json.dumps(logins))
            return
        width = max(len(item["email"]) for item in logins)
        self.stdout.write(
            self.style.SUCCESS("Demo logins (e-mail / password / TOTP secret when one is needed):")
        )
        for item in logins:
            secret = f"  TOTP {item['totp_secret']}" if item["totp_secret"] else ""
            self.stdout.write(
                f"  {item['email'].ljust(width)}  {item['password']}{secret}  ({item['role']})"
            )
        self.stdout.write(
            "Second factor: add the secret to an authenticator app, or run "
            "`manage.py demo_totp EMAIL` for the current code."
        )
