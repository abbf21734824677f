"""Identifier rules of every structure type (reference §1.1); pure functions, no database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum.fr import siret as stdnum_siret

from chorus.accounts.choices import IdentifierType
from chorus.accounts.identifiers import (
    _siret_fast_ok,
    identifier_check,
    search_normalize,
    siret_is_valid,
    vat_number_check,
)

T = IdentifierType


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids); the portal's default is French."""
    with translation.override("en"):
        yield


def check(identifier_type: str, identifier: str, country: str) -> tuple[str, str]:
    checked = identifier_check(
        identifier_type=identifier_type, identifier=identifier, country=country
    )
    return checked.identifier, checked.country


def errors(identifier_type: str, identifier: str, country: str) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        identifier_check(identifier_type=identifier_type, identifier=identifier, country=country)
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("73282932000074", "73282932000074"),
        ("732 829 320 00074", "73282932000074"),
        ("732.829.320.00074", "73282932000074"),
    ],
)
def test_valid_siret_is_accepted_and_compacted(identifier, expected):
    assert check(T.SIRET, identifier, "FR") == (expected, "FR")


def test_siret_country_defaults_to_france():
    assert check(T.SIRET, "73282932000074", "") == ("73282932000074", "FR")


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("73282932000075", "check digit"),
        ("7328293200007", "14 digits"),
        ("7328293200007A", "digits only"),
    ],
)
def test_invalid_siret_is_refused_with_a_reason(identifier, message):
    assert message in errors(T.SIRET, identifier, "FR")["identifier"][0]


def test_siret_outside_france_is_refused():
    assert "country" in errors(T.SIRET, "73282932000074", "DE")


def test_la_poste_siret_passes_on_the_digit_sum_rule():
    # 35600000049837 fails Luhn but its digit sum is a multiple of 5 (reference §1.1).
    assert siret_is_valid("35600000049837")
    assert check(T.SIRET, "356 000 000 49837", "FR") == ("35600000049837", "FR")


def test_la_poste_head_office_passes_ordinary_luhn():
    assert siret_is_valid("35600000000048")


def test_la_poste_siret_with_a_wrong_digit_sum_is_refused():
    assert not siret_is_valid("35600000049838")
    assert "identifier" in errors(T.SIRET, "35600000049838", "FR")


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_fast_siret_check_agrees_with_python_stdnum(number):
    assert _siret_fast_ok(number) == stdnum_siret.is_valid(number)


@given(st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_fast_siret_check_agrees_with_stdnum_on_la_poste_numbers(suffix):
    number = "356000000" + suffix
    assert _siret_fast_ok(number) == stdnum_siret.is_valid(number)


def test_eu_vat_number_is_accepted_with_its_country():
    assert check(T.EU_OUTSIDE_FRANCE, "DE 136 695 976", "DE") == ("DE136695976", "DE")


def test_eu_vat_prefix_is_added_when_missing():
    assert check(T.EU_OUTSIDE_FRANCE, "136695976", "DE") == ("DE136695976", "DE")


def test_greek_vat_number_uses_the_el_prefix():
    assert check(T.EU_OUTSIDE_FRANCE, "094259216", "GR") == ("EL094259216", "GR")


def test_invalid_eu_vat_number_is_refused():
    assert "identifier" in errors(T.EU_OUTSIDE_FRANCE, "DE136695977", "DE")


def test_eu_type_refuses_france_and_non_eu_countries():
    assert "country" in errors(T.EU_OUTSIDE_FRANCE, "FR40303265045", "FR")
    assert "country" in errors(T.EU_OUTSIDE_FRANCE, "136695976", "US")


def test_outside_eu_needs_a_non_eu_country():
    assert check(T.OUTSIDE_EU, "ein 12-3456789", "US") == ("EIN 12-3456789", "US")
    assert "country" in errors(T.OUTSIDE_EU, "12-3456789", "DE")
    assert "country" in errors(T.OUTSIDE_EU, "12-3456789", "FR")


def test_no_type_but_siret_may_carry_a_siret():
    for identifier_type, country in ((T.OUTSIDE_EU, "US"), (T.OTHER, "FR"), (T.INDIVIDUAL, "FR")):
        assert "identifier" in errors(identifier_type, "73282932000074", country)


def test_ridet_belongs_to_new_caledonia():
    assert check(T.RIDET, "1234567.001", "NC") == ("1234567001", "NC")
    assert check(T.RIDET, "123456", "NC") == ("123456", "NC")
    assert "country" in errors(T.RIDET, "1234567001", "FR")
    assert "identifier" in errors(T.RIDET, "12345", "NC")


def test_tahiti_number_belongs_to_french_polynesia():
    assert check(T.TAHITI, "b12345 001", "PF") == ("B12345001", "PF")
    assert "country" in errors(T.TAHITI, "B12345", "FR")
    assert "identifier" in errors(T.TAHITI, "B1234", "PF")


def test_other_identifier_accepts_any_known_country():
    assert check(T.OTHER, "RNA W751234567", "FR") == ("RNA W751234567", "FR")
    assert "country" in errors(T.OTHER, "X1", "ZZ")
    assert "identifier" in errors(T.OTHER, "", "FR")


def test_private_individual_identifier():
    assert check(T.INDIVIDUAL, "dupont-jean-1970", "FR") == ("DUPONT-JEAN-1970", "FR")
    assert "identifier" in errors(T.INDIVIDUAL, "  ", "FR")


def test_unknown_identifier_type_is_refused():
    assert "identifier_type" in errors("SIREN", "732829320", "FR")


def test_french_vat_number_must_match_the_siren():
    assert (
        vat_number_check(
            vat_number="FR 44 732829320", identifier_type=T.SIRET, identifier="73282932000074"
        )
        == "FR44732829320"
    )
    with pytest.raises(ValidationError):
        vat_number_check(
            vat_number="FR40303265045", identifier_type=T.SIRET, identifier="73282932000074"
        )


def test_search_normalisation_ignores_case_accents_and_punctuation():
    assert search_normalize("Hôpital d'Évry-Courcouronnes") == "HOPITAL D EVRY COURCOURONNES"
    assert search_normalize("Cœur de ville") == "COEUR DE VILLE"
    assert search_normalize("") == ""
