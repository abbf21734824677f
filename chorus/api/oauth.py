"""The token endpoint's client check: the current secret, or a rotated-out one still valid."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password
from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator


class CproOAuth2Validator(OAuth2Validator):  # type: ignore[misc]
    """Refuse clients of revoked or expired connections; accept secrets in their overlap."""

    def _load_application(self, client_id: str, request: Any) -> Any:
        application = super()._load_application(client_id, request)
        if application is None:
            return None
        connection = getattr(application, "connection", None)
        if connection is None or not connection.is_active():
            request.client = None
            return None
        self._connection = connection
        return application

    def _check_secret(self, provided_secret: str, stored_secret: str) -> bool:
        if super()._check_secret(provided_secret, stored_secret):
            return True
        connection = getattr(self, "_connection", None)
        if connection is None:
            return False
        now = timezone.now()
        return any(
            check_password(provided_secret, previous.secret_hash)
            for previous in connection.previous_secrets.filter(valid_until__gt=now)
        )
