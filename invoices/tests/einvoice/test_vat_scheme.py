"""Only tax categories under the VAT scheme are VAT categories, as the official rules say.

The expected rule ids are those of the official CEN/TC 434 stylesheets (release 1.3.16,
SaxonC-HE) on the same documents: a category whose ``cac:TaxScheme/cbc:ID`` (UBL) or
``ram:TypeCode`` (CII) is not VAT is no BT-95/BT-102/BT-118/BT-151 for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from lxml import etree

from invoices.einvoice.compare import semantic
from invoices.einvoice.readers import read_invoice
from invoices.einvoice.validation import validate_invoice
from invoices.einvoice.writers import write_cii, write_ubl
from invoices.tests.einvoice.conftest import corpus_dir
from invoices.tests.einvoice.strategies import french_b2g_invoice

if TYPE_CHECKING:
    from collections.abc import Callable

    from invoices.einvoice.model import Invoice

CORPUS = corpus_dir()
CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
RAM = "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"


def _gst(parts: set[str]) -> Invoice:
    invoice = french_b2g_invoice()
    for line in invoice.lines if "lines" in parts else ():
        assert line.vat is not None
        line.vat.tax_scheme = "GST"
    for ac in [*invoice.allowances, *invoice.charges] if "document" in parts else ():
        ac.tax_scheme = "GST"
    for vb in invoice.vat_breakdown if "breakdown" in parts else ():
        vb.tax_scheme = "GST"
    return invoice


# (categories under GST, writer, official fatal rule ids)
ALL = {"lines", "document", "breakdown"}
OFFICIAL = [
    (ALL, write_ubl, "BR-32 BR-47 BR-48 BR-CO-04 BR-CO-17 BR-S-02"),
    (ALL, write_cii, "BR-32 BR-47 BR-48 BR-CO-04 BR-CO-17 CII-DT-037"),
    ({"document"}, write_ubl, "BR-32"),
    ({"document"}, write_cii, "BR-32 CII-DT-037"),
    ({"breakdown"}, write_ubl, "BR-47 BR-48 BR-CO-17"),
    ({"breakdown"}, write_cii, "BR-47 BR-48 BR-CO-17 CII-DT-037"),
    ({"lines"}, write_ubl, "BR-CO-04 BR-S-02"),
    ({"lines"}, write_cii, "BR-CO-04 CII-DT-037"),
]


@pytest.mark.parametrize(
    ("parts", "writer", "expected"),
    OFFICIAL,
    ids=[f"{w.__name__}-{'+'.join(sorted(p))}" for p, w, _ in OFFICIAL],
)
def test_categories_under_another_scheme_fire_what_the_official_validator_fires(
    parts: set[str], writer: Callable[[Invoice], bytes], expected: str
) -> None:
    invoice = _gst(parts)
    data = writer(invoice)
    assert validate_invoice(data).fatal_rule_ids == expected.split()
    # The writers keep the scheme: a GST category is not turned into a VAT one.
    assert semantic(read_invoice(data)) == semantic(invoice)


def test_a_category_without_scheme_is_no_vat_category() -> None:
    root = etree.fromstring(write_ubl(french_b2g_invoice()))
    allowance = root.find(f"{CAC}AllowanceCharge/{CAC}TaxCategory/{CAC}TaxScheme")
    assert allowance is not None
    allowance.remove(allowance[0])
    data = etree.tostring(root)
    back = read_invoice(data)
    assert back.allowances[0].tax_scheme is None
    assert "BR-32" in validate_invoice(data).fatal_rule_ids


def _ubl_gst(tree: etree._ElementTree) -> None:
    for scheme_id in tree.iterfind(f".//{CAC}TaxCategory/{CAC}TaxScheme/{CBC}ID"):
        scheme_id.text = "GST"
    for scheme_id in tree.iterfind(f".//{CAC}ClassifiedTaxCategory/{CAC}TaxScheme/{CBC}ID"):
        scheme_id.text = "GST"


def _cii_gst(tree: etree._ElementTree) -> None:
    for tag in ("ApplicableTradeTax", "CategoryTradeTax"):
        for code in tree.iterfind(f".//{RAM}{tag}/{RAM}TypeCode"):
            code.text = "GST"


# Corpus invoices with document level allowances and charges, every category under GST.
CORPUS_CASES = [
    (
        "ubl/cen-en16931/ubl-tc434-example5.xml",
        _ubl_gst,
        "BR-32 BR-37 BR-47 BR-48 BR-CO-04 BR-CO-17 BR-S-02",
    ),
    (
        "cii/cen-en16931/CII_example5.xml",
        _cii_gst,
        "BR-32 BR-37 BR-47 BR-48 BR-CO-04 BR-CO-17 CII-DT-037",
    ),
]


@pytest.mark.skipif(CORPUS is None, reason="shared corpus not found (../shared/corpus)")
@pytest.mark.parametrize(("name", "change", "expected"), CORPUS_CASES, ids=["ubl", "cii"])
def test_corpus_invoice_with_every_category_under_gst_fires_the_official_rules(
    name: str, change: Callable[[etree._ElementTree], None], expected: str
) -> None:
    assert CORPUS is not None
    tree = etree.parse(str(CORPUS / name))
    change(tree)
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    assert validate_invoice(data).fatal_rule_ids == expected.split()
