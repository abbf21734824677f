"""Per-client rate limits (429 with ``Retry-After``), sized per connection."""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.throttling import SimpleRateThrottle

from chorus.api.authentication import ApiClient

logger = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    """Counts calls per OAuth client. If the cache is down, calls pass (and it is logged):
    a rate limiter must not turn a Redis outage into an API outage."""

    scope = "cpro_client"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        client = getattr(request, "auth", None)
        if not isinstance(client, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.connection.pk}

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return bool(super().allow_request(request, view))
        except Exception:  # the cache (Redis) is unreachable
            logger.warning("API rate limiter unavailable; call allowed", exc_info=True)
            return True
