"""The client's address, the same way for every limiter and log.

allauth's reading (``ALLAUTH_TRUSTED_PROXY_COUNT``, set from ``CHORUS_PROXY_COUNT``) is the
one used: axes and DRF are configured from the same setting, so that a rate limit, a lock-out
record and an audit row name the same address.
"""

from __future__ import annotations

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    try:
        ip: str | None = get_client_ip(request)
        return ip
    except ImproperlyConfigured:  # X-Forwarded-For shorter than the configured proxy chain
        return str(request.META.get("REMOTE_ADDR") or "") or None
