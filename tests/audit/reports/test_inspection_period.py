"""Inspection periods: quarters, months and ranges, the period before each, and bad input naming --period."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from audit.reports.inspection.period import parse_period
from core.errors import BadInputError


@pytest.mark.parametrize(("text", "start", "end", "previous", "title"), [
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31), "2026-Q3", "2026年第四季度"),
    ("2026-q1", date(2026, 1, 1), date(2026, 3, 31), "2025-Q4", "2026年第一季度"),
    ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "2026-10", "2026年11月"),
    ("2026-01", date(2026, 1, 1), date(2026, 1, 31), "2025-12", "2026年1月"),
    ("2026-11-01..2026-11-30", date(2026, 11, 1), date(2026, 11, 30), "2026-10-02..2026-10-31",
     "2026年11月1日至11月30日"),
])
def test_periods_and_the_period_before(text: str, start: date, end: date, previous: str, title: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert period.previous().label == previous
    assert period.title == title
    assert period.since <= datetime(start.year, start.month, start.day, 12) < period.until


def test_a_day_belongs_to_its_month_up_to_midnight() -> None:
    period = parse_period("2026-11")
    assert period.until == datetime(2026, 12, 1)
    assert period.since == datetime(2026, 11, 1)
    assert period.days == 30


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "Q4", "2026-11-30..2026-11-01", "2026-02-30..2026-03-01"])
def test_bad_periods_name_the_option(text: str) -> None:
    with pytest.raises(BadInputError, match="--period"):
        parse_period(text)
