"""Helpers shared by support views."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def paginate(request: HttpRequest, items: Any, per_page: int = 25) -> Page[Any]:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def safe_local_path(request: HttpRequest, value: str | None) -> str:
    """``value`` when it is a path of this site, otherwise an empty string."""
    if (
        value
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value[:500]
    return ""
