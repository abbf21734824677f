"""Redirect targets taken from the request (``next`` and the like), checked in one place.

A ``next`` parameter is attacker-controlled: a link such as ``…?next=https://elsewhere``
would otherwise send a user who just acted on the portal to a look-alike site (an open
redirect, the classic phishing relay). Every view that redirects to, or stores, a URL it
was given goes through :func:`safe_next_url`.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Longer paths are not ours: no page of the portal needs more, and a stored path stays small.
MAX_NEXT_LENGTH = 500


def safe_next_url(request: HttpRequest, value: str | None, *, default: str = "") -> str:
    """``value`` when it is a local path of this site, otherwise ``default``.

    Only paths are accepted (``/factures/…``), never an absolute URL, even of our own host:
    nothing on the portal builds one, and refusing them leaves no scheme or host trick
    (``//elsewhere``, ``https:elsewhere``, ``/\\elsewhere``) for Django's check to weigh.
    """
    if (
        value
        and len(value) <= MAX_NEXT_LENGTH
        and value.startswith("/")
        and url_has_allowed_host_and_scheme(
            value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return value
    return default
