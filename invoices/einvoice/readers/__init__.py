"""Readers: bytes -> parsed tree -> EN 16931 model, for UBL, CII and Factur-X PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from invoices.einvoice.findings import Finding, Location
from invoices.einvoice.i18n import Message, gettext_noop
from invoices.einvoice.readers._common import ReadError
from invoices.einvoice.readers._common import line_of as _line_of
from invoices.einvoice.readers.cii import read_cii
from invoices.einvoice.readers.ubl import read_ubl
from invoices.einvoice.syntax import NS_CII, Syntax, syntax_from_root_tag

if TYPE_CHECKING:
    from lxml import etree

    from invoices.einvoice.model import Invoice
    from invoices.einvoice.pdf import PdfExtraction
    from invoices.einvoice.validation.docindex import DocIndex

__all__ = [
    "InvoiceReadError",
    "ReadError",
    "ReadResult",
    "read_cii",
    "read_document",
    "read_invoice",
    "read_ubl",
]


@dataclass(slots=True)
class ReadResult:
    """What reading some bytes gave: syntax, tree, model, and why not when it failed."""

    syntax: Syntax
    xml_syntax: Syntax | None = None
    """Syntax of the XML itself (for a Factur-X PDF: ``CII`` or ``OTHER_XML``)."""
    root: etree._Element | None = None
    invoice: Invoice | None = None
    pdf: PdfExtraction | None = None
    findings: list[Finding] = field(default_factory=list)
    index: DocIndex | None = None
    """Path index of ``root`` (only when asked for with ``index=True``)."""


class InvoiceReadError(Exception):
    """Raised by :func:`read_invoice` when no model could be built."""

    def __init__(self, result: ReadResult):
        first = result.findings[0] if result.findings else None
        super().__init__(first.text() if first else "unreadable invoice")
        self.result = result


def _root_finding(tag: str, line: int | None) -> Finding:
    return Finding(
        "CHORUS-ROOT",
        "fatal",
        Location(xpath="/" + tag, line=line),
        Message.of(
            gettext_noop(
                "The root element %(tag)s is neither a UBL 2.1 invoice (Invoice, CreditNote) nor a "
                "CII D16B invoice (CrossIndustryInvoice, Factur-X / ZUGFeRD 2). Older formats such "
                "as ZUGFeRD 1.0 are not accepted: export the invoice as Factur-X, UBL or CII."
            ),
            tag=tag,
        ),
    )


def read_document(data: bytes, *, index: bool = False) -> ReadResult:
    """Read bytes of any supported kind. Never raises on bad input.

    With ``index=True`` the path index of the tree (:class:`DocIndex`) is built right after
    parsing, before the model: it holds a Python proxy for every element, so the reader's
    walks reuse those proxies instead of creating and freeing one per visit (lxml creates
    a proxy on each access to an element nobody references), and the syntax rules get the
    index for free.
    """
    from invoices.einvoice.xmlsafe import XmlRejectedError, parse_xml

    result = ReadResult(syntax=Syntax.UNKNOWN)
    xml = data
    if data[:5] == b"%PDF-":
        from invoices.einvoice.pdf import extract_invoice_xml

        extraction = extract_invoice_xml(data)
        result.pdf = extraction
        result.findings.extend(extraction.findings)
        if extraction.xml is None:
            result.syntax = Syntax.PDF_WITHOUT_XML
            return result
        result.syntax = Syntax.FACTURX_PDF
        xml = extraction.xml
    try:
        root = parse_xml(xml)
    except XmlRejectedError as exc:
        if result.syntax is Syntax.FACTURX_PDF:
            result.syntax = Syntax.PDF_WITHOUT_XML
        result.findings.append(Finding(exc.rule_id, "fatal", Location(line=exc.line), exc.message))
        return result
    tag = root.tag if isinstance(root.tag, str) else ""
    xml_syntax = syntax_from_root_tag(tag)
    unanchored = False
    if xml_syntax is Syntax.OTHER_XML and tag.startswith("{" + NS_CII + "}"):
        # A CII-namespace root with the wrong name: the official validator still runs the
        # CII rules (those anchored on /rsm:CrossIndustryInvoice see nothing). Do the same.
        xml_syntax = Syntax.CII
        unanchored = True
        result.findings.append(_root_finding(_prefixed(root), _line_of(root)))
    result.xml_syntax = xml_syntax
    result.root = root
    if index and xml_syntax.is_xml_invoice:
        from invoices.einvoice.validation.docindex import DocIndex

        result.index = DocIndex(root)
    if result.syntax is not Syntax.FACTURX_PDF:
        result.syntax = xml_syntax
    if xml_syntax is Syntax.OTHER_XML or (
        result.syntax is Syntax.FACTURX_PDF and xml_syntax is not Syntax.CII
    ):
        result.findings.append(_root_finding(_prefixed(root), _line_of(root)))
        return result
    try:
        result.invoice = read_cii(root) if xml_syntax is Syntax.CII else read_ubl(root)
        if unanchored:
            result.invoice.facts["unanchored"] = True
    except ReadError as exc:
        result.findings.append(
            Finding("CHORUS-READ", "fatal", Location(xpath=exc.path, line=exc.line), exc.message)
        )
    return result


def _prefixed(root: etree._Element) -> str:
    tag = root.tag if isinstance(root.tag, str) else "?"
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return f"{local} ({ns})" if ns else local


def read_invoice(data: bytes) -> Invoice:
    """Bytes (UBL, CII or Factur-X PDF) to the semantic model; raise if impossible."""
    result = read_document(data)
    if result.invoice is None:
        raise InvoiceReadError(result)
    return result.invoice
