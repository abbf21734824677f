"""The legal payment period of public buyers and the late-payment interest it triggers.

Reference §4.5 and the public-procurement rules (Code de la commande publique, R. 2192-10 and
R. 2192-31 to -36): 30 days for the State and local authorities (and by default for other public
buyers), 50 days for public health establishments; the period starts at the deposit date
certified by the platform and stops while the invoice is suspended. Late-payment interest is the
ECB main refinancing rate in force on the first day of the half-year in which interest starts
to run, plus 8 points, and a fixed recovery indemnity of 40 euros is owed on top.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from public_entities.choices import PublicEntityCategory

FIXED_INDEMNITY = Decimal("40.00")
RATE_MARGIN = Decimal("8")
PERIOD_DAYS = {
    PublicEntityCategory.STATE: 30,
    PublicEntityCategory.LOCAL_AUTHORITY: 30,
    PublicEntityCategory.HEALTH_ESTABLISHMENT: 50,
    PublicEntityCategory.OTHER: 30,
}


def period_days(category: str | None) -> int:
    return PERIOD_DAYS.get(category or "", 30)  # type: ignore[call-overload, no-any-return]


def due_date(*, deposited_on: datetime.date, period: int, suspended_days: int) -> datetime.date:
    return deposited_on + datetime.timedelta(days=period + suspended_days)


def half_year_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


@dataclass(frozen=True)
class LatePayment:
    days_late: int
    ecb_rate: Decimal | None
    annual_rate: Decimal | None
    interest: Decimal | None
    indemnity: Decimal


def late_payment(
    *,
    amount: Decimal,
    due: datetime.date,
    paid_or_today: datetime.date,
    ecb_rate_on: dict[datetime.date, Decimal],
) -> LatePayment | None:
    """Interest owed for paying ``amount`` on ``paid_or_today`` instead of ``due``.

    ``ecb_rate_on`` maps each half-year's first day to its rate (percent). When no rate is
    entered for the half-year, the interest is None: the page says the rate is missing
    instead of inventing one.
    """
    days_late = (paid_or_today - due).days
    if days_late <= 0:
        return None
    start = half_year_start(due + datetime.timedelta(days=1))
    # One rate per half-year, set for it (the one in force on 1 January or 1 July): a
    # half-year an administrator has not entered yet has no rate, whatever came before.
    ecb = ecb_rate_on.get(start)
    if ecb is None:
        return LatePayment(days_late, None, None, None, FIXED_INDEMNITY)
    annual = ecb + RATE_MARGIN
    interest = (amount * annual / Decimal(100) * Decimal(days_late) / Decimal(365)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return LatePayment(days_late, ecb, annual, interest, FIXED_INDEMNITY)
