"""Factur-X PDF writer: PDF/A-3 with factur-x.xml, XMP, validation, safe rendering."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import facturx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from weasyprint.urls import URLFetcherResponse

from invoices.einvoice.model import Invoice
from invoices.einvoice.readers import read_invoice
from invoices.einvoice.validation import validate_invoice
from invoices.einvoice.writers import WriterError, write_cii, write_facturx_pdf
from invoices.einvoice.writers.facturx import (
    ASSET_DIR,
    RestrictedURLFetcher,
    URLRefusedError,
    render_pdf,
)
from invoices.einvoice.writers.html import render_invoice_html
from invoices.tests.einvoice.strategies import french_b2g_invoice, invoices, semantic


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return write_facturx_pdf(french_b2g_invoice())


def xmp(data: bytes) -> dict[str, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    catalog: Any = reader.trailer["/Root"]
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    return dict(re.findall(r"<((?:pdfaid|fx):\w+)>([^<]*)<", metadata))


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_xml_is_extractable_with_the_factur_x_library(pdf: bytes) -> None:
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=True)
    assert filename == "factur-x.xml"
    root = etree.fromstring(xml)
    assert facturx.get_flavor(root) == "factur-x"
    assert facturx.get_level(root) == "en16931"
    assert xml == write_cii(french_b2g_invoice())


def test_pdf_declares_pdfa3_and_factur_x_xmp(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    fields = xmp(pdf)
    assert fields["pdfaid:part"] == "3"
    assert fields["pdfaid:conformance"] == "B"
    assert fields["fx:DocumentType"] == "INVOICE"
    assert fields["fx:DocumentFileName"] == "factur-x.xml"
    assert fields["fx:ConformanceLevel"] == "EN 16931"
    root: Any = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/OutputIntents" in root  # sRGB output intent (PDF/A)
    assert "/AF" in root  # associated file (PDF/A-3)


def test_fonts_are_embedded(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_pdf_validates_as_en16931_and_reads_back(pdf: bytes) -> None:
    report = validate_invoice(pdf)
    assert report.syntax == "facturx-pdf"
    assert report.valid, report.findings
    assert [f for f in report.findings if f.severity == "fatal"] == []
    assert semantic(read_invoice(pdf)) == semantic(french_b2g_invoice())


def test_readable_page_shows_the_mandatory_mentions(pdf: bytes) -> None:
    text = text_of(pdf)
    for expected in [
        "Facture F2025-0042",
        "14/03/2025",  # issue date
        "13/04/2025",  # due date
        "12345678900017",  # seller SIRET
        "FR32123456789",  # seller VAT number
        "11000201100044",  # buyer SIRET
        "EJ-2025-000123",  # engagement juridique
        "SERV-FIN-01",  # code service
        "FR7630006000011234567890189",  # IBAN
        "AGRIFRPPXXX",  # BIC
        "SAS au capital de 10 000 €",
        "Journée de conseil <architecture> & sécurité",
        "380,00",  # VAT at 20 %
        "2 406,60",  # amount due
        "40 €",  # recovery indemnity
        "Pénalités de retard",
    ]:
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\u202f", ""), expected


def test_statutory_defaults_and_exemption_mention_when_the_invoice_has_none() -> None:
    invoice = french_b2g_invoice()
    invoice.notes = []
    breakdown = invoice.vat_breakdown[1]
    breakdown.category_code, breakdown.rate = "E", invoice.vat_breakdown[1].rate
    breakdown.exemption_reason_code = "VATEX-FR-FRANCHISE"
    html = render_invoice_html(invoice)
    assert "40 €" in html
    assert "BCE" in html or "Banque centrale européenne" in html
    assert "TVA non applicable, art. 293 B du CGI" in html


def test_english_rendering() -> None:
    html = render_invoice_html(french_b2g_invoice(), "en")
    assert '<html lang="en">' in html
    assert "Amount due" in html
    assert "Commitment number" in html
    with pytest.raises(ValueError, match="unsupported language"):
        render_invoice_html(french_b2g_invoice(), "de")  # type: ignore[arg-type]


PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<img src='http://127.0.0.1:9/canary.png'>",
    "<link rel='attachment' href='file:///etc/passwd'>",
    "<style>@import url(http://127.0.0.1:9/x.css)</style>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_invoice_value_is_escaped(payload: str) -> None:
    invoice = french_b2g_invoice()
    assert invoice.seller is not None
    assert invoice.lines[0].item is not None
    invoice.seller.name = payload
    invoice.lines[0].item.name = payload
    invoice.notes[0].text = payload
    invoice.payment_terms = payload
    html = render_invoice_html(invoice)
    assert payload not in html
    assert "<script" not in html
    assert "<img" not in html
    assert "rel='attachment'" not in html


class RecordingFetcher(RestrictedURLFetcher):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        self.urls.append(url)
        return super().fetch(url, headers)


def test_rendering_fetches_only_our_stylesheet() -> None:
    fetcher = RecordingFetcher()
    invoice = french_b2g_invoice()
    assert invoice.lines[0].item is not None
    invoice.lines[0].item.name = PAYLOADS[2]
    render_pdf(render_invoice_html(invoice), fetcher=fetcher)
    assert fetcher.urls == [(ASSET_DIR / "facturx.css").as_uri()]


def test_fetcher_refuses_network_and_foreign_files(tmp_path: Path) -> None:
    fetcher = RestrictedURLFetcher()
    for url in [
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "file:///etc/passwd",
        (ASSET_DIR / ".." / ".." / "model.py").as_uri(),
        "file://remote-host/" + str(ASSET_DIR / "facturx.css"),
        tmp_path.as_uri(),
    ]:
        with pytest.raises(URLRefusedError):
            fetcher.fetch(url)


def test_fetcher_refuses_a_symlink_leaving_the_asset_dir(tmp_path: Path) -> None:
    target = tmp_path / "secret.css"
    target.write_text("secret")
    fetcher = RestrictedURLFetcher(root=tmp_path / "assets")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "style.css").symlink_to(target)
    with pytest.raises(URLRefusedError):
        fetcher.fetch((tmp_path / "assets" / "style.css").as_uri())


def test_fetcher_serves_data_uris_and_our_files() -> None:
    fetcher = RestrictedURLFetcher()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    assert fetcher.fetch("data:,a%20b").read() == b"a b"
    css = fetcher.fetch((ASSET_DIR / "facturx.css").as_uri())
    assert css.content_type == "text/css"
    assert b"@page" in css.read()


def test_non_factur_x_guideline_is_refused() -> None:
    invoice = french_b2g_invoice()
    invoice.specification_identifier = (
        "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    )
    with pytest.raises(WriterError):
        write_facturx_pdf(invoice)


def test_extended_profile_sets_the_xmp_level() -> None:
    data = write_facturx_pdf(french_b2g_invoice(), profile="EXTENDED", lang="en")
    assert xmp(data)["fx:ConformanceLevel"] == "EXTENDED"
    _, xml = facturx.get_xml_from_pdf(data, check_xsd=True)
    assert facturx.get_level(etree.fromstring(xml)) == "extended"
    assert validate_invoice(data).valid


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(invoices("cii"))
def test_generated_invoices_render_and_validate(invoice: Invoice) -> None:
    data = write_facturx_pdf(invoice)
    assert xmp(data)["pdfaid:part"] == "3"
    assert semantic(read_invoice(data)) == semantic(invoice)
    report = validate_invoice(data)
    assert [f.rule_id for f in report.findings if f.severity == "fatal"] == []
