"""Factur-X PDF writer: a readable PDF/A-3 with the CII embedded as ``factur-x.xml``.

1. :func:`~invoices.einvoice.writers.html.render_invoice_html` gives the readable page
   (every invoice value HTML-escaped);
2. WeasyPrint renders it as PDF/A-3b (``pdf_variant="pdf/a-3b"``: embedded fonts, sRGB
   output intent), with ``presentational_hints=False`` and :class:`RestrictedURLFetcher`,
   which serves ``data:`` URIs and files of this package only, never follows a redirect
   and never touches the network (security reference, section 3.5, R5);
3. :func:`facturx.generate_from_binary` embeds the CII as ``factur-x.xml``
   (AFRelationship ``Data``) and writes the XMP: ``pdfaid:part=3``, ``fx:DocumentType``
   ``INVOICE``, ``fx:ConformanceLevel`` matching the profile. The XML is checked against
   the profile's XSD before rendering; a failure is a :class:`WriterError` quoting the
   schema error (the element the profile cannot carry).
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from invoices.einvoice.syntax import Profile, profile_from_guideline
from invoices.einvoice.writers._common import WriterError
from invoices.einvoice.writers.cii import GUIDELINE_IDS, CiiProfile, write_cii
from invoices.einvoice.writers.html import Lang, render_invoice_html

if TYPE_CHECKING:
    from invoices.einvoice.model import Invoice

__all__ = ["ASSET_DIR", "RestrictedURLFetcher", "render_pdf", "write_facturx_pdf"]

logger = logging.getLogger(__name__)

ASSET_DIR = Path(__file__).resolve().parent
"""The only directory whose files the renderer may read (our stylesheet)."""

_FACTURX_LEVELS: dict[Profile, str] = {
    Profile.BASIC: "basic",
    Profile.EN16931: "en16931",
    Profile.EXTENDED: "extended",
}


class URLRefusedError(ValueError):
    """A resource the renderer must not fetch (WeasyPrint logs it and goes on)."""


class RestrictedURLFetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``data:`` URIs and regular files under :data:`ASSET_DIR`; refuse the rest.

    ``fetch`` never calls the parent implementation, so no urllib handler (HTTP, FTP,
    redirects, proxies) is ever used.
    """

    def __init__(self, root: Path = ASSET_DIR) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = url.partition(":")[0].lower()
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._file(url)
        logger.warning("renderer refused to fetch %r", url[:200])
        raise URLRefusedError(f"refused URL scheme {scheme!r}")

    @staticmethod
    def _data(url: str) -> URLFetcherResponse:
        header, sep, payload = url[5:].partition(",")
        if not sep:
            raise URLRefusedError("malformed data: URI")
        params = header.split(";")
        mime = params[0] or "text/plain"
        if "base64" in params[1:]:
            try:
                body = base64.b64decode(unquote(payload), validate=False)
            except ValueError as exc:
                raise URLRefusedError("bad base64 in data: URI") from exc
        else:
            body = unquote_to_bytes(payload)
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise URLRefusedError("remote file: URL")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            logger.warning("renderer refused to read %r", str(path)[:200])
            raise URLRefusedError("file outside the renderer's asset directory")
        mime = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}.get(
            path.suffix.lower(), "application/octet-stream"
        )
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def render_pdf(html: str, *, fetcher: URLFetcher | None = None) -> bytes:
    """Render our HTML as PDF/A-3b bytes (no XML attached yet)."""
    document = HTML(
        string=html,
        base_url=ASSET_DIR.as_uri() + "/",
        url_fetcher=fetcher or RestrictedURLFetcher(),
    )
    pdf: bytes = document.write_pdf(pdf_variant="pdf/a-3b", presentational_hints=False)
    return pdf


def write_facturx_pdf(
    invoice: Invoice,
    *,
    lang: Lang = "fr",
    profile: CiiProfile | None = None,
) -> bytes:
    """A Factur-X PDF/A-3 of ``invoice``: readable page plus ``factur-x.xml``.

    ``profile`` is passed to :func:`write_cii` (``None``: the model's BT-24, else
    EN 16931). The Factur-X conformance level written in the XMP follows the guideline
    id of the embedded XML; a guideline id that is not a Factur-X profile is refused.
    """
    import facturx

    xml = write_cii(invoice, profile=profile)
    guideline = (
        GUIDELINE_IDS[profile]
        if profile
        else (invoice.specification_identifier or GUIDELINE_IDS["EN16931"])
    )
    level = _FACTURX_LEVELS.get(profile_from_guideline(guideline))
    if level is None:
        raise WriterError(
            f"Factur-X carries its own profile ids in BT-24, and {guideline!r} is not a "
            "Factur-X BASIC, EN 16931 or EXTENDED one: pass profile= to choose the profile",
            term="BT-24",
        )
    try:
        facturx.xml_check_xsd(xml, flavor="factur-x", level=level)
    except Exception as exc:  # the factur-x library raises bare Exception
        raise WriterError(
            f"the invoice does not fit the Factur-X {level} profile schema: {exc}"
        ) from exc
    pdf = render_pdf(render_invoice_html(invoice, lang))
    seller = (invoice.seller.name if invoice.seller else None) or ""
    number = invoice.number or ""
    kind = (
        ("Avoir" if invoice.is_credit_note else "Facture")
        if lang == "fr"
        else ("Credit note" if invoice.is_credit_note else "Invoice")
    )
    metadata = {
        "author": seller,
        "keywords": "Factur-X, " + kind,
        "title": f"{seller}: {kind} {number}".strip(),
        "subject": f"Factur-X {kind} {number} {seller}".strip(),
    }
    result: bytes = facturx.generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level=level,
        check_xsd=False,  # checked above, before the costly rendering
        pdf_metadata=metadata,
        lang="fr-FR" if lang == "fr" else "en-GB",
    )
    return result
