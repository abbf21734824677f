"""Small, fast value parsers shared by the readers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml import etree

    from invoices.einvoice.i18n import Message
    from invoices.einvoice.model import Invoice, PaymentInstructions

__all__ = [
    "ReadError",
    "line_of",
    "parse_date_102",
    "parse_date_iso",
    "parse_decimal",
    "share_payment_terms",
    "string_value",
    "text_of",
]


class ReadError(Exception):
    """The document cannot be mapped to the semantic model (structure too broken)."""

    def __init__(self, message: Message, line: int | None, path: str | None):
        super().__init__(message.render())
        self.message = message
        self.line = line
        self.path = path


_DIGITS = frozenset("0123456789")


def text_of(el: etree._Element) -> str:
    """Text of a leaf element as written ("" when empty)."""
    t = el.text
    if t is None:
        return ""
    if len(el):
        return string_value(el)  # mixed content: XPath string() concatenates descendant text
    return t


def string_value(el: etree._Element) -> str:
    """XPath ``string()`` of an element: all descendant text."""
    texts: Iterable[str] = el.itertext()  # type: ignore[assignment]
    return "".join(texts)


def parse_decimal(
    raw: str, invoice: Invoice | None = None, bt: str | None = None
) -> Decimal | None:
    """Parse an ``xs:decimal`` lexical value; ``None`` (and a note in ``unparsed``) if invalid."""
    s = raw.strip()
    body = s[1:] if s[:1] in "+-" else s
    intpart, _, frac = body.partition(".")
    if (intpart or frac) and _DIGITS.issuperset(intpart) and _DIGITS.issuperset(frac):
        try:
            return Decimal(s)
        except InvalidOperation:  # pragma: no cover - guarded by the lexical check
            pass
    if invoice is not None and bt is not None:
        invoice.unparsed.setdefault(bt, raw)
    return None


def parse_date_iso(raw: str, invoice: Invoice | None = None, bt: str | None = None) -> date | None:
    """Parse an ``xs:date`` (``YYYY-MM-DD`` with an optional time zone)."""
    s = raw.strip()
    if len(s) >= 10 and s[4:5] == "-" and s[7:8] == "-":
        tail = s[10:]
        if not tail or tail == "Z" or (tail[:1] in "+-" and len(tail) == 6 and tail[3] == ":"):
            try:
                return date(int(s[0:4]), int(s[5:7]), int(s[8:10]))
            except ValueError:
                pass
    if invoice is not None and bt is not None:
        invoice.unparsed.setdefault(bt, raw)
    return None


def parse_date_102(raw: str, invoice: Invoice | None = None, bt: str | None = None) -> date | None:
    """Parse a UN/CEFACT date of format 102 (``YYYYMMDD``)."""
    s = raw.strip()
    if len(s) == 8 and s.isdigit():
        try:
            return date(int(s[0:4]), int(s[4:6]), int(s[6:8]))
        except ValueError:
            pass
    if invoice is not None and bt is not None:
        invoice.unparsed.setdefault(bt, raw)
    return None


def line_of(el: etree._Element) -> int | None:
    """Source line of an element (typed: the lxml stubs leave ``sourceline`` untyped)."""
    line: int | None = el.sourceline  # type: ignore[assignment]
    return line


def share_payment_terms(instructions: list[PaymentInstructions]) -> None:
    """Give the invoice's payment means text and remittance information to every means.

    EN 16931 has one BG-16 per invoice, so BT-82 and BT-83 are one per invoice; the model
    keeps one ``PaymentInstructions`` per payment means of the syntax (one per account).
    UBL allows one ``PaymentMeansCode/@name`` (UBL-SR-46) and one ``PaymentID`` value
    (UBL-SR-44) in the document, often written on the first payment means only; CII has
    one document-level ``ram:PaymentReference`` and an ``ram:Information`` per payment
    means, often on the first one only. A single value belongs to every payment means,
    whichever syntax it was read from, so the same invoice gives the same model; several
    different values are kept as written.
    """
    if len(instructions) < 2:
        return
    texts = {pm.means_text for pm in instructions} - {None}
    if len(texts) == 1:
        text = texts.pop()
        for pm in instructions:
            pm.means_text = text
    remittances = {pm.remittance_information for pm in instructions} - {None}
    if len(remittances) == 1:
        remittance = remittances.pop()
        for pm in instructions:
            pm.remittance_information = remittance
