"""allauth adapters: our own rules for sign-up, mail and the second factor."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
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
        """Mail in the portal's voice, every link on ``CHORUS_SITE_URL``.

        allauth builds its links from the request's host and signs with the request's site
        ("Hello from 127.0.0.1:18804!"): behind a proxy or from a worker, neither is the
        address users know.
        """
        context.setdefault("product_name", settings.CHORUS_PRODUCT_NAME)
        context.setdefault("site_url", settings.SITE_URL)
        context["current_site"] = PortalSite()
        request = context.get("request") or allauth_context.request
        if request is not None:
            # allauth's links: the request's host, under ACCOUNT_DEFAULT_HTTP_PROTOCOL.
            origin = re.compile(rf"^https?://{re.escape(request.get_host())}(?=/)")
            for key, value in list(context.items()):
                if isinstance(value, str):
                    context[key] = origin.sub(settings.SITE_URL, value, count=1)
        super().send_mail(template_prefix, email, context)


class PortalSite:
    """What allauth's templates call ``current_site``: the portal's name and address."""

    @property
    def name(self) -> str:
        return str(settings.CHORUS_PRODUCT_NAME)

    @property
    def domain(self) -> str:
        return str(settings.SITE_URL).split("://", 1)[-1]


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
