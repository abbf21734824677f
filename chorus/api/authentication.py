"""Every ``/cpro/`` call carries a bearer token *and* the technical account (``cpro-account``).

The token says which OAuth client calls; ``cpro-account`` (base64 of ``login:password``, as
Chorus Pro) says which technical account, and it must belong to that client's connection.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.request import Request

from chorus.accounts.models import Membership, User
from chorus.api.models import ApiConnection, TechnicalAccount
from chorus.api.secrets import secret_matches


@dataclass(frozen=True)
class ApiClient:
    """Who calls: the connection, its technical account and that account's membership."""

    connection: ApiConnection
    account: TechnicalAccount
    membership: Membership

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.connection.scopes)


class Refused(exceptions.AuthenticationFailed):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code)


def _technical_credentials(request: Request) -> tuple[str, str]:
    raw = request.headers.get("cpro-account", "").strip()
    if not raw:
        raise Refused(
            _(
                "The cpro-account header is missing: send base64(login:password) of the "
                "technical account."
            ),
            "TECHNICAL_ACCOUNT_MISSING",
        )
    try:
        decoded = base64.b64decode(raw, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    login, sep, password = decoded.partition(":")
    if not sep or not login or not password:
        raise Refused(
            _("The cpro-account header is not base64(login:password)."),
            "TECHNICAL_ACCOUNT_MALFORMED",
        )
    return login, password


class CproAuthentication(OAuth2Authentication):  # type: ignore[misc]
    """Bearer token (django-oauth-toolkit) plus the technical account of its connection."""

    def authenticate(self, request: Request) -> tuple[User, ApiClient] | None:
        result = super().authenticate(request)
        if result is None:
            raise Refused(
                _(
                    "No valid access token: ask one at /api/oauth/token and send it as "
                    "'Authorization: Bearer <token>'."
                ),
                "TOKEN_INVALID",
            )
        _user, token = result
        connection: ApiConnection | None = getattr(token.application, "connection", None)
        if connection is None or not connection.is_active():
            raise Refused(_("This API connection is revoked or expired."), "CONNECTION_INACTIVE")
        login, password = _technical_credentials(request)
        account = (
            TechnicalAccount.objects.select_related("user")
            .filter(login=login, connection=connection)
            .first()
        )
        if account is None or not secret_matches(password, account.password_hash):
            raise Refused(
                _("Unknown technical account or wrong password for this API connection."),
                "TECHNICAL_ACCOUNT_INVALID",
            )
        if account.password_expires_at <= timezone.now():
            raise Refused(
                _(
                    "The technical account's password has expired: set a new one in the "
                    "portal (Structure > API connections)."
                ),
                "TECHNICAL_ACCOUNT_PASSWORD_EXPIRED",
            )
        membership = (
            Membership.objects.select_related("structure")
            .filter(user=account.user, structure_id=connection.structure_id)
            .first()
        )
        if membership is None or not membership.structure.is_active:
            raise Refused(_("This API connection's structure is inactive."), "STRUCTURE_INACTIVE")
        connection.application = token.application
        client = ApiClient(connection=connection, account=account, membership=membership)
        return account.user, client

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="cpro"'


def api_client(request: Any) -> ApiClient:
    """The authenticated client of a ``/cpro/`` request (set by :class:`CproAuthentication`)."""
    client = getattr(request, "auth", None)
    if not isinstance(client, ApiClient):
        raise exceptions.NotAuthenticated()
    return client
