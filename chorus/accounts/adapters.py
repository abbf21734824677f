"""allauth adapter: our own rules for sign-up and mail."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Sign-up is open; every account must verify its e-mail before logging in."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "CHORUS_SIGNUP_OPEN", True))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context.setdefault("product_name", settings.CHORUS_PRODUCT_NAME)
        super().send_mail(template_prefix, email, context)
