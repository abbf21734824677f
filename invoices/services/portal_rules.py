"""The portal's own rules on a readable invoice, after EN 16931 validation.

Each rule has a stable id (``CHORUS-…``), names the business term to fix and says, in French
and English, what to change. They need the database (directory, earlier invoices) and so live
here, not in the plain-Python e-invoice core.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from chorus.accounts.models import Structure
from invoices.choices import BillingFramework
from invoices.einvoice.findings import Finding, Location
from invoices.einvoice.i18n import Message, gettext_noop
from invoices.einvoice.model import Invoice as SemanticInvoice
from invoices.models import Invoice
from public_entities.exceptions import RecipientRefused
from public_entities.selectors import Recipient, recipient_resolve

# Frameworks an ordinary invoice deposit may carry; the others belong to the works-contract,
# justice-fee and TIC flows, which have their own circuits.
INVOICE_FRAMEWORKS = frozenset(
    {BillingFramework.A1, BillingFramework.A2, BillingFramework.A9, BillingFramework.A12}
)
FRAMEWORK_BY_SHORT_CODE = {choice.value.split("_", 1)[0]: choice for choice in BillingFramework}


def _rule(rule_id: str, bt: str, message: Message) -> Finding:
    """A portal rule's refusal: always fatal, located on the business term it concerns."""
    return Finding(rule_id, "fatal", Location(bt=bt or None), message)


@dataclass(frozen=True)
class PortalVerdict:
    findings: list[Finding]
    recipient: Recipient | None
    framework: str


_RECIPIENT_MESSAGES: dict[str, tuple[str, str]] = {
    "recipient_not_found": (
        "BT-47",
        gettext_noop(
            "The buyer's SIRET (BT-47) matches no public structure in the directory: look it up in "
            "the directory and correct it."
        ),
    ),
    "recipient_inactive": (
        "BT-47",
        gettext_noop(
            "The recipient public structure (BT-47) is inactive and no longer receives invoices: "
            "address the invoice to the structure that replaced it."
        ),
    ),
    "service_not_found": (
        "BT-10",
        gettext_noop(
            "The service code (BT-10, buyer reference) does not exist for this recipient: use a "
            "service code listed in the directory."
        ),
    ),
    "service_inactive": (
        "BT-10",
        gettext_noop(
            "The recipient service (BT-10) is inactive: choose an active service of the structure "
            "in the directory."
        ),
    ),
    "service_required": (
        "BT-10",
        gettext_noop(
            "This recipient requires a service code (BT-10, buyer reference): fill it in."
        ),
    ),
    "commitment_required": (
        "BT-13",
        gettext_noop(
            "This recipient requires a legal commitment number (BT-13, purchase order reference): "
            "fill in the one on the purchase order."
        ),
    ),
    "service_or_commitment_required": (
        "BT-10",
        gettext_noop(
            "This recipient requires a service code (BT-10) or a legal commitment number (BT-13): "
            "fill in at least one of them."
        ),
    ),
}


@dataclass
class RuleLookups:
    """The database look-ups of the rules, shared by every invoice of a processing batch.

    Recipient checks are memoised for the batch (a batch takes well under a second), the
    numbers already used are read in one query by :meth:`prefetch_numbers`, and numbers
    accepted earlier in the same batch count as used, so two deposits of one batch cannot
    take the same number.
    """

    on_date: datetime.date
    _recipients: dict[tuple[str, str, bool], Recipient | RecipientRefused] = field(
        default_factory=dict
    )
    _taken: set[tuple[int, str, int]] | None = None
    _used: set[tuple[int, str, int]] = field(default_factory=set)

    def recipient(self, *, siret: str, service_code: str, commitment_number: str) -> Recipient:
        key = (siret, service_code.strip(), bool(commitment_number.strip()))
        known = self._recipients.get(key)
        if known is None:
            try:
                known = recipient_resolve(
                    siret=siret,
                    service_code=service_code,
                    commitment_number=commitment_number,
                    on_date=self.on_date,
                )
            except RecipientRefused as refused:
                known = refused
            self._recipients[key] = known
        if isinstance(known, RecipientRefused):
            raise known
        return known

    def prefetch_numbers(self, keys: Iterable[tuple[int, str, int]]) -> None:
        """Read in one query which of these (supplier, number, year) are already used."""
        wanted = {key for key in keys if key[1]}
        self._taken = set()
        if not wanted:
            return
        self._taken = set(
            Invoice.objects.filter(
                supplier_id__in={k[0] for k in wanted},
                number__in={k[1] for k in wanted},
                fiscal_year__in={k[2] for k in wanted},
            ).values_list("supplier_id", "number", "fiscal_year")
        )

    def number_taken(self, *, supplier_id: int, number: str, year: int) -> bool:
        key = (supplier_id, number, year)
        if key in self._used:
            return True
        if self._taken is not None:
            return key in self._taken
        return Invoice.objects.filter(
            supplier_id=supplier_id, number=number, fiscal_year=year
        ).exists()

    def number_use(self, *, supplier_id: int, number: str, year: int) -> None:
        self._used.add((supplier_id, number, year))


def siret_of(identifier_value: str | None, scheme: str | None) -> str:
    """A SIRET given with scheme 0009 (or without scheme, if it has 14 digits)."""
    value = (identifier_value or "").replace(" ", "")
    if scheme in (None, "", "0009") and len(value) == 14 and value.isdigit():
        return value
    return ""


def buyer_siret(invoice: SemanticInvoice) -> str:
    buyer = invoice.buyer
    if buyer is None:
        return ""
    candidates = []
    if buyer.legal_registration_id is not None:
        candidates.append(buyer.legal_registration_id)
    candidates.extend(buyer.identifiers)
    if buyer.electronic_address is not None:
        candidates.append(buyer.electronic_address)
    for identifier in candidates:
        siret = siret_of(identifier.value, identifier.scheme_id)
        if siret:
            return siret
    return ""


def seller_identifiers(invoice: SemanticInvoice) -> set[str]:
    seller = invoice.seller
    if seller is None:
        return set()
    values = set()
    identifiers = list(seller.identifiers)
    if seller.legal_registration_id is not None:
        identifiers.append(seller.legal_registration_id)
    for identifier in identifiers:
        values.add((identifier.value or "").replace(" ", "").upper())
    if seller.vat_identifier:
        values.add(seller.vat_identifier.replace(" ", "").upper())
    return values


def framework_of(invoice: SemanticInvoice) -> str:
    """BT-23 read as a Chorus Pro billing framework; A1 when absent (the default)."""
    raw = (invoice.business_process or "").strip().upper()
    if not raw:
        return BillingFramework.A1.value
    if raw in BillingFramework.values:
        return raw
    framework = FRAMEWORK_BY_SHORT_CODE.get(raw)
    return framework.value if framework is not None else raw


def check_invoice(
    *,
    invoice: SemanticInvoice,
    depositor: Structure,
    numbers_in_flow: set[tuple[str, int]],
    on_date: datetime.date,
    lookups: RuleLookups | None = None,
) -> PortalVerdict:
    """Every portal rule at once, so that the supplier sees all problems in one report."""
    findings: list[Finding] = []
    lookups = lookups if lookups is not None else RuleLookups(on_date=on_date)

    siret = buyer_siret(invoice)
    recipient: Recipient | None = None
    if not siret:
        findings.append(
            _rule(
                "CHORUS-BUYER-SIRET",
                "BT-47",
                Message(
                    gettext_noop(
                        "The public buyer's SIRET is missing: give it as the buyer's legal "
                        "registration identifier (BT-47, scheme 0009)."
                    )
                ),
            )
        )
    else:
        try:
            recipient = lookups.recipient(
                siret=siret,
                service_code=invoice.buyer_reference or "",
                commitment_number=invoice.purchase_order_reference or "",
            )
        except RecipientRefused as refused:
            bt, text = _RECIPIENT_MESSAGES.get(refused.code, ("BT-47", refused.message))
            findings.append(_rule(f"CHORUS-{refused.code.upper()}", bt, Message(text)))

    # The seller must be the depositing structure itself: its identifier (a SIRET, or the VAT
    # number of an EU structure outside France), not merely another entity of the same group.
    depositor_ids = {depositor.identifier.replace(" ", "").upper()}
    if not seller_identifiers(invoice) & depositor_ids:
        findings.append(
            _rule(
                "CHORUS-SELLER-MISMATCH",
                "BT-30",
                Message.of(
                    gettext_noop(
                        "The invoice's seller is not the depositing structure (%(identifier)s): the"
                        " seller's legal identifier (BT-30) must be your structure's, or deposit "
                        "from the seller's structure."
                    ),
                    identifier=depositor.identifier,
                ),
            )
        )

    framework = framework_of(invoice)
    if framework not in INVOICE_FRAMEWORKS:
        findings.append(
            _rule(
                "CHORUS-FRAMEWORK",
                "BT-23",
                Message.of(
                    gettext_noop(
                        "Billing framework %(framework)s (BT-23) is not accepted for an invoice: "
                        "use A1 (invoice), A2 (already paid), A9 (sub-contractor) or A12 (co-"
                        "contractor); works invoices, justice fee claims and TIC requests have "
                        "their own areas."
                    ),
                    framework=framework,
                ),
            )
        )

    number = (invoice.number or "").strip()
    year = invoice.issue_date.year if invoice.issue_date else on_date.year
    if len(number) > 20:
        findings.append(
            _rule(
                "CHORUS-NUMBER-LENGTH",
                "BT-1",
                Message(
                    gettext_noop(
                        "The invoice number (BT-1) is longer than 20 characters: shorten it."
                    )
                ),
            )
        )
    elif number:
        key = (number, year)
        if key in numbers_in_flow:
            findings.append(
                _rule(
                    "CHORUS-DUPLICATE-IN-DEPOSIT",
                    "BT-1",
                    Message.of(
                        gettext_noop(
                            "Number %(number)s appears twice in this deposit: each invoice needs "
                            "its own number."
                        ),
                        number=number,
                    ),
                )
            )
        elif lookups.number_taken(supplier_id=depositor.pk, number=number, year=year):
            findings.append(
                _rule(
                    "CHORUS-DUPLICATE-NUMBER",
                    "BT-1",
                    Message.of(
                        gettext_noop(
                            "You already deposited an invoice numbered %(number)s in %(year)s: a "
                            "new invoice needs a new number (a rejected invoice is replaced by one "
                            "with a different number)."
                        ),
                        number=number,
                        year=year,
                    ),
                )
            )
    return PortalVerdict(findings=findings, recipient=recipient, framework=framework)
