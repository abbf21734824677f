"""Declared-profile validation (Factur-X) and the French Chorus Pro rule set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from invoices.einvoice.syntax import Profile
from invoices.einvoice.validation import validate_invoice, validate_profile
from invoices.einvoice.validation.rules_fr import is_valid_siret
from invoices.tests.einvoice.conftest import sample

if TYPE_CHECKING:
    from pathlib import Path


def test_minimum_is_invalid_as_en16931_but_valid_as_its_own_profile() -> None:
    data = sample("cii_facturx_minimum.xml")
    as_en16931 = validate_invoice(data)
    assert not as_en16931.valid
    assert as_en16931.profile is Profile.MINIMUM
    as_declared = validate_profile(data)
    assert as_declared.valid, as_declared.fatal_rule_ids


def test_profile_validation_still_fails_real_profile_errors() -> None:
    data = sample("cii_facturx_minimum.xml").replace(
        b"<ram:ID>F-2025-0003</ram:ID>", b"<ram:ID></ram:ID>"
    )
    assert "BR-02" in validate_profile(data).fatal_rule_ids


def test_corpus_basic_wl_and_minimum_pass_their_profile_rules(
    corpus: Path, verdicts: list[dict[str, str]]
) -> None:
    accepted = 0
    for row in verdicts:
        if row["guideline_id"] in ("urn:factur-x.eu:1p0:basicwl", "urn:factur-x.eu:1p0:minimum"):
            report = validate_profile((corpus / row["file"]).read_bytes())
            rules = [r for r in report.fatal_rule_ids if r != "XSD"]
            assert not rules, (row["file"], rules)
            accepted += report.valid
    assert accepted >= 8


def test_siret_checksum() -> None:
    assert is_valid_siret("73282932000074")
    assert is_valid_siret("732 829 320 00074")
    assert not is_valid_siret("73282932000075")
    assert is_valid_siret("35600000049837")  # La Poste
    assert not is_valid_siret("1234")


def test_french_rules_require_the_buyer_siret() -> None:
    data = sample("ubl_invoice_minimal.xml")
    assert validate_invoice(data, rule_sets=("en16931", "fr")).valid
    broken = data.replace(b'<cbc:CompanyID schemeID="0009">11000201100044', b"<cbc:CompanyID>X")
    ids = validate_invoice(broken, rule_sets=("en16931", "fr")).fatal_rule_ids
    assert "FR-CPP-01" in ids
    assert "FR-CPP-01" not in validate_invoice(broken).fatal_rule_ids


def test_french_rules_check_siret_framework_and_iban() -> None:
    data = sample("ubl_invoice_minimal.xml")
    data = data.replace(b"11000201100044</cbc:CompanyID>", b"11000201100045</cbc:CompanyID>")
    data = data.replace(b"<cbc:ProfileID>A1<", b"<cbc:ProfileID>B1<")
    data = data.replace(b"FR7630006000011234567890189", b"FR7630006000011234567890180")
    ids = set(validate_invoice(data, rule_sets=("fr",)).fatal_rule_ids)
    assert {"FR-CPP-02", "FR-CPP-05", "FR-CPP-08"} <= ids
