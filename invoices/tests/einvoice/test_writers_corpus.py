"""Every officially valid corpus invoice survives being written as CII, UBL and Factur-X.

Each invoice the official validation judges valid (``verdicts.csv`` of the shared
corpus) is read, written in each target syntax, validated and read back: the document
must be valid and give the same model, or the writer must refuse with a ``WriterError``
naming the business term the syntax cannot carry. The refusals are pinned by term, so a
new kind of refusal (or a refusal lost) shows here and in docs/einvoice.md.

``python -m invoices.einvoice.cli roundtrip --corpus ../shared/corpus`` prints the
same figures.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import pytest

from invoices.einvoice.readers import read_invoice
from invoices.einvoice.roundtrip import round_trip, valid_corpus_files
from invoices.einvoice.writers import WriterError, write_cii
from invoices.tests.einvoice.conftest import corpus_dir

if TYPE_CHECKING:
    from invoices.einvoice.roundtrip import RoundTrip, Target

CORPUS = corpus_dir()
_ABSENT = pytest.mark.skip(
    reason="shared corpus not found: set CHORUS_CORPUS_DIR or place it at ../shared/corpus"
)
FILES = valid_corpus_files(CORPUS) if CORPUS is not None else []
PARAMS = [pytest.param(name, id=name) for name in FILES] or [
    pytest.param("", marks=_ABSENT, id="corpus-absent")
]

EXPECTED_REFUSALS: dict[str, dict[str, int]] = {
    # CII writes ram:ID (no scheme) before ram:GlobalID: an identifier order with a scheme
    # first (CEN "Max content" examples) cannot be kept.
    "cii": {"BT-29": 2},
    # UBL: one buyer identifier (UBL-SR-16); the VAT breakdown lives in the TaxTotal whose
    # TaxAmount is BT-110 (CII invoices without BT-110); PaymentMeans requires BT-81 (CII
    # invoices with a remittance information and no payment means).
    "ubl": {"BT-110": 3, "BT-46": 4, "BT-81": 3},
}


def _check(name: str, target: Target) -> RoundTrip:
    assert CORPUS is not None
    result = round_trip(read_invoice((CORPUS / name).read_bytes()), target, file=name)
    _assert_survives(result)
    return result


def _assert_survives(result: RoundTrip) -> None:
    if result.outcome == "refused":
        assert result.term is not None, result.detail
        assert result.term in result.detail  # the message names what cannot be carried
        return
    assert result.outcome == "valid", f"{result.outcome}: {result.detail}"


@pytest.mark.parametrize("name", PARAMS)
def test_corpus_invoice_written_as_cii_is_valid_and_reads_back_the_same(name: str) -> None:
    _check(name, "cii")


@pytest.mark.parametrize("name", PARAMS)
def test_corpus_invoice_written_as_ubl_is_valid_and_reads_back_the_same(name: str) -> None:
    _check(name, "ubl")


@pytest.mark.parametrize("name", PARAMS)
def test_corpus_invoice_written_as_facturx_is_valid_and_reads_back_the_same(name: str) -> None:
    """The PDF carries the CII writer's XML: it refuses exactly what CII refuses."""
    assert CORPUS is not None
    invoice = read_invoice((CORPUS / name).read_bytes())
    try:
        write_cii(invoice)
        cii_refusal = None
    except WriterError as exc:
        cii_refusal = exc.term
    result = round_trip(invoice, "facturx", file=name)
    _assert_survives(result)
    assert (result.term if result.outcome == "refused" else None) == cii_refusal


@pytest.mark.skipif(CORPUS is None, reason="shared corpus not found (../shared/corpus)")
def test_writers_refuse_only_the_known_terms() -> None:
    assert CORPUS is not None
    found: dict[str, Counter[str]] = {"cii": Counter(), "ubl": Counter()}
    for name in FILES:
        invoice = read_invoice((CORPUS / name).read_bytes())
        for target in ("cii", "ubl"):
            result = round_trip(invoice, target, file=name)
            if result.outcome == "refused":
                found[target][result.term or "?"] += 1
    assert {t: dict(c) for t, c in found.items()} == EXPECTED_REFUSALS
