"""The integration report of a deposit as people read it: findings in their language, CSV rows.

One definition for the supplier's download and support's hypervision download, so the two
never drift apart.
"""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chorus.core.csvexport import csv_rows
from invoices.einvoice.i18n import Message
from invoices.models import Flow


def finding_message(finding: dict[str, Any]) -> str:
    """A stored finding's message, translated into the active language now.

    Reports store the English text and its parameters (``Finding.as_report``); reports
    written before that stored a French and an English sentence, still read here.
    """
    message = finding.get("message")
    if isinstance(message, dict):
        return Message.from_json(message).render(_)
    english = (get_language() or "fr").startswith("en")
    legacy = finding.get("message_en") if english else finding.get("message_fr")
    return str(legacy or finding.get("message_fr") or "")


def report_findings(raw: Any) -> list[dict[str, str]]:
    """Findings of a stored report, the message in the active language (French by default)."""
    result = []
    for finding in raw if isinstance(raw, list) else []:
        if not isinstance(finding, dict):
            continue
        result.append(
            {
                "rule_id": str(finding.get("rule_id", "")),
                "severity": str(finding.get("severity", "")),
                "location": str(finding.get("location", "")),
                "message": finding_message(finding),
            }
        )
    return result


def flow_report_rows(flow: Flow) -> list[list[object]]:
    """One row per finding (deposit-level first), one row per document without findings."""
    report = flow.report if isinstance(flow.report, dict) else {}
    rows: list[list[object]] = []
    for finding in report_findings(report.get("findings")):
        rows.append(["", "", "", finding["rule_id"], finding["severity"], "", finding["message"]])
    for document in report.get("documents") or []:
        if not isinstance(document, dict):
            continue
        findings = report_findings(document.get("findings"))
        head = [
            document.get("name", ""),
            document.get("invoice_number", ""),
            document.get("result", ""),
        ]
        if not findings:
            rows.append(head)
        for finding in findings:
            rows.append(
                [
                    *head,
                    finding["rule_id"],
                    finding["severity"],
                    finding["location"],
                    finding["message"],
                ]
            )
    return rows


def flow_report_csv_response(flow: Flow) -> StreamingHttpResponse:
    header = [
        _("File"),
        _("Invoice number"),
        _("Result"),
        _("Rule"),
        _("Severity"),
        _("Location"),
        _("Message"),
    ]
    response = StreamingHttpResponse(
        csv_rows(header, flow_report_rows(flow)), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="compte-rendu_{flow.number}.csv"'
    return response
