"""Print the current TOTP code of a demo account, for logging in without a phone.

Only the demo accounts (``chorus.accounts.demo.DEMO_USERS``) are served: their secrets are
public anyway, while printing a real user's code would be a way around their second factor.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chorus.accounts.demo import DEMO_USERS
from chorus.accounts.mfa import totp_current_code
from chorus.accounts.models import User


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (see seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="E-mail of a demo account, e.g. agent@demo.chorus.test")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow it with DEBUG off (on a demonstration instance only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not settings.TESTING and not options["force"]:
            raise CommandError(
                "Refusing to print codes with DEBUG=0: demo accounts belong to demonstration "
                "instances. Use --force on one."
            )
        email = str(options["email"]).strip().lower()
        if email not in {demo.email for demo in DEMO_USERS}:
            raise CommandError(
                f"{email} is not a demo account: codes are printed for "
                + ", ".join(demo.email for demo in DEMO_USERS)
                + " only."
            )
        user = User.objects.filter(email=email).first()
        code = totp_current_code(user=user) if user is not None else None
        if code is None:
            raise CommandError(
                f"{email} has no authenticator app: run `manage.py seed_demo` first "
                "(only accounts that need a second factor get one)."
            )
        period = mfa_settings.TOTP_PERIOD
        remaining = period - int(time.time()) % period
        self.stdout.write(code)
        self.stderr.write(f"valid for {remaining} more second(s), once")
