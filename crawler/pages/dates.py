"""Publication dates as sources write them, resolved against the crawl's reference time.

dateparser handles the relative Chinese forms ("3天前", "昨天 12:30") and
the ISO-like ones; the few forms it misses ("3月21日", Weibo API's
"Tue Nov 20 12:00:00 +0800 2026", Unix timestamps) are handled first.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import dateparser

from core.dates import CHINA_TZ, YMD

_SETTINGS = {"DATE_ORDER": "MDY", "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
_MONTH_DAY = re.compile(r"^(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2}):(\d{2}))?$")
_YEAR_MONTH_DAY = re.compile(rf"{YMD}\s*日?(?:\s*(?P<H>\d{{1,2}}):(?P<M>\d{{2}})(?::(?P<S>\d{{2}}))?)?")
_TIMESTAMP = re.compile(r"^\d{10}(?:\d{3})?$")


def from_timestamp(value: int | float | str) -> datetime:
    """Unix seconds (or milliseconds) → naive China time."""
    seconds = float(value)
    if seconds > 1e11:
        seconds /= 1000
    return datetime.fromtimestamp(seconds, CHINA_TZ).replace(tzinfo=None)


def resolve_date(raw: str | int | float | None, reference: datetime) -> datetime | None:
    """The datetime `raw` names, relative forms taken from `reference`; None if unreadable."""
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
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").astimezone(CHINA_TZ).replace(tzinfo=None)
    except ValueError:
        pass
    parsed = dateparser.parse(
        text, languages=["zh", "en"], settings={**_SETTINGS, "RELATIVE_BASE": reference}
    )
    return parsed.replace(tzinfo=None) if parsed else None


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
