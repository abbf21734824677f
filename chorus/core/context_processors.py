"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """Product identity and the official-site switch, read once per request."""
    actor = getattr(request, "actor", None)
    return {
        "PRODUCT_NAME": settings.CHORUS_PRODUCT_NAME,
        "OFFICIAL_STATE_SITE": settings.CHORUS_OFFICIAL_STATE_SITE,
        "ACCESSIBILITY_STATUS": settings.CHORUS_ACCESSIBILITY_STATUS,
        "DEMO_INSTANCE": settings.CHORUS_DEMO,
        "actor": actor,
        "substituting": actor is not None and actor.on_behalf_of is not None,
    }
