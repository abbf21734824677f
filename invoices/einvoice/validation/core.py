"""The validation pipeline: read, XSD, EN 16931 rules, syntax rules, optional rule sets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from invoices.einvoice.findings import Finding, Location
from invoices.einvoice.i18n import Message, gettext_noop
from invoices.einvoice.readers import read_document
from invoices.einvoice.syntax import Profile, Syntax, profile_from_guideline
from invoices.einvoice.validation.messages import message_for

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml import etree

    from invoices.einvoice.model import Invoice, SourceLocation
    from invoices.einvoice.validation.docindex import DocIndex

__all__ = [
    "RULE_SET_EN16931",
    "RULE_SET_FR",
    "ValidationReport",
    "validate_invoice",
]

RULE_SET_EN16931 = "en16931"
RULE_SET_FR = "fr"


@dataclass(slots=True)
class ValidationReport:
    """Verdict on one document."""

    syntax: Syntax
    profile: Profile
    valid: bool
    findings: list[Finding] = field(default_factory=list)
    invoice: Invoice | None = None
    filename: str | None = None

    @property
    def fatal_rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.findings if f.severity == "fatal"})

    @property
    def warning_rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.findings if f.severity == "warning"})


def _finding(rule_id: str, severity: str, location: Location) -> Finding:
    return Finding(rule_id, severity, location, message_for(rule_id))  # type: ignore[arg-type]


def _model_location(where: SourceLocation | None) -> Location:
    if where is None:
        return Location()
    return Location(xpath=where.path, line=where.line)


_WARNING_RULES = frozenset({"BR-51"})


def validate_invoice(
    data: bytes,
    *,
    filename: str | None = None,
    rule_sets: Iterable[str] = (RULE_SET_EN16931,),
) -> ValidationReport:
    """Judge ``data`` (UBL, CII or Factur-X PDF bytes) as an EN 16931 invoice.

    Never raises on bad input: unreadable documents get ``CHORUS-*`` findings.
    """
    try:
        return _validate(data, filename, tuple(rule_sets))
    except Exception as exc:
        finding = Finding(
            "CHORUS-INTERNAL",
            "fatal",
            Location(),
            Message.of(
                gettext_noop(
                    "The document could not be analysed because of an internal validator error "
                    "(%(name)s). Report it to support with the file."
                ),
                name=type(exc).__name__,
            ),
        )
        return ValidationReport(
            syntax=Syntax.UNKNOWN,
            profile=Profile.UNKNOWN,
            valid=False,
            findings=[finding],
            filename=filename,
        )


def _validate(data: bytes, filename: str | None, rule_sets: tuple[str, ...]) -> ValidationReport:
    result = read_document(data, index=True)
    findings = list(result.findings)
    invoice = result.invoice
    profile = profile_from_guideline(invoice.specification_identifier if invoice else None)
    root = result.root
    xml_syntax = result.xml_syntax
    if root is not None and xml_syntax is not None and xml_syntax.is_xml_invoice:
        findings.extend(_xsd_findings(root, xml_syntax))
        if RULE_SET_EN16931 in rule_sets and invoice is not None:
            ambiguous = invoice.facts.get("ambiguous")
            if ambiguous:
                findings.append(_rules_skipped(ambiguous))
            else:
                findings.extend(_en16931_findings(invoice, root, xml_syntax, result.index))
    if RULE_SET_FR in rule_sets and invoice is not None:
        from invoices.einvoice.validation.rules_fr import check_fr

        findings.extend(check_fr(invoice))
    valid = not any(f.severity == "fatal" for f in findings)
    return ValidationReport(
        syntax=result.syntax,
        profile=profile,
        valid=valid,
        findings=findings,
        invoice=invoice,
        filename=filename,
    )


def _rules_skipped(bt: str) -> Finding:
    return Finding(
        "CHORUS-RULES-SKIPPED",
        "warning",
        Location(bt=bt),
        Message.of(
            gettext_noop(
                "Term %(bt)s (electronic address) holds several values in one group: the document "
                "is ambiguous and the EN 16931 rules cannot be evaluated (the official validator "
                "fails too). Give a single URIID per URIUniversalCommunication."
            ),
            bt=bt,
        ),
    )


def _xsd_findings(root: etree._Element, syntax: Syntax) -> list[Finding]:
    from invoices.einvoice.schemas import xsd_errors

    out = []
    for line, message in xsd_errors(root, syntax):
        out.append(
            Finding(
                "XSD",
                "fatal",
                Location(line=line),
                Message.of(
                    gettext_noop(
                        "The document does not follow the %(syntax)s XSD schema (line %(line)s): "
                        "%(message)s Fix the structure there (missing, extra or misplaced element, "
                        "or badly formed value)."
                    ),
                    syntax=syntax.value,
                    line=line,
                    message=message,
                ),
            )
        )
    return out


def _en16931_findings(
    invoice: Invoice, root: etree._Element, syntax: Syntax, index: DocIndex | None = None
) -> list[Finding]:
    from invoices.einvoice.validation.docindex import DocIndex
    from invoices.einvoice.validation.en16931 import check_en16931

    out: list[Finding] = []
    seen: set[tuple[str, int | None]] = set()
    for rule_id, where in check_en16931(invoice):
        key = (rule_id, where.line if where else None)
        if key in seen:
            continue
        seen.add(key)
        severity = "warning" if rule_id in _WARNING_RULES else "fatal"
        out.append(_finding(rule_id, severity, _model_location(where)))
    if syntax is Syntax.CII:
        from invoices.einvoice.validation.syntax_cii import check_cii_syntax

        hits = check_cii_syntax(root, index or DocIndex(root))
    else:
        from invoices.einvoice.validation.syntax_ubl import check_ubl_syntax

        hits = check_ubl_syntax(root, index or DocIndex(root))
    for rule_id, flag, line in hits:
        key = (rule_id, line)
        if key in seen:
            continue
        seen.add(key)
        out.append(_finding(rule_id, flag, Location(line=line)))
    return out
