"""Header facts of the invoice feature: the unread notification counter."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def notifications(request: HttpRequest) -> dict[str, Any]:
    """A callable, so that pages that never show the counter cost no query."""

    def unread() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        cached: int | None = getattr(request, "_chorus_unread", None)
        if cached is None:
            cached = user.invoice_notifications.filter(read_at__isnull=True).count()
            request._chorus_unread = cached  # type: ignore[attr-defined]
        return cached

    return {"unread_notifications": unread}
