"""Hardened XML parsing for untrusted invoices.

Policy (see docs/einvoice.md and the security reference, section 3.1):

* lxml parser with ``resolve_entities=False, no_network=True, load_dtd=False,
  dtd_validation=False, huge_tree=False``; comments and processing instructions are
  dropped so that ``F<!--x-->001`` reads as ``F001``, as XPath ``string()`` sees it;
* any DOCTYPE is refused *before* libxml2 sees the document (XXE, external DTD,
  billion laughs, quadratic blow-up all need one);
* UTF-8 only (with or without BOM), XML 1.0 only; never transcode;
* size cap (:data:`MAX_XML_BYTES`) and libxml2's depth cap (256 without ``huge_tree``).

Every refusal raises :class:`XmlRejectedError` carrying a rule id and messages in French
and English; callers turn it into a finding.
"""

from __future__ import annotations

import re
import threading

from lxml import etree

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

    def __init__(self, rule_id: str, message_fr: str, message_en: str, line: int | None = None):
        super().__init__(f"{rule_id}: {message_en}")
        self.rule_id = rule_id
        self.message_fr = message_fr
        self.message_en = message_en
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
            "Le fichier XML n'est pas encodé en UTF-8 (UTF-16 ou UTF-32 détecté). "
            "Enregistrez-le en UTF-8, avec ou sans BOM.",
            "The XML file is not UTF-8 encoded (UTF-16 or UTF-32 detected). "
            "Save it as UTF-8, with or without a BOM.",
            1,
        )
    match = _DECL.match(data)
    if match:
        version = match.group("version").decode("ascii", "replace")
        if version != "1.0":
            raise XmlRejectedError(
                "CHORUS-XML-VERSION",
                f"La déclaration XML indique la version {version!r} ; seule la version 1.0 "
                'est acceptée. Remplacez-la par <?xml version="1.0" encoding="UTF-8"?>.',
                f"The XML declaration says version {version!r}; only XML 1.0 is accepted. "
                'Replace it with <?xml version="1.0" encoding="UTF-8"?>.',
                1,
            )
        encoding = match.group("encoding")
        if encoding is not None and encoding.decode("ascii", "replace").lower() not in _UTF8_NAMES:
            name = encoding.decode("ascii", "replace")
            raise XmlRejectedError(
                "CHORUS-XML-ENCODING",
                f"La déclaration XML annonce l'encodage {name!r} ; seul UTF-8 est accepté. "
                "Ré-encodez le fichier en UTF-8 et corrigez la déclaration.",
                f"The XML declaration announces encoding {name!r}; only UTF-8 is accepted. "
                "Re-encode the file as UTF-8 and fix the declaration.",
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
            "Le document contient une déclaration DOCTYPE (DTD, entités). Elle est "
            "interdite pour des raisons de sécurité et inutile en UBL ou CII : "
            "supprimez-la.",
            "The document contains a DOCTYPE declaration (DTD, entities). It is refused "
            "for security reasons and never needed in UBL or CII: remove it.",
            line,
        )
    return data


def parse_xml(data: bytes) -> etree._Element:
    """Parse untrusted bytes into an element tree, or raise :class:`XmlRejectedError`."""
    if not data or data.isspace():
        raise XmlRejectedError(
            "CHORUS-XML-EMPTY",
            "Le fichier est vide. Déposez le fichier de la facture.",
            "The file is empty. Upload the invoice file.",
        )
    if len(data) > MAX_XML_BYTES:
        raise XmlRejectedError(
            "CHORUS-XML-TOO-LARGE",
            f"Le document XML fait {len(data)} octets, au-delà de la limite de "
            f"{MAX_XML_BYTES} octets. Retirez les pièces jointes volumineuses de la facture.",
            f"The XML document is {len(data)} bytes, over the {MAX_XML_BYTES} byte limit. "
            "Remove large attachments from the invoice.",
        )
    data = _check_prolog(data)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _classify_syntax_error(data, exc) from None
    if root is None:  # pragma: no cover - lxml raises instead
        raise XmlRejectedError("CHORUS-XML-MALFORMED", "Document XML vide.", "Empty XML document.")
    docinfo = root.getroottree().docinfo
    if (
        getattr(docinfo, "doctype", None) or getattr(docinfo, "internalDTD", None) is not None
    ):  # pragma: no cover - belt and braces
        raise XmlRejectedError(
            "CHORUS-XML-DTD",
            "Le document contient une DTD : supprimez-la.",
            "The document contains a DTD: remove it.",
        )
    return root


def _classify_syntax_error(data: bytes, exc: etree.XMLSyntaxError) -> XmlRejectedError:
    line = exc.lineno
    message = str(exc.msg or exc)
    if "Excessive depth" in message or "depth" in message.lower():
        return XmlRejectedError(
            "CHORUS-XML-DEPTH",
            f"Le document imbrique plus de {MAX_DEPTH} niveaux d'éléments (ligne {line}). "
            "Une facture n'en a jamais besoin : vérifiez le générateur du fichier.",
            f"The document nests more than {MAX_DEPTH} levels of elements (line {line}). "
            "An invoice never needs that many: check the software that produced it.",
            line,
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as decode_error:
        bad_line = data.count(b"\n", 0, decode_error.start) + 1
        return XmlRejectedError(
            "CHORUS-XML-ENCODING",
            f"Le fichier contient des octets qui ne sont pas de l'UTF-8 valide (ligne "
            f"{bad_line}). Ré-encodez-le en UTF-8 sans convertir deux fois les accents.",
            f"The file contains bytes that are not valid UTF-8 (line {bad_line}). "
            "Re-encode it as UTF-8, without converting accented characters twice.",
            bad_line,
        )
    if "Char" in message and ("invalid" in message.lower() or "not allowed" in message):
        return XmlRejectedError(
            "CHORUS-XML-ENCODING",
            f"Le document contient un caractère interdit en XML 1.0 (caractère de contrôle, "
            f"ligne {line}). Supprimez-le.",
            f"The document contains a character not allowed in XML 1.0 (control character, "
            f"line {line}). Remove it.",
            line,
        )
    return XmlRejectedError(
        "CHORUS-XML-MALFORMED",
        f"Le fichier n'est pas un XML bien formé (ligne {line}) : {message}. "
        "Corrigez la structure (balises, entités) avant de le déposer.",
        f"The file is not well-formed XML (line {line}): {message}. "
        "Fix its structure (tags, entities) before uploading it.",
        line,
    )
