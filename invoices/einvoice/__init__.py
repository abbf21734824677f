"""E-invoice core: read, model and validate EN 16931 invoices (UBL 2.1, CII D16B, Factur-X).

Plain Python, no Django. Entry points:

* :func:`detect_syntax` - what kind of document some bytes are;
* :func:`read_invoice` - bytes to :class:`~invoices.einvoice.model.Invoice`;
* :func:`validate_invoice` - bytes to a :class:`ValidationReport` (EN 16931 verdict);
* :func:`validate_profile` - judge a Factur-X document against its own declared profile.
"""

from invoices.einvoice.findings import Finding, Location, Severity
from invoices.einvoice.model import Invoice
from invoices.einvoice.syntax import Profile, Syntax, detect_syntax, profile_from_guideline

__all__ = [
    "Finding",
    "Invoice",
    "Location",
    "Profile",
    "Severity",
    "Syntax",
    "ValidationReport",
    "detect_syntax",
    "profile_from_guideline",
    "read_invoice",
    "validate_invoice",
    "validate_profile",
]


def __getattr__(name: str) -> object:
    # Lazy imports keep ``import invoices.einvoice.model`` cheap for writers.
    if name in {"ValidationReport", "validate_invoice", "validate_profile"}:
        from invoices.einvoice import validation

        return getattr(validation, name)
    if name == "read_invoice":
        from invoices.einvoice.readers import read_invoice

        return read_invoice
    raise AttributeError(name)
