"""Test helpers for API clients: a connection, its token, its headers (used by app tests)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.test import Client

from chorus.accounts.models import Structure
from chorus.api.choices import Scope
from chorus.api.services import Credentials, api_connection_create
from chorus.core.actor import system_actor


@dataclass
class CproCaller:
    """Calls ``/cpro/`` services as one connection, through the real token endpoint."""

    client: Client
    credentials: Credentials
    token: str = ""

    def fetch_token(self) -> str:
        response = self.client.post(
            "/api/oauth/token",
            {
                "grant_type": "client_credentials",
                "client_id": self.credentials.client_id,
                "client_secret": self.credentials.client_secret,
                "scope": "openid",
            },
        )
        if response.status_code != 200:
            raise AssertionError(f"no token: {response.status_code} {response.content!r}")
        self.token = response.json()["access_token"]
        return self.token

    def headers(self) -> dict[str, str]:
        if not self.token:
            self.fetch_token()
        account = f"{self.credentials.login}:{self.credentials.password}".encode()
        return {
            "Authorization": f"Bearer {self.token}",
            "cpro-account": base64.b64encode(account).decode(),
        }

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.client.post(
            path,
            body,
            content_type="application/json;charset=utf-8",
            headers={**self.headers(), **headers},
        )

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.headers())


def cpro_caller(structure: Structure, scopes: Iterable[str] = tuple(Scope.values)) -> CproCaller:
    credentials = api_connection_create(
        actor=system_actor("test"), structure=structure, name="ERP", scopes=scopes
    )
    return CproCaller(client=Client(), credentials=credentials)
