"""Writers: EN 16931 model to CII D16B, UBL 2.1 and Factur-X PDF/A-3.

* :func:`write_cii` - CII ``CrossIndustryInvoice`` (Factur-X BASIC, EN 16931, EXTENDED);
* :func:`write_ubl` - UBL 2.1 ``Invoice``, or ``CreditNote`` for credit-note type codes;
* :func:`write_facturx_pdf` - readable PDF/A-3 (WeasyPrint) with the CII embedded as
  ``factur-x.xml`` (factur-x library).

Reading what a writer wrote gives back the same model (see the round-trip property tests
in ``invoices/tests/einvoice/test_writers_*.py``). A model that a syntax cannot carry
faithfully raises :class:`WriterError` instead of being silently changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invoices.einvoice.writers._common import WriterError
from invoices.einvoice.writers.cii import write_cii
from invoices.einvoice.writers.ubl import write_ubl

if TYPE_CHECKING:
    from invoices.einvoice.model import Invoice
    from invoices.einvoice.writers.cii import CiiProfile
    from invoices.einvoice.writers.html import Lang

__all__ = ["WriterError", "write_cii", "write_facturx_pdf", "write_ubl"]


def write_facturx_pdf(
    invoice: Invoice, *, lang: Lang = "fr", profile: CiiProfile | None = None
) -> bytes:
    """Factur-X PDF/A-3 bytes; see :mod:`invoices.einvoice.writers.facturx`.

    Imported lazily: WeasyPrint (and its Pango/Cairo stack) loads only when a PDF is made.
    """
    from invoices.einvoice.writers.facturx import write_facturx_pdf as write

    return write(invoice, lang=lang, profile=profile)
