"""The working-day calendar: 调休 make-up days, holidays, and years the package does not know."""

from __future__ import annotations

from datetime import date

import pytest

from audit.calendar import WorkCalendar
from core.errors import CalendarError, ConfigError


def test_national_day_is_a_holiday_and_the_make_up_saturday_a_workday() -> None:
    cal = WorkCalendar()
    assert cal.is_workday(date(2026, 10, 1)) is False  # Thursday, 国庆节
    assert cal.is_workday(date(2026, 10, 10)) is True  # Saturday, 调休上班
    assert cal.is_workday(date(2026, 10, 12)) is True  # an ordinary Monday
    assert cal.is_workday(date(2026, 10, 11)) is False  # an ordinary Sunday


def test_a_year_without_data_raises_a_calendar_error_naming_the_year_and_the_fix() -> None:
    with pytest.raises(CalendarError, match=r"2027.*\[calendar\.2027\]"):
        WorkCalendar().is_workday(date(2027, 1, 4))


def test_config_supplies_an_unknown_years_holidays_and_make_up_days() -> None:
    cal = WorkCalendar({"2027": {"holidays": ["2027-01-01"], "workdays": ["2027-01-09"]}})
    assert cal.is_workday(date(2027, 1, 1)) is False  # Friday, New Year's Day per config
    assert cal.is_workday(date(2027, 1, 9)) is True  # Saturday, make-up day per config
    assert cal.is_workday(date(2027, 1, 4)) is True  # Monday
    assert cal.is_workday(date(2026, 10, 1)) is False  # known years still come from the package


def test_workdays_between_skips_the_golden_week_but_keeps_the_make_up_saturday() -> None:
    days = list(WorkCalendar().workdays_between(date(2026, 9, 30), date(2026, 10, 10)))
    assert days == [date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]


@pytest.mark.parametrize(
    ("spec", "message"),
    [({"holidays": ["2027-13-01"]}, "not a YYYY-MM-DD"), ({"workdays": ["2026-01-04"]}, "not in 2027")],
)
def test_malformed_calendar_config_is_a_config_error(spec: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        WorkCalendar({"2027": spec})
