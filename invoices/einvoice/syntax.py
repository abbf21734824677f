"""Syntaxes and profiles, and detection of the syntax of some bytes."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "NS_CII",
    "NS_UBL_CREDIT_NOTE",
    "NS_UBL_INVOICE",
    "Profile",
    "Syntax",
    "detect_syntax",
    "profile_from_guideline",
    "syntax_from_root_tag",
]

NS_UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
NS_CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"

_ROOTS = {
    f"{{{NS_UBL_INVOICE}}}Invoice": "ubl-invoice",
    f"{{{NS_UBL_CREDIT_NOTE}}}CreditNote": "ubl-creditnote",
    f"{{{NS_CII}}}CrossIndustryInvoice": "cii",
}


class Syntax(StrEnum):
    """What a deposited file is. Values are stable strings used in reports."""

    UBL_INVOICE = "ubl-invoice"
    UBL_CREDIT_NOTE = "ubl-creditnote"
    CII = "cii"
    FACTURX_PDF = "facturx-pdf"
    PDF_WITHOUT_XML = "pdf-without-usable-xml"
    OTHER_XML = "other"
    """Well-formed XML whose root is neither UBL 2.1 nor CII D16B (e.g. ZUGFeRD 1.0)."""
    UNKNOWN = "unknown"
    """Neither a PDF nor well-formed, acceptable XML."""

    @property
    def is_xml_invoice(self) -> bool:
        return self in {Syntax.UBL_INVOICE, Syntax.UBL_CREDIT_NOTE, Syntax.CII}


class Profile(StrEnum):
    """Profile (or CIUS / extension) declared by the specification identifier BT-24."""

    MINIMUM = "MINIMUM"
    BASIC_WL = "BASIC WL"
    BASIC = "BASIC"
    EN16931 = "EN 16931"
    EXTENDED = "EXTENDED"
    XRECHNUNG = "XRECHNUNG"
    PEPPOL_BIS = "PEPPOL BIS 3"
    EN16931_CIUS = "EN 16931 CIUS"
    """Another CIUS or extension of EN 16931 (``urn:cen.eu:en16931:2017#...``)."""
    UNKNOWN = "UNKNOWN"


def syntax_from_root_tag(tag: str) -> Syntax:
    """Syntax of an XML document given the Clark-notation tag of its root element."""
    value = _ROOTS.get(tag)
    return Syntax(value) if value else Syntax.OTHER_XML


def profile_from_guideline(guideline_id: str | None) -> Profile:
    """Map a specification identifier (BT-24) to a :class:`Profile`.

    Recognises Factur-X 1.0 / ZUGFeRD 2.x ids (including the older
    ``urn:cen.eu:en16931:2017:compliant:factur-x.eu:1p0:basic`` spelling), XRechnung and
    Peppol BIS Billing 3.0.
    """
    if not guideline_id:
        return Profile.UNKNOWN
    gid = guideline_id.strip().lower()
    if gid == "urn:cen.eu:en16931:2017":
        return Profile.EN16931
    if gid.endswith(":minimum") and ("factur-x" in gid or "zugferd" in gid):
        return Profile.MINIMUM
    if gid.endswith(":basicwl") and ("factur-x" in gid or "zugferd" in gid):
        return Profile.BASIC_WL
    if gid.endswith(":basic") and ("factur-x" in gid or "zugferd" in gid):
        return Profile.BASIC
    if gid.endswith(":extended") and ("factur-x" in gid or "zugferd" in gid):
        return Profile.EXTENDED
    if gid.endswith(":en16931") and ("factur-x" in gid or "zugferd" in gid):
        return Profile.EN16931
    if "xrechnung" in gid:
        return Profile.XRECHNUNG
    if "peppol" in gid:
        return Profile.PEPPOL_BIS
    if gid.startswith("urn:cen.eu:en16931:2017"):
        return Profile.EN16931_CIUS
    return Profile.UNKNOWN


def detect_syntax(data: bytes) -> Syntax:
    """Tell what ``data`` is, without validating it.

    A PDF is opened (hardened) to see whether it embeds exactly one usable invoice XML;
    XML is parsed with the hardened parser and classified by its root element.
    """
    from invoices.einvoice.xmlsafe import XmlRejectedError, parse_xml

    if data[:5] == b"%PDF-":
        from invoices.einvoice.pdf import extract_invoice_xml

        extraction = extract_invoice_xml(data)
        return Syntax.FACTURX_PDF if extraction.xml is not None else Syntax.PDF_WITHOUT_XML
    try:
        root = parse_xml(data)
    except XmlRejectedError:
        return Syntax.UNKNOWN
    return syntax_from_root_tag(root.tag) if isinstance(root.tag, str) else Syntax.UNKNOWN
