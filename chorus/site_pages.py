"""The footer's pages every public site owes its users: legal notice, personal data,
accessibility statement, site map.

Their prose is long and legal: it is written once per language in its own template
(``site/<page>.<lang>.html``) rather than cut into dozens of catalogue entries; the facts that
change from one deployment to the next (operator, host, contacts, audit state) come from
settings, so that an operator publishes true pages without editing templates.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

PAGES = ("legal_notice", "personal_data", "accessibility")


def _language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in {"fr", "en"} else "fr"


def operator_facts() -> dict[str, object]:
    """What the pages state about this deployment, from ``CHORUS_*`` settings."""
    return {
        "operator": settings.CHORUS_OPERATOR,
        "host": settings.CHORUS_HOST,
        "contact_email": settings.CHORUS_CONTACT_EMAIL,
        "dpo_email": settings.CHORUS_DPO_EMAIL,
        "accessibility_status": settings.CHORUS_ACCESSIBILITY_STATUS,
        "accessibility_audit": settings.CHORUS_ACCESSIBILITY_AUDIT,
        "source_url": settings.CHORUS_SOURCE_URL,
    }


def _page(request: HttpRequest, page: str) -> HttpResponse:
    return render(request, f"site/{page}.{_language()}.html", operator_facts())


def legal_notice_view(request: HttpRequest) -> HttpResponse:
    return _page(request, "legal_notice")


def personal_data_view(request: HttpRequest) -> HttpResponse:
    return _page(request, "personal_data")


def accessibility_view(request: HttpRequest) -> HttpResponse:
    return _page(request, "accessibility")


def site_map_view(request: HttpRequest) -> HttpResponse:
    """The menu the visitor has (their roles decide it), then every public page."""
    return render(request, "site/site_map.html")
