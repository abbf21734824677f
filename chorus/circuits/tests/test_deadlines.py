"""Counting deadlines: calendar days, and working days without weekends or French holidays."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from chorus.circuits.deadlines import due_at, is_working_day
from chorus.circuits.declaration import Calendar, Deadline

PARIS = ZoneInfo("Europe/Paris")


def test_calendar_days_count_every_day():
    start = datetime.datetime(2026, 12, 23, 10, 0, tzinfo=PARIS)

    assert due_at(start, days=15, calendar=Calendar.CALENDAR) == start + datetime.timedelta(days=15)


def test_working_days_skip_the_weekend_and_christmas():
    wednesday = datetime.datetime(2026, 12, 23, 10, 0, tzinfo=PARIS)

    # Thursday 24 counts; Friday 25 (Christmas), Saturday and Sunday do not.
    assert due_at(wednesday, days=2, calendar=Calendar.WORKING) == datetime.datetime(
        2026, 12, 28, 10, 0, tzinfo=PARIS
    )


def test_french_public_holidays_are_not_working_days():
    assert not is_working_day(datetime.date(2027, 5, 1))  # Labour Day
    assert not is_working_day(datetime.date(2027, 7, 14))  # Bastille Day
    assert is_working_day(datetime.date(2027, 7, 13))


def test_a_deadline_names_exactly_one_outcome():
    with pytest.raises(ValueError, match="exactly one"):
        Deadline(name="x", status="A", days=1)
    with pytest.raises(ValueError, match="exactly one"):
        Deadline(name="x", status="A", days=1, tacit="B", flag="late")
