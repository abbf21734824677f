"""Read, write, re-read: does an invoice survive our writers?

An invoice survives a writer when the written document passes validation (XSD and
EN 16931 rules, as :func:`~invoices.einvoice.validation.validate_invoice` judges) and
reading it back gives the same model (:func:`~invoices.einvoice.compare.semantic`). A
writer may instead refuse, with a :class:`~invoices.einvoice.writers.WriterError` naming
the business term, content that the target syntax cannot carry; anything else is a
writer bug.

:func:`round_trip_corpus` runs every officially valid invoice of the shared corpus
(``verdicts.csv``) through the CII, UBL and Factur-X writers; ``python -m
invoices.einvoice.cli roundtrip`` and ``manage.py roundtrip_writers`` print the figures.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from invoices.einvoice.compare import differences, semantic
from invoices.einvoice.readers import read_invoice
from invoices.einvoice.syntax import Profile, profile_from_guideline
from invoices.einvoice.validation import validate_invoice
from invoices.einvoice.writers import WriterError, write_cii, write_facturx_pdf, write_ubl
from invoices.einvoice.writers.cii import GUIDELINE_IDS

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from invoices.einvoice.model import Invoice

__all__ = [
    "TARGETS",
    "Outcome",
    "RoundTrip",
    "Target",
    "round_trip",
    "round_trip_corpus",
    "summarise",
    "valid_corpus_files",
]

Target = Literal["cii", "ubl", "facturx"]
TARGETS: tuple[Target, ...] = ("cii", "ubl", "facturx")

Outcome = Literal["valid", "refused", "invalid", "changed"]
"""``valid``: written, valid, same model; ``refused``: a WriterError; ``invalid``: the
written document fails validation; ``changed``: it reads back as another model."""

_FACTURX_PROFILES = frozenset({Profile.BASIC, Profile.EN16931, Profile.EXTENDED})


@dataclass(frozen=True, slots=True)
class RoundTrip:
    """What happened to one invoice written in one target syntax."""

    file: str
    target: Target
    outcome: Outcome
    term: str | None = None
    """The business term a refusal names (``WriterError.term``)."""
    detail: str = ""
    """The refusal message, the fatal rule ids, or the first model differences."""


def _write(invoice: Invoice, target: Target) -> tuple[bytes, str | None]:
    """The written document, and the BT-24 it is expected to read back with if changed.

    Factur-X carries only its own profile ids in BT-24: an invoice under another
    specification (XRechnung, Peppol BIS...) is written as Factur-X EN 16931, the
    profile every EN 16931 invoice fits, and reads back with that BT-24.
    """
    if target == "cii":
        return write_cii(invoice), None
    if target == "ubl":
        return write_ubl(invoice), None
    guideline = invoice.specification_identifier or GUIDELINE_IDS["EN16931"]
    if profile_from_guideline(guideline) in _FACTURX_PROFILES:
        return write_facturx_pdf(invoice), None
    return write_facturx_pdf(invoice, profile="EN16931"), GUIDELINE_IDS["EN16931"]


def round_trip(invoice: Invoice, target: Target, *, file: str = "") -> RoundTrip:
    """Write ``invoice`` as ``target``, validate the result and read it back."""
    try:
        data, relabelled = _write(invoice, target)
    except WriterError as exc:
        return RoundTrip(file, target, "refused", term=exc.term, detail=str(exc))
    report = validate_invoice(data)
    if not report.valid:
        return RoundTrip(file, target, "invalid", detail=";".join(report.fatal_rule_ids))
    expected: Any = semantic(invoice)
    if relabelled is not None:
        expected[1]["specification_identifier"] = relabelled
    changes = differences(expected, semantic(read_invoice(data)))
    if changes:
        return RoundTrip(file, target, "changed", detail="; ".join(changes[:5]))
    return RoundTrip(file, target, "valid")


def valid_corpus_files(corpus: Path) -> list[str]:
    """Files of ``verdicts.csv`` that the official validation judges valid."""
    with (corpus / "verdicts.csv").open(newline="", encoding="utf-8") as handle:
        return [row["file"] for row in csv.DictReader(handle) if row["verdict"] == "valid"]


def round_trip_corpus(corpus: Path, targets: Iterable[Target] = TARGETS) -> Iterator[RoundTrip]:
    """Every officially valid corpus invoice, read and written in each target."""
    chosen = tuple(targets)
    for name in valid_corpus_files(corpus):
        invoice = read_invoice((corpus / name).read_bytes())
        for target in chosen:
            yield round_trip(invoice, target, file=name)


def summarise(results: Iterable[RoundTrip]) -> dict[str, dict[str, Any]]:
    """Per target: invoices, valid, refused (by business term), invalid, changed."""
    summary: dict[str, dict[str, Any]] = {}
    for result in results:
        entry = summary.setdefault(
            result.target,
            {"invoices": 0, "valid": 0, "refused": 0, "invalid": 0, "changed": 0, "terms": {}},
        )
        entry["invoices"] += 1
        entry[result.outcome] += 1
        if result.outcome == "refused":
            terms = Counter(entry["terms"])
            terms[result.term or "?"] += 1
            entry["terms"] = dict(sorted(terms.items()))
    return summary
