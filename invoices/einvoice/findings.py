"""Findings: what validation reports about a document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    not be read at all. Messages say what is wrong *and* what to change.
    """

    rule_id: str
    severity: Severity
    location: Location
    message_fr: str
    message_en: str

    @property
    def is_fatal(self) -> bool:
        return self.severity == "fatal"

    def as_report(self) -> dict[str, str]:
        """The finding as stored in an integration report (JSON) and shown from it."""
        location = self.location
        where = str(location) if (location.bt or location.xpath or location.line) else ""
        return {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "location": where,
            "message_fr": self.message_fr,
            "message_en": self.message_en,
        }
