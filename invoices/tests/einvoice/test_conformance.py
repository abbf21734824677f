"""Agreement with the official EN 16931 validator on the whole reference corpus.

For every file of ``verdicts.csv`` we compare the verdict and the exact set of fatal rule
ids. ``XSLT-DYNAMIC-ERROR`` (the official stylesheet crashing) is not a rule; when
``xsd_valid`` is false our ``XSD`` finding stands for the schema failure, and we emit
``XSD`` exactly then. Our own ``CHORUS-*`` ids (unreadable input, wrong root, ambiguous
document) are not EN 16931 rules and are left out of the comparison.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from invoices.einvoice.validation import validate_invoice

if TYPE_CHECKING:
    from pathlib import Path

XML_SYNTAXES = {"cii", "ubl-invoice", "ubl-creditnote"}


def _ids(field: str) -> set[str]:
    return {x for x in field.split(";") if x and x != "XSLT-DYNAMIC-ERROR"}


def _compare(corpus: Path, row: dict[str, str]) -> list[str]:
    report = validate_invoice((corpus / row["file"]).read_bytes(), filename=row["file"])
    problems = []
    fatal = set(report.fatal_rule_ids)
    got = {x for x in fatal if x != "XSD" and not x.startswith("CHORUS-")}
    expected = _ids(row["en16931_fatal_rule_ids"])
    if got != expected:
        problems.append(f"missing {sorted(expected - got)} extra {sorted(got - expected)}")
    expect_xsd = row["xsd_valid"] != "true" and row["syntax"] in XML_SYNTAXES
    if ("XSD" in fatal) != expect_xsd:
        problems.append(f"XSD finding {'XSD' in fatal}, expected {expect_xsd}")
    if report.valid != (row["verdict"] == "valid"):
        problems.append(
            f"verdict {'valid' if report.valid else 'invalid'}, expected {row['verdict']}"
        )
    if row["syntax"] in XML_SYNTAXES and report.invoice is None:
        problems.append("no model was read")
    return problems


def test_corpus_fatal_rules_and_verdicts_match_the_official_validator(
    corpus: Path, verdicts: list[dict[str, str]]
) -> None:
    failures = {}
    for row in verdicts:
        problems = _compare(corpus, row)
        if problems:
            failures[row["file"]] = problems
    agreed = len(verdicts) - len(failures)
    print(f"\nEN 16931 corpus agreement: {agreed}/{len(verdicts)} files")  # noqa: T201
    for name, problems in sorted(failures.items()):
        print(f"  {name}: {'; '.join(problems)}")  # noqa: T201
    assert not failures, f"{len(failures)} disagreements with the official verdicts"


def test_corpus_warning_rules_match_the_official_validator(
    corpus: Path, verdicts: list[dict[str, str]]
) -> None:
    failures = {}
    for row in verdicts:
        report = validate_invoice((corpus / row["file"]).read_bytes())
        got = {x for x in report.warning_rule_ids if not x.startswith("CHORUS-")}
        expected = _ids(row["en16931_warning_rule_ids"])
        if got != expected:
            failures[row["file"]] = (sorted(expected - got), sorted(got - expected))
    print(f"\nwarning agreement: {len(verdicts) - len(failures)}/{len(verdicts)}")  # noqa: T201
    assert not failures, failures


def test_corpus_profiles_follow_the_guideline_id(
    corpus: Path, verdicts: list[dict[str, str]]
) -> None:
    from invoices.einvoice.syntax import Profile, profile_from_guideline

    for row in verdicts:
        if not row["guideline_id"]:
            continue
        report = validate_invoice((corpus / row["file"]).read_bytes())
        assert report.profile == profile_from_guideline(row["guideline_id"]), row["file"]
        if row["guideline_id"].startswith(("urn:cen.eu:", "urn:factur-x.eu:")):
            assert report.profile is not Profile.UNKNOWN, row["file"]
