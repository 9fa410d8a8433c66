"""Publication dates as sources write them, resolved against the crawl's reference time.

Fast paths first: Unix timestamps, year-month-day, "3月21日" and Weibo's "11-20",
Weibo API's "Tue Nov 20 12:00:00 +0800 2026", and the relative forms Weibo
writes ("刚刚", "5分钟前", "3小时前", "昨天 12:30", "3天前"), giving what
dateparser gives for them (a test compares the two) at a fraction of the cost:
dateparser took 2.5 s of an 18.5 s crawl. dateparser handles everything else.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import dateparser

from core.dates import CHINA_TZ, YMD, china_time

_SETTINGS = {"DATE_ORDER": "MDY", "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2}):(\d{2}))?$")
_YEAR_MONTH_DAY = re.compile(rf"{YMD}\s*日?(?:\s*(?P<H>\d{{1,2}}):(?P<M>\d{{2}})(?::(?P<S>\d{{2}}))?)?")
# Weibo's "11-20" (this year, or last; day precision) and "11-20 08:30"
_MONTH_DASH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$")
_TIMESTAMP = re.compile(r"^\d{10}(?:\d{3})?$")
_AGO = re.compile(r"^(\d{1,4})\s*(秒|分钟|小时|天|周)前$")
_AGO_UNIT = {"秒": "seconds", "分钟": "minutes", "小时": "hours", "天": "days", "周": "weeks"}
_DAY_AT = re.compile(r"^(今天|昨天|前天)\s*(\d{1,2}):(\d{2})$")
_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2}


def from_timestamp(value: int | float | str) -> datetime:
    """Unix seconds (or milliseconds) → naive China time; ValueError for anything else (20 digits, inf)."""
    try:
        seconds = float(value)
        if seconds > 1e11:
            seconds /= 1000
        if not 0 <= seconds < 1e11:  # 1970 .. year 5138: beyond is a garbled value, not a time
            raise ValueError(f"not a plausible Unix time: {value!r}")
        return datetime.fromtimestamp(seconds, CHINA_TZ).replace(tzinfo=None)
    except (OverflowError, OSError, TypeError) as exc:  # the platform's C library has its own limits
        raise ValueError(f"not a plausible Unix time: {value!r}") from exc


def resolve_date(raw: str | int | float | None, reference: datetime) -> datetime | None:
    """The datetime `raw` names, relative forms taken from `reference`; None if unreadable.

    Never raises for any input: out-of-range years, 20-digit timestamps and
    "100000天前" are unreadable dates, not crashes.
    """
    try:
        return _resolve(raw, reference)
    except (ValueError, OverflowError, OSError, TypeError):
        return None


def _resolve(raw: str | int | float | None, reference: datetime) -> datetime | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, int | float):
        return from_timestamp(raw)
    text = raw.strip()
    if _TIMESTAMP.match(text):
        return from_timestamp(text)
    if text in ("刚刚", "刚才"):
        return reference
    if m := _YEAR_MONTH_DAY.search(text):
        year, month, day, hour, minute, second = (int(m[key] or 0) for key in ("y", "m", "d", "H", "M", "S"))
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    if m := _MONTH_DAY.match(text):
        month, day, hour, minute = (int(g) if g else 0 for g in m.groups())
        return _this_year(reference, month, day, hour, minute)
    if m := _MONTH_DASH_DAY.match(text):
        return _this_year(reference, int(m[1]), int(m[2]), int(m[3] or 0), int(m[4] or 0))
    if (relative := _relative(text, reference)) is not None:
        return relative
    try:
        return china_time(datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y"))
    except ValueError:
        pass
    parsed = dateparser.parse(
        text, languages=["zh", "en"], settings={**_SETTINGS, "RELATIVE_BASE": reference}
    )
    return parsed.replace(tzinfo=None) if parsed else None


def _relative(text: str, reference: datetime) -> datetime | None:
    """ "5分钟前", "3天前" (the reference minus that much) and "昨天 12:30"; None for other forms."""
    if m := _AGO.match(text):
        return reference - timedelta(**{_AGO_UNIT[m[2]]: int(m[1])})
    if m := _DAY_AT.match(text):
        hour, minute = int(m[2]), int(m[3])
        if hour > 23 or minute > 59:
            return None
        day = reference - timedelta(days=_DAYS_BACK[m[1]])
        return day.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return None


def _this_year(reference: datetime, month: int, day: int, hour: int, minute: int) -> datetime | None:
    """A month-day without a year is the latest such date not after the reference."""
    try:
        candidate = datetime(reference.year, month, day, hour, minute)
        return (
            candidate
            if candidate <= reference + timedelta(days=1)
            else candidate.replace(year=reference.year - 1)
        )
    except ValueError:
        return None
