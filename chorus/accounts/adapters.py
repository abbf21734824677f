"""allauth adapters: our own rules for sign-up, mail and the second factor."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chorus.accounts.mfa import SECOND_FACTOR_TYPES, second_factor_status


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Sign-up is open; every account must verify its e-mail before logging in."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(getattr(settings, "CHORUS_SIGNUP_OPEN", True))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        context.setdefault("product_name", settings.CHORUS_PRODUCT_NAME)
        super().send_mail(template_prefix, email, context)


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """A required second factor cannot be switched off by its owner."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Two-factor authentication is required for your account: it cannot be deactivated."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type not in SECOND_FACTOR_TYPES:
            return True
        user = authenticator.user
        if not second_factor_status(user=user).required:
            return True
        return bool(
            Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES)
            .exclude(pk=authenticator.pk)
            .exists()
        )
