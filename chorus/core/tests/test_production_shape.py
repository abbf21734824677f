"""What the production image runs (issue 11 point 21: keep-alive, one proxy setting)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def _gunicorn_argv() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    match = re.search(r"^CMD (\[.*?\])", text, re.MULTILINE | re.DOTALL)
    assert match, "the Dockerfile has no CMD"
    return list(json.loads(match.group(1).replace("\\\n", "")))


def test_gunicorn_keeps_connections_open_longer_than_a_proxy_does():
    argv = _gunicorn_argv()

    assert argv[0] == "gunicorn"
    assert int(argv[argv.index("--keep-alive") + 1]) > 60


def test_one_trusted_proxy_setting_feeds_every_limiter():
    count = settings.PROXY_COUNT

    assert count == settings.ALLAUTH_TRUSTED_PROXY_COUNT
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == count
    assert (count or None) == settings.AXES_IPWARE_PROXY_COUNT
