"""Template helpers for statuses: label, badge colour and the 2026-reform lifecycle code."""

from __future__ import annotations

from typing import Any

from django import template

from invoices.choices import REFORM_LIFECYCLE_CODE, InvoiceStatus
from invoices.reports import report_findings

register = template.Library()

_BADGES = {
    InvoiceStatus.REJECTED: "fr-badge--error",
    InvoiceStatus.SUSPENDED: "fr-badge--warning",
    InvoiceStatus.TO_RECYCLE: "fr-badge--warning",
    InvoiceStatus.PAYMENT_SENT: "fr-badge--success",
    InvoiceStatus.COMPLETED: "fr-badge--info",
    InvoiceStatus.MADE_AVAILABLE: "fr-badge--new",
}


@register.simple_tag
def status_label(status: str) -> str:
    try:
        return str(InvoiceStatus(status).label)
    except ValueError:
        return status


@register.simple_tag
def status_badge_class(status: str) -> str:
    badge: str = _BADGES.get(status, "fr-badge--info")  # type: ignore[call-overload]
    return badge


@register.simple_tag
def reform_code(status: str) -> str:
    return REFORM_LIFECYCLE_CODE.get(status, "")


@register.filter(name="report_findings")
def report_findings_filter(raw: Any) -> list[dict[str, str]]:
    """A stored report's findings with ``message`` in the active language."""
    return report_findings(raw)
