"""The working-day calendar: 调休 make-up days, holidays, and years the package does not know."""

from __future__ import annotations

from datetime import date

import chinese_calendar
import pytest

from audit.calendar import WorkCalendar
from audit.holidays import statutory_holidays
from core.errors import ConfigError


def test_national_day_is_a_holiday_and_the_make_up_saturday_a_workday() -> None:
    cal = WorkCalendar()
    assert cal.is_workday(date(2026, 10, 1)) is False  # Thursday, 国庆节
    assert cal.is_workday(date(2026, 10, 10)) is True  # Saturday, 调休上班
    assert cal.is_workday(date(2026, 10, 12)) is True  # an ordinary Monday
    assert cal.is_workday(date(2026, 10, 11)) is False  # an ordinary Sunday


def test_a_year_without_data_is_provisional_with_the_statutory_holidays(caplog: pytest.LogCaptureFixture) -> None:
    cal = WorkCalendar()
    assert cal.is_workday(date(2027, 1, 4)) is True  # Monday
    assert cal.is_workday(date(2027, 2, 5)) is False  # Friday, 除夕 (lunar 12-30)
    assert cal.is_workday(date(2027, 2, 8)) is False  # Monday, 正月初三
    assert cal.is_workday(date(2027, 6, 9)) is False  # Wednesday, 端午 (lunar 5-5)
    assert cal.is_workday(date(2028, 10, 3)) is False  # Tuesday, 国庆 and 中秋 (lunar 8-15) the same day
    assert cal.is_workday(date(2027, 2, 20)) is False  # a Saturday: no make-up day is guessed
    assert cal.is_provisional(date(2027, 1, 4)) and not cal.is_provisional(date(2026, 12, 31))
    assert cal.provisional_years == {2027, 2028}
    warnings = [r for r in caplog.records if "provisional" in r.getMessage()]
    assert len(warnings) == 2 and "[calendar.2027]" in warnings[0].getMessage()  # once per year, naming the fix


@pytest.mark.parametrize("year", [2025, 2026])
def test_computed_statutory_holidays_are_official_holidays_in_known_years(year: int) -> None:
    days = statutory_holidays(year)
    assert len(days) == 13  # 元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3
    assert [d for d in days if not chinese_calendar.is_holiday(d)] == []


def test_a_year_in_config_is_not_provisional_and_keeps_the_statutory_holidays() -> None:
    cal = WorkCalendar({"2027": {"holidays": [], "workdays": ["2027-02-20"]}})
    assert cal.is_provisional(date(2027, 3, 1)) is False
    assert cal.is_workday(date(2027, 2, 5)) is False  # 除夕 though the config omitted it
    assert cal.is_workday(date(2027, 2, 20)) is True  # make-up Saturday from config
    assert cal.provisional_years == set()


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
