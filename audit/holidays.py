"""China's statutory public holidays (全体公民放假的节日), computed for any year.

The State Council fixes these days by law (《全国年节及纪念日放假办法》, as
amended by 国务院令第798号, in force from 2025): 元旦 1 day, 春节 4 days
(除夕 to 正月初三), 清明 1 day, 劳动节 2 days, 端午 1 day, 中秋 1 day,
国庆 3 days. The lunar ones come from the lunar calendar (lunardate) and
清明 from the solar terms chinese_calendar computes. What the law does not
fix is each year's 调休 (days moved to make longer breaks): the State
Council publishes those late in the year before, so a calendar built from
this module alone is provisional.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar
from lunardate import LunarDate


@cache
def statutory_holidays(year: int) -> dict[date, str]:
    """Day -> festival name for every statutory holiday of `year` (weekends not included)."""
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    new_year = LunarDate(year, 1, 1).to_solar_date()
    for offset in range(-1, 3):  # 除夕, 初一, 初二, 初三
        days[new_year + timedelta(days=offset)] = "春节"
    days[_qingming(year)] = "清明"
    days.update({date(year, 5, 1): "劳动节", date(year, 5, 2): "劳动节"})
    days[LunarDate(year, 5, 5).to_solar_date()] = "端午"
    days[LunarDate(year, 8, 15).to_solar_date()] = "中秋"
    days.update({date(year, 10, d): "国庆" for d in (1, 2, 3)})
    return {day: name for day, name in days.items() if day.year == year}  # 除夕 may fall in December before


def _qingming(year: int) -> date:
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    return next(day for day, name in terms if name == "清明")
