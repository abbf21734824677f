"""The token endpoint's client check: the current secret, or a rotated-out one still valid."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.contrib.auth.hashers import check_password
from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator

# The validator is shared by every request (oauthlib's server is built once): the
# connection being authenticated is kept per request's thread/context, never on ``self``.
_CONNECTION: ContextVar[Any] = ContextVar("cpro_connection", default=None)


class CproOAuth2Validator(OAuth2Validator):  # type: ignore[misc]
    """Refuse clients of revoked or expired connections; accept secrets in their overlap."""

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        reset = _CONNECTION.set(None)
        try:
            return bool(super().authenticate_client(request, *args, **kwargs))
        finally:
            _CONNECTION.reset(reset)

    def _load_application(self, client_id: str, request: Any) -> Any:
        application = super()._load_application(client_id, request)
        if application is None:
            return None
        connection = getattr(application, "connection", None)
        if connection is None or not connection.is_active():
            request.client = None
            return None
        _CONNECTION.set(connection)
        return application

    def _check_secret(self, provided_secret: str, stored_secret: str) -> bool:
        if super()._check_secret(provided_secret, stored_secret):
            return True
        connection = _CONNECTION.get()
        if connection is None:
            return False
        now = timezone.now()
        return any(
            check_password(provided_secret, previous.secret_hash)
            for previous in connection.previous_secrets.filter(valid_until__gt=now)
        )
