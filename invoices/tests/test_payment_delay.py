import datetime
from decimal import Decimal

from invoices.payment_delay import due_date, late_payment, period_days

D = datetime.date
RATES = {D(2024, 1, 1): Decimal("4.50"), D(2024, 7, 1): Decimal("4.25")}


def test_periods_by_kind_of_buyer():
    assert period_days("ETAT") == 30
    assert period_days("COLLECTIVITE_TERRITORIALE") == 30
    assert period_days("ETABLISSEMENT_PUBLIC_SANTE") == 50
    assert period_days("AUTRE") == 30


def test_suspension_pushes_the_due_date():
    assert due_date(deposited_on=D(2024, 1, 10), period=30, suspended_days=0) == D(2024, 2, 9)
    assert due_date(deposited_on=D(2024, 1, 10), period=30, suspended_days=5) == D(2024, 2, 14)


def test_no_interest_before_the_due_date():
    assert (
        late_payment(
            amount=Decimal("1200"),
            due=D(2024, 2, 9),
            paid_or_today=D(2024, 2, 9),
            ecb_rate_on=RATES,
        )
        is None
    )


def test_interest_uses_the_rate_of_the_half_year_plus_eight_points():
    late = late_payment(
        amount=Decimal("1200.00"),
        due=D(2024, 2, 9),
        paid_or_today=D(2024, 3, 10),
        ecb_rate_on=RATES,
    )

    assert late is not None
    assert late.days_late == 30
    assert late.ecb_rate == Decimal("4.50")
    assert late.annual_rate == Decimal("12.50")
    # 1200 x 12.5 % x 30 / 365 = 12.33
    assert late.interest == Decimal("12.33")
    assert late.indemnity == Decimal("40.00")


def test_second_half_year_rate_applies_when_interest_starts_in_july():
    late = late_payment(
        amount=Decimal("1000"), due=D(2024, 7, 5), paid_or_today=D(2024, 7, 15), ecb_rate_on=RATES
    )

    assert late is not None
    assert late.ecb_rate == Decimal("4.25")


def test_unknown_rate_gives_no_invented_interest():
    late = late_payment(
        amount=Decimal("1000"), due=D(2020, 1, 5), paid_or_today=D(2020, 2, 5), ecb_rate_on=RATES
    )

    assert late is not None
    assert late.interest is None
    assert late.indemnity == Decimal("40.00")


def test_a_half_year_without_its_rate_does_not_reuse_an_older_one():
    """The rate of each half-year is published for it: a later half-year not yet entered
    has no rate, even though an earlier one is known."""
    late = late_payment(
        amount=Decimal("1000"), due=D(2031, 1, 5), paid_or_today=D(2031, 2, 5), ecb_rate_on=RATES
    )

    assert late is not None
    assert (late.ecb_rate, late.interest) == (None, None)


def test_a_rate_is_entered_for_a_half_year():
    import pytest
    from django.core.exceptions import ValidationError

    from invoices.models import LatePaymentRate

    with pytest.raises(ValidationError):
        LatePaymentRate(valid_from=D(2026, 3, 1), rate=Decimal("2")).clean()
    LatePaymentRate(valid_from=D(2026, 7, 1), rate=Decimal("2")).clean()
