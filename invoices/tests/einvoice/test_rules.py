"""Each rule family fires on a document built to break it, and stays quiet otherwise."""

from __future__ import annotations

import pytest

from invoices.einvoice.i18n import catalogue_translator
from invoices.einvoice.validation import validate_invoice
from invoices.einvoice.validation.en16931 import round2, xround
from invoices.tests.einvoice.conftest import sample

UBL = sample("ubl_invoice_minimal.xml").decode()
_LEA = '<cbc:LineExtensionAmount currencyID="EUR">'
_LEA_END = "</cbc:LineExtensionAmount>\n    <cbc:TaxExclusiveAmount"
_NET = "<ram:NetPriceProductTradePrice>\n          "
_CHARGE = "<ram:ChargeAmount>5.00</ram:ChargeAmount>"
_LINE_RATE = "</ram:ApplicableTradeTax>\n        <ram:SpecifiedTradeSettlementLine"
_SELLER_VAT = (
    "<cac:PartyTaxScheme>\n        <cbc:CompanyID>FR44732829320</cbc:CompanyID>\n"
    "        <cac:TaxScheme>\n          <cbc:ID>VAT</cbc:ID>\n        </cac:TaxScheme>\n"
    "      </cac:PartyTaxScheme>\n"
)
CII = sample("cii_invoice_minimal.xml").decode()


def fatal_ids(xml: str) -> set[str]:
    return set(validate_invoice(xml.encode()).fatal_rule_ids)


def all_ids(xml: str) -> set[str]:
    report = validate_invoice(xml.encode())
    return set(report.fatal_rule_ids) | set(report.warning_rule_ids)


def test_samples_are_valid() -> None:
    assert fatal_ids(UBL) == set()
    assert fatal_ids(CII) == set()


UBL_CASES = [
    # mandatory terms (BR-01..BR-65)
    ("BR-02", "<cbc:ID>F-2025-0001</cbc:ID>", "<cbc:ID> </cbc:ID>"),
    ("BR-06", "Fournisseur SARL", ""),
    ("BR-23", ' unitCode="HUR"', ""),
    ("BR-27", '<cbc:PriceAmount currencyID="EUR">100.00<', '<cbc:PriceAmount currencyID="EUR">-1<'),
    ("BR-62", '<cbc:EndpointID schemeID="0009">7328', "<cbc:EndpointID>7328"),
    # calculations (BR-CO)
    (
        "BR-CO-10",
        _LEA + "1000.00" + _LEA_END,
        _LEA + "999.00" + _LEA_END,
    ),
    (
        "BR-CO-15",
        '<cbc:TaxInclusiveAmount currencyID="EUR">1200.00',
        '<cbc:TaxInclusiveAmount currencyID="EUR">1201.00',
    ),
    ("BR-CO-09", "<cbc:CompanyID>FR44732829320", "<cbc:CompanyID>QQ44732829320"),
    # VAT category S
    (
        "BR-S-09",
        '<cbc:TaxAmount currencyID="EUR">200.00</cbc:TaxAmount>\n      <cac:TaxCategory>',
        '<cbc:TaxAmount currencyID="EUR">150.00</cbc:TaxAmount>\n      <cac:TaxCategory>',
    ),
    # decimals
    (
        "BR-DEC-09",
        _LEA + "1000.00" + _LEA_END,
        _LEA + "1000.000" + _LEA_END,
    ),
    # code lists
    ("BR-CL-04", "<cbc:DocumentCurrencyCode>EUR<", "<cbc:DocumentCurrencyCode>EUX<"),
    (
        "BR-CL-14",
        "<cbc:IdentificationCode>FR</cbc:IdentificationCode>",
        "<cbc:IdentificationCode>XX</cbc:IdentificationCode>",
    ),
    ("BR-CL-16", "<cbc:PaymentMeansCode>30<", "<cbc:PaymentMeansCode>999<"),
    # UBL syntax rules
    (
        "UBL-SR-48",
        "<cac:ClassifiedTaxCategory>",
        "<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID></cac:ClassifiedTaxCategory><cac:ClassifiedTaxCategory>",
    ),
    (
        "UBL-DT-01",
        '<cbc:PayableAmount currencyID="EUR">1200.00',
        '<cbc:PayableAmount currencyID="EUR">1200.001',
    ),
]


@pytest.mark.parametrize(("rule", "old", "new"), UBL_CASES, ids=[c[0] for c in UBL_CASES])
def test_ubl_rule_fires_when_broken(rule: str, old: str, new: str) -> None:
    assert old in UBL
    assert rule not in fatal_ids(UBL)
    assert rule in fatal_ids(UBL.replace(old, new, 1))


CII_CASES = [
    ("BR-01", "<ram:ID>urn:cen.eu:en16931:2017</ram:ID>", "<ram:ID></ram:ID>"),
    (
        "BR-16",
        CII[
            CII.index("<ram:IncludedSupplyChainTradeLineItem>") : CII.index(
                "<ram:ApplicableHeaderTradeAgreement>"
            )
        ],
        "",
    ),
    ("BR-CO-13", "<ram:TaxBasisTotalAmount>100.00<", "<ram:TaxBasisTotalAmount>90.00<"),
    (
        "BR-CO-14",
        '<ram:TaxTotalAmount currencyID="EUR">20.00',
        '<ram:TaxTotalAmount currencyID="EUR">21.00',
    ),
    ("BR-CO-16", "<ram:DuePayableAmount>120.00<", "<ram:DuePayableAmount>100.00<"),
    ("BR-S-08", "<ram:BasisAmount>100.00<", "<ram:BasisAmount>110.00<"),
    (
        "BR-S-05",
        "<ram:RateApplicablePercent>20</ram:RateApplicablePercent>\n        " + _LINE_RATE,
        "<ram:RateApplicablePercent>0</ram:RateApplicablePercent>\n        " + _LINE_RATE,
    ),
    (
        "BR-50",
        "<ram:IBANID>FR7630006000011234567890189</ram:IBANID>",
        "<ram:AccountName>Compte</ram:AccountName>",
    ),
    (
        "CII-DT-031",
        "<ram:GrandTotalAmount>120.00<",
        '<ram:GrandTotalAmount currencyID="EUR">120.00<',
    ),
    (
        "CII-SR-439",
        _NET + _CHARGE,
        _NET + _CHARGE + _CHARGE,
    ),
    (
        "CII-DT-097",
        '<udt:DateTimeString format="102">20250314<',
        '<udt:DateTimeString format="102">20251314<',
    ),
    ("BR-CL-23", 'unitCode="C62"', 'unitCode="XXXX"'),
]


@pytest.mark.parametrize(("rule", "old", "new"), CII_CASES, ids=[c[0] for c in CII_CASES])
def test_cii_rule_fires_when_broken(rule: str, old: str, new: str) -> None:
    assert old in CII
    assert rule not in fatal_ids(CII)
    assert rule in fatal_ids(CII.replace(old, new, 1))


def _ubl_category(code: str, rate: str | None, reason: bool) -> str:
    percent = f"<cbc:Percent>{rate}</cbc:Percent>" if rate is not None else ""
    exemption = "<cbc:TaxExemptionReason>Exonération</cbc:TaxExemptionReason>" if reason else ""
    xml = UBL.replace(
        "<cbc:ID>S</cbc:ID>\n        <cbc:Percent>20</cbc:Percent>",
        f"<cbc:ID>{code}</cbc:ID>\n        {percent}{exemption}",
    ).replace(
        "<cbc:ID>S</cbc:ID>\n        <cbc:Percent>20</cbc:Percent>",
        f"<cbc:ID>{code}</cbc:ID>\n        {percent}",
    )
    tax = "200.00" if rate == "20" else "0.00"
    xml = xml.replace(
        '<cbc:TaxAmount currencyID="EUR">200.00', f'<cbc:TaxAmount currencyID="EUR">{tax}'
    )
    total = "1200.00" if rate == "20" else "1000.00"
    return xml.replace('currencyID="EUR">1200.00', f'currencyID="EUR">{total}')


@pytest.mark.parametrize(
    ("code", "prefix", "rate"),
    [("Z", "BR-Z", "0"), ("E", "BR-E", "0"), ("G", "BR-G", "0"), ("AE", "BR-AE", "0")],
)
def test_zero_rate_categories_check_their_exemption_reason(
    code: str, prefix: str, rate: str
) -> None:
    with_reason = code in {"E", "G", "AE"}
    ok = _ubl_category(code, rate, reason=with_reason)
    assert not {r for r in fatal_ids(ok) if r.startswith(prefix + "-")}, fatal_ids(ok)
    broken = _ubl_category(code, rate, reason=not with_reason)
    assert f"{prefix}-10" in fatal_ids(broken)


def test_category_o_excludes_vat_identifiers_and_rates() -> None:
    xml = _ubl_category("O", None, reason=True)
    assert "BR-O-02" in fatal_ids(xml)  # the seller has a VAT identifier
    no_vat = xml.replace(
        _SELLER_VAT,
        "",
    )
    assert not {r for r in fatal_ids(no_vat) if r.startswith("BR-O-")}


def test_intra_community_supply_needs_delivery_information() -> None:
    xml = _ubl_category("K", "0", reason=True)
    ids = fatal_ids(xml)
    assert "BR-IC-11" in ids
    assert "BR-IC-12" in ids
    assert "BR-IC-02" in ids  # the buyer has no VAT identifier


def test_igic_and_ipsi_categories_are_checked() -> None:
    igic = fatal_ids(_ubl_category("L", "7", reason=False))
    assert "BR-AF-09" in igic or "BR-AF-08" in igic or "BR-CO-17" in igic
    ipsi = fatal_ids(_ubl_category("M", "4", reason=True))
    assert "BR-AG-10" in ipsi


def test_warnings_do_not_make_a_document_invalid() -> None:
    xml = UBL.replace(
        "<cbc:ID>F-2025-0001</cbc:ID>", "<cbc:UUID>x</cbc:UUID>\n  <cbc:ID>F-2025-0001</cbc:ID>"
    )
    report = validate_invoice(xml.encode())
    assert "UBL-CR-004" in report.warning_rule_ids or report.warning_rule_ids
    assert all(f.severity == "warning" for f in report.findings if f.rule_id.startswith("UBL-CR"))


def test_xpath_round_goes_half_up_towards_positive_infinity() -> None:
    from decimal import Decimal

    assert xround(Decimal("2.5")) == 3
    assert xround(Decimal("-2.5")) == -2
    assert round2(Decimal("1.005")) == Decimal("1.01")


def test_every_finding_has_a_french_and_an_english_message() -> None:
    french = catalogue_translator("fr")
    xml = UBL.replace("<cbc:ID>F-2025-0001</cbc:ID>", "").replace("Fournisseur SARL", "")
    for finding in validate_invoice(xml.encode()).findings:
        assert finding.text(french)
        assert finding.text()
        assert finding.text(french) != finding.text()
