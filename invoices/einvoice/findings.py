"""Findings: what validation reports about a document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from invoices.einvoice.i18n import Message, Translate, untranslated

Severity = Literal["fatal", "warning"]

__all__ = ["Finding", "Location", "Severity"]


@dataclass(slots=True, frozen=True)
class Location:
    """Where a finding applies: an XPath-like path, a line number, a business term id."""

    xpath: str | None = None
    line: int | None = None
    bt: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.bt:
            parts.append(self.bt)
        if self.xpath:
            parts.append(self.xpath)
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts) or "document"


@dataclass(slots=True, frozen=True)
class Finding:
    """One problem found in a document.

    ``rule_id`` is the official rule id (``BR-CO-10``, ``UBL-SR-42``, ``CII-DT-031``...),
    ``XSD`` for a schema failure, or one of our own ``CHORUS-*`` ids for input that could
    not be read at all. The message says what is wrong *and* what to change; it is kept
    as English text plus parameters and translated where it is shown.
    """

    rule_id: str
    severity: Severity
    location: Location
    message: Message

    @property
    def is_fatal(self) -> bool:
        return self.severity == "fatal"

    def text(self, translate: Translate = untranslated) -> str:
        """The message in the language ``translate`` gives (English by default)."""
        return self.message.render(translate)

    def as_report(self) -> dict[str, object]:
        """The finding as stored in an integration report (JSON) and shown from it."""
        location = self.location
        where = str(location) if (location.bt or location.xpath or location.line) else ""
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "location": where,
            "message": self.message.as_json(),
        }
