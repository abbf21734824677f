"""Helpers shared by the writers: value formatting and a tiny element builder."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from datetime import date

    from invoices.einvoice.model import Identifier

__all__ = [
    "WriterError",
    "add",
    "format_amount",
    "format_date_102",
    "format_decimal",
    "identifier_list",
    "serialize",
]


class WriterError(ValueError):
    """The model cannot be written faithfully in the requested syntax or profile.

    ``term`` names the business term or group (``"BT-46"``, ``"BG-23"``...) that the
    syntax cannot carry as the model holds it; the message says why, in English (writers
    are called by code, not shown to users as such).
    """

    def __init__(self, message: str, *, term: str | None = None) -> None:
        super().__init__(message)
        self.term = term


def identifier_list(identifiers: list[Identifier]) -> str:
    """``scheme:value, value...``: identifiers as a refusal message quotes them."""
    return ", ".join(
        f"{i.scheme_id}:{i.value}" if i.scheme_id is not None else str(i.value) for i in identifiers
    )


_TWO_PLACES = Decimal("0.01")


def format_decimal(value: Decimal) -> str:
    """``xs:decimal`` lexical form: fixed point, never scientific notation.

    The exponent of the ``Decimal`` is kept (``Decimal("1.500")`` gives ``1.500``), so a
    value read from a document is written back as it was written.
    """
    if not value.is_finite():
        raise WriterError(f"not a finite decimal: {value!r}")
    text = format(value, "f")
    if text.startswith("-") and value == 0:
        # "-0.00" is a valid xs:decimal but reads oddly; zero has no sign.
        text = text[1:]
    return text


def format_amount(value: Decimal) -> str:
    """An amount (EN 16931 BR-DEC: at most two decimals): padded to two decimals.

    Extra decimals that are zeros are dropped (``1.500`` gives ``1.50``); significant
    extra decimals are kept so that the writer never changes a value: the validator
    then reports the BR-DEC rule, as it would for the original document.
    """
    if not value.is_finite():
        raise WriterError(f"not a finite amount: {value!r}")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # noqa: S101 - finite decimals have an int exponent
    if exponent > -2 or value == value.quantize(_TWO_PLACES):
        value = value.quantize(_TWO_PLACES)
    return format_decimal(value)


def format_date_102(value: date) -> str:
    """UN/CEFACT date format 102 (``YYYYMMDD``)."""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def add(
    parent: etree._Element,
    tag: str,
    text: str | None = None,
    attrib: dict[str, str | None] | None = None,
) -> etree._Element:
    """Append a child element with optional text and attributes (``None`` ones skipped)."""
    el = etree.SubElement(parent, tag)
    if text is not None:
        el.text = text
    if attrib:
        for key, value in attrib.items():
            if value is not None:
                el.set(key, value)
    return el


def serialize(root: etree._Element) -> bytes:
    """UTF-8 document with an XML declaration, indented for readability.

    Indentation only adds whitespace between elements: every element we write holds
    either text or children, never both, so no value changes.
    """
    etree.indent(root, space="  ")
    body = etree.tostring(root, encoding="UTF-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
