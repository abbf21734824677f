"""A Redis cache that degrades instead of failing when Redis is unreachable.

The cache holds nothing that must survive: rate-limit counters, memoised look-ups. When
Redis is down, a read misses, a write is dropped and the page is served (a rate limit is
then not enforced for that moment); the health check (``/healthz``) reports the cache as
down so that the operator knows. Without this, every page that touches the cache — the
login page first, through its rate limiter — answered HTTP 500.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")
_WARN_EVERY = 60.0


class FailSoftRedisCache(RedisCache):
    """:class:`RedisCache` whose operations fall back to a miss or a no-op on Redis errors."""

    _last_warning = 0.0

    def _soft(self, operation: Callable[[], T], fallback: T) -> T:
        try:
            return operation()
        except (RedisError, OSError):
            now = time.monotonic()
            if now - FailSoftRedisCache._last_warning > _WARN_EVERY:
                FailSoftRedisCache._last_warning = now
                logger.warning("cache unreachable: serving without it", exc_info=True)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft(lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._soft(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft(lambda: RedisCache.has_key(self, key, version), False)

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._soft(lambda: RedisCache.set(self, key, value, timeout, version), None)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        # allauth's rate limiter takes its lock with ``add`` and answers 429 when the lock
        # cannot be taken: with no cache there is nothing to share, so the lock is granted.
        return self._soft(lambda: RedisCache.add(self, key, value, timeout, version), True)

    def set_many(
        self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._soft(lambda: RedisCache.set_many(self, data, timeout, version), list(data))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft(lambda: RedisCache.delete(self, key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._soft(lambda: RedisCache.delete_many(self, keys, version), None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter that cannot be read is not "missing" (incr raises ValueError for that):
        # count from zero for this moment.
        return self._soft(lambda: RedisCache.incr(self, key, delta, version), delta)
