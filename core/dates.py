"""China time and the year-month-day pattern that every date reader shares.

Stored datetimes are naive China Standard Time (DESIGN.md "Data model");
CHINA_TZ converts aware values (Unix timestamps, ISO offsets, RFC 822 dates)
into it, and china_time() is that conversion for every reader, backend and
the API. YMD matches "2024-03-21", "2024/3/21", "2024.03.21" and
"2024年3月21日" up to the day number, with named groups y, m, d; each reader
adds what may follow (日, a time) around it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import overload

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
YMD = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"


@overload
def china_time(value: datetime) -> datetime: ...
@overload
def china_time(value: None) -> None: ...
def china_time(value: datetime | None) -> datetime | None:
    """A datetime as the naive China time the store uses; aware values are converted (+08:00)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(CHINA_TZ).replace(tzinfo=None)
