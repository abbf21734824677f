"""Way-back links of the error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import template
from django.http import HttpRequest

from chorus.core.http import safe_next_url

register = template.Library()


@register.simple_tag
def previous_page(request: HttpRequest | None) -> str:
    """The page the user came from, when it is one of ours, else "".

    The Referer is client-controlled: only its path is kept, and only when it names this
    host, so a "back" link never becomes an open redirect. No script is needed (the CSP
    refuses inline ``history.back()``).
    """
    if request is None:
        return ""
    referer = request.headers.get("Referer", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.get_host():
        return ""
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if path == request.get_full_path():
        return ""
    return safe_next_url(request, path)
