"""django-axes glue: which account a failed login attempt belongs to."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username_from_request(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """Return the e-mail the attempt targeted, lower-cased.

    allauth authenticates with ``email=…`` while the admin login posts ``username``; both
    must count against the same account so that the lock-out cannot be sidestepped.
    """
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        value = credentials.get(key)
        if value:
            return str(value).strip().lower()
    if request is not None:
        for key in ("login", "email", "username"):
            value = request.POST.get(key) if request.method == "POST" else None
            if value:
                return str(value).strip().lower()
    return ""
