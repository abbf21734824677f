"""French rules for public buyers (Chorus Pro), a separate rule set (``rule_sets=("fr",)``).

Sources: the Chorus Pro reference (section 5 "validation at deposit", section 11.4 CIUS-FR)
and the Chorus Pro practice gathered there. These rules are *not* part of the EN 16931
verdict: ``validate_invoice`` applies them only when asked.

Rule ids ``FR-CPP-*`` are ours (the official error annex was not available).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from invoices.einvoice.findings import Finding, Location, Severity
from invoices.einvoice.i18n import Message, gettext_noop

if TYPE_CHECKING:
    from invoices.einvoice.model import Identifier, Invoice

__all__ = ["CHORUS_PRO_FRAMEWORKS", "check_fr", "is_valid_siret"]

SIRET_SCHEME = "0009"
SIREN_SCHEME = "0002"
CHORUS_PRO_FRAMEWORKS = frozenset(f"A{n}" for n in range(1, 26))
_CREDIT_TRANSFER_CODES = frozenset({"30", "31", "42", "58"})
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_valid_siret(value: str) -> bool:
    """14 digits, Luhn checksum (La Poste: digit sum multiple of 5)."""
    siret = value.replace(" ", "")
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith("356000000") and sum(int(c) for c in siret) % 5 == 0:
        return True
    return _luhn(siret)


def _iban_ok(value: str) -> bool:
    iban = value.replace(" ", "").upper()
    if not _IBAN.match(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _finding(rule_id: str, severity: Severity, bt: str, message: Message) -> Finding:
    return Finding(rule_id, severity, Location(bt=bt), message)


def _siret_of(ident: Identifier | None) -> str | None:
    if ident is None or (ident.scheme_id or "").strip() != SIRET_SCHEME:
        return None
    return ident.value.strip()


def check_fr(inv: Invoice) -> list[Finding]:
    """Chorus Pro rules for an invoice addressed to a French public entity."""
    out: list[Finding] = []
    buyer = inv.buyer
    buyer_siret = _siret_of(buyer.legal_registration_id if buyer else None)
    if buyer_siret is None and buyer is not None:
        for ident in buyer.identifiers:
            if (ident.scheme_id or "").strip() == SIRET_SCHEME:
                buyer_siret = ident.value.strip()
    if buyer_siret is None:
        out.append(
            _finding(
                "FR-CPP-01",
                "fatal",
                "BT-47",
                Message(
                    gettext_noop(
                        "The public buyer must be identified by its SIRET: fill in the buyer legal "
                        "registration identifier (BT-47) with scheme 0009."
                    )
                ),
            )
        )
    elif not is_valid_siret(buyer_siret):
        out.append(
            _finding(
                "FR-CPP-02",
                "fatal",
                "BT-47",
                Message.of(
                    gettext_noop(
                        "The buyer SIRET '%(buyer_siret)s' is invalid (14 digits, Luhn check): "
                        "check it in the Chorus Pro directory."
                    ),
                    buyer_siret=buyer_siret,
                ),
            )
        )
    seller = inv.seller
    seller_country = seller.address.country_code if seller and seller.address else None
    if seller is not None and (seller_country or "").strip() == "FR":
        seller_siret = _siret_of(seller.legal_registration_id)
        if seller_siret is None:
            out.append(
                _finding(
                    "FR-CPP-03",
                    "fatal",
                    "BT-30",
                    Message(
                        gettext_noop(
                            "A supplier established in France must give its SIRET: fill in the "
                            "seller legal registration identifier (BT-30) with scheme 0009."
                        )
                    ),
                )
            )
        elif not is_valid_siret(seller_siret):
            out.append(
                _finding(
                    "FR-CPP-04",
                    "fatal",
                    "BT-30",
                    Message.of(
                        gettext_noop(
                            "The seller SIRET '%(seller_siret)s' is invalid (14 digits, Luhn "
                            "check)."
                        ),
                        seller_siret=seller_siret,
                    ),
                )
            )
    framework = (inv.business_process or "").strip()
    if framework and framework not in CHORUS_PRO_FRAMEWORKS:
        out.append(
            _finding(
                "FR-CPP-05",
                "fatal",
                "BT-23",
                Message.of(
                    gettext_noop(
                        "The billing framework '%(framework)s' (BT-23) is not a Chorus Pro "
                        "framework (A1 to A25): leave it empty (A1 by default) or pick the right "
                        "one."
                    ),
                    framework=framework,
                ),
            )
        )
    if framework == "A2":
        due = inv.totals.payable_amount if inv.totals else None
        if due is not None and due != Decimal(0):
            out.append(
                _finding(
                    "FR-CPP-06",
                    "fatal",
                    "BT-115",
                    Message(
                        gettext_noop(
                            "An already paid invoice (framework A2) must have a zero amount due "
                            "(BT-115)."
                        )
                    ),
                )
            )
    order = inv.purchase_order_reference
    if order is not None and len(order.strip()) > 50:
        out.append(
            _finding(
                "FR-CPP-07",
                "fatal",
                "BT-13",
                Message(
                    gettext_noop(
                        "The commitment number (engagement juridique, BT-13) exceeds 50 characters."
                    )
                ),
            )
        )
    for pi in inv.payment_instructions:
        if (pi.means_code or "").strip() in _CREDIT_TRANSFER_CODES:
            for ct in pi.credit_transfers:
                if ct.account_id and not _iban_ok(ct.account_id):
                    out.append(
                        _finding(
                            "FR-CPP-08",
                            "fatal",
                            "BT-84",
                            Message.of(
                                gettext_noop(
                                    "The credit transfer account '%(account_id)s' is not a valid "
                                    "IBAN: Chorus Pro requires an IBAN for credit transfers."
                                ),
                                account_id=ct.account_id,
                            ),
                        )
                    )
    if (
        inv.type_code is not None
        and inv.type_code.strip() == "381"
        and any(pi.means_code for pi in inv.payment_instructions)
    ):
        out.append(
            _finding(
                "FR-CPP-09",
                "warning",
                "BT-81",
                Message(
                    gettext_noop(
                        "A credit note carries no payment means in Chorus Pro: the payment means "
                        "(BT-81) will be ignored."
                    )
                ),
            )
        )
    return out
