"""Hardened XML parsing for untrusted invoices.

Policy (see docs/einvoice.md and the security reference, section 3.1):

* lxml parser with ``resolve_entities=False, no_network=True, load_dtd=False,
  dtd_validation=False, huge_tree=False``; comments and processing instructions are
  dropped so that ``F<!--x-->001`` reads as ``F001``, as XPath ``string()`` sees it;
* any DOCTYPE is refused *before* libxml2 sees the document (XXE, external DTD,
  billion laughs, quadratic blow-up all need one);
* UTF-8 only (with or without BOM), XML 1.0 only; never transcode;
* size cap (:data:`MAX_XML_BYTES`) and libxml2's depth cap (256 without ``huge_tree``).

Every refusal raises :class:`XmlRejectedError` carrying a rule id and a message (English
text plus parameters, translated where shown); callers turn it into a finding.
"""

from __future__ import annotations

import re
import threading

from lxml import etree

from invoices.einvoice.i18n import Message, gettext_noop

__all__ = ["MAX_XML_BYTES", "XmlRejectedError", "parse_xml"]

MAX_XML_BYTES = 20 * 1024 * 1024
"""Largest XML document accepted (20 MiB)."""

MAX_DEPTH = 256
"""Element nesting limit enforced by libxml2 when ``huge_tree`` is off."""

_DECL = re.compile(
    rb"\s*<\?xml\s+version\s*=\s*([\"'])(?P<version>[^\"']*)\1"
    rb"(?:\s+encoding\s*=\s*([\"'])(?P<encoding>[^\"']*)\3)?"
)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_UTF8_NAMES = frozenset({"utf-8", "utf8"})


class XmlRejectedError(Exception):
    """The bytes are not an XML document we agree to read."""

    def __init__(self, rule_id: str, message: Message, line: int | None = None):
        super().__init__(f"{rule_id}: {message.render()}")
        self.rule_id = rule_id
        self.message = message
        self.line = line


_local = threading.local()


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def _check_prolog(data: bytes) -> bytes:
    """Check BOM, XML declaration and DOCTYPE; return the data without a UTF-8 BOM."""
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (
        b"\x00\x00\xfe\xff",
        b"\x00\x00\x00<",
        b"\x00<\x00?",
        b"<\x00?\x00",
    ):
        raise XmlRejectedError(
            "CHORUS-XML-ENCODING",
            Message(
                gettext_noop(
                    "The XML file is not UTF-8 encoded (UTF-16 or UTF-32 detected). Save it as "
                    "UTF-8, with or without a BOM."
                )
            ),
            1,
        )
    match = _DECL.match(data)
    if match:
        version = match.group("version").decode("ascii", "replace")
        if version != "1.0":
            raise XmlRejectedError(
                "CHORUS-XML-VERSION",
                Message.of(
                    gettext_noop(
                        "The XML declaration says version %(version)s; only XML 1.0 is accepted. "
                        'Replace it with <?xml version="1.0" encoding="UTF-8"?>.'
                    ),
                    version=version,
                ),
                1,
            )
        encoding = match.group("encoding")
        if encoding is not None and encoding.decode("ascii", "replace").lower() not in _UTF8_NAMES:
            name = encoding.decode("ascii", "replace")
            raise XmlRejectedError(
                "CHORUS-XML-ENCODING",
                Message.of(
                    gettext_noop(
                        "The XML declaration announces encoding %(name)s; only UTF-8 is accepted. "
                        "Re-encode the file as UTF-8 and fix the declaration."
                    ),
                    name=name,
                ),
                1,
            )
    # A DOCTYPE only matters before the first element start tag: search that prolog
    # alone (a few bytes) rather than the whole document.
    first_element = _ELEMENT_START.search(data)
    if first_element is None:
        doctype = _DOCTYPE.search(data)
    else:
        doctype = _DOCTYPE.search(data, 0, first_element.start())
    if doctype is not None:
        line = data.count(b"\n", 0, doctype.start()) + 1
        raise XmlRejectedError(
            "CHORUS-XML-DTD",
            Message(
                gettext_noop(
                    "The document contains a DOCTYPE declaration (DTD, entities). It is refused for"
                    " security reasons and never needed in UBL or CII: remove it."
                )
            ),
            line,
        )
    return data


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted bytes into an element tree, or raise :class:`XmlRejectedError`."""
    if not data or data.isspace():
        raise XmlRejectedError(
            "CHORUS-XML-EMPTY",
            Message(gettext_noop("The file is empty. Upload the invoice file.")),
        )
    if len(data) > MAX_XML_BYTES:
        raise XmlRejectedError(
            "CHORUS-XML-TOO-LARGE",
            Message.of(
                gettext_noop(
                    "The XML document is %(len_data)s bytes, over the %(max_xml_bytes)s byte limit."
                    " Remove large attachments from the invoice."
                ),
                len_data=len(data),
                max_xml_bytes=MAX_XML_BYTES,
            ),
        )
    data = _check_prolog(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _classify_syntax_error(data, exc) from None
    if root is None:  # pragma: no cover - lxml raises instead
        raise XmlRejectedError("CHORUS-XML-MALFORMED", Message(gettext_noop("Empty XML document.")))
    docinfo = root.getroottree().docinfo
    if (
        getattr(docinfo, "doctype", None) or getattr(docinfo, "internalDTD", None) is not None
    ):  # pragma: no cover - belt and braces
        raise XmlRejectedError(
            "CHORUS-XML-DTD",
            Message(gettext_noop("The document contains a DTD: remove it.")),
        )
    return root


def _classify_syntax_error(data: bytes, exc: etree.XMLSyntaxError) -> XmlRejectedError:
    line = exc.lineno
    message = str(exc.msg or exc)
    if "Excessive depth" in message or "depth" in message.lower():
        return XmlRejectedError(
            "CHORUS-XML-DEPTH",
            Message.of(
                gettext_noop(
                    "The document nests more than %(max_depth)s levels of elements (line %(line)s)."
                    " An invoice never needs that many: check the software that produced it."
                ),
                max_depth=MAX_DEPTH,
                line=line,
            ),
            line,
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as decode_error:
        bad_line = data.count(b"\n", 0, decode_error.start) + 1
        return XmlRejectedError(
            "CHORUS-XML-ENCODING",
            Message.of(
                gettext_noop(
                    "The file contains bytes that are not valid UTF-8 (line %(bad_line)s). Re-"
                    "encode it as UTF-8, without converting accented characters twice."
                ),
                bad_line=bad_line,
            ),
            bad_line,
        )
    if "Char" in message and ("invalid" in message.lower() or "not allowed" in message):
        return XmlRejectedError(
            "CHORUS-XML-ENCODING",
            Message.of(
                gettext_noop(
                    "The document contains a character not allowed in XML 1.0 (control character, "
                    "line %(line)s). Remove it."
                ),
                line=line,
            ),
            line,
        )
    return XmlRejectedError(
        "CHORUS-XML-MALFORMED",
        Message.of(
            gettext_noop(
                "The file is not well-formed XML (line %(line)s): %(message)s. Fix its structure "
                "(tags, entities) before uploading it."
            ),
            line=line,
            message=message,
        ),
        line,
    )
