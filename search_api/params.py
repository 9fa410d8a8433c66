"""Query-parameter types shared by the routers, and the reading of dates.

Dates are strings checked by a pattern (so the OpenAPI schema says exactly
what is accepted) and read here, not by pydantic: pydantic would read
``1700000000`` as a Unix timestamp, and a date-only `until` must include
that whole day. ``Z`` and ``+08:00`` offsets are converted to the China
time the store uses.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

from fastapi import HTTPException, Query

from core.dates import china_time
from core.models import PLATFORMS

Platform = Literal[PLATFORMS]  # type: ignore[valid-type]
# the query language names its own limits (a 400); this bound only keeps megabytes out
Q = Annotated[str, Query(max_length=2000, description="the query language: words, \"phrase\", a OR b, -word")]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=10_000, description="for small jumps; use `cursor` to page on")]
Cursor = Annotated[str | None, Query(max_length=500, pattern=r"^[A-Za-z0-9_=:.,+/-]+$",
                                     description="`next_cursor` of the previous page")]
Sort = Annotated[Literal["relevance", "newest", "oldest"], Query(description="relevance falls back to newest "
                                                                      "without a query")]
Format = Annotated[Literal["json", "csv", "xlsx"], Query(description="csv / xlsx: every match as a file "
                                                                   "(investigator role)")]
Text = Annotated[str | None, Query(min_length=1, max_length=100)]
DATE_PATTERN = (r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
                r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$")
When = Annotated[str | None, Query(
    pattern=DATE_PATTERN, max_length=40,
    description="YYYY-MM-DD or an ISO datetime; Z or +08:00 are converted to China time; a date-only `until` "
                "includes that whole day",
)]


def read_when(value: str | None, name: str, *, end_of_day: bool = False) -> datetime | None:
    """The naive China time a date parameter means; 422 (in FastAPI's shape) when it is no real date."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end_of_day else time.min)
        return china_time(datetime.fromisoformat(value.replace(" ", "T")))
    except ValueError as exc:
        raise HTTPException(422, [{"loc": ["query", name], "msg": f"not a real date or time: {exc}",
                                   "type": "value_error"}]) from exc


def date_range(since: str | None, until: str | None) -> tuple[datetime | None, datetime | None]:
    """`since` from the start of its day, `until` to the end of its day (when given as dates)."""
    return read_when(since, "since"), read_when(until, "until", end_of_day=True)


