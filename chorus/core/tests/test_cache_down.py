"""Redis down: pages still answer (the cache degrades), the health check says so (point 3)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from chorus.accounts.tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

UNREACHABLE = {
    "default": {
        "BACKEND": "chorus.core.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@override_settings(CACHES=UNREACHABLE)
def test_login_works_while_redis_is_down() -> None:
    user = make_user(second_factor=False)
    client = Client()

    assert client.get("/compte/login/").status_code == 200
    response = client.post("/compte/login/", {"login": user.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert client.get("/tableau-de-bord/").status_code in (200, 302)


@override_settings(CACHES=UNREACHABLE)
def test_the_health_check_tells_the_operator_the_cache_is_down() -> None:
    response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": True, "cache": False}


@override_settings(CACHES=UNREACHABLE)
def test_the_degraded_cache_misses_and_drops_writes() -> None:
    from django.core.cache import cache

    cache.set("k", "v")
    assert cache.get("k", "default") == "default"
    assert cache.add("k", "v") is True  # a lock that cannot be shared is granted
    assert cache.get_many(["k"]) == {}
