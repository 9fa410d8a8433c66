"""Inspection periods: a quarter (2026-Q4), a month (2026-11) or a range (2026-11-01..2026-11-30)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from core.errors import BadInputError

_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Period:
    """First and last day (both included) of an inspection period, China time."""

    start: date
    end: date
    kind: str  # quarter | month | range

    @property
    def label(self) -> str:
        """How the period is written on the command line (and in file names)."""
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d}..{self.end:%Y-%m-%d}"

    @property
    def title(self) -> str:
        """The period as a 通报 names it: 2026年第四季度, 2026年11月, 2026年11月1日至11月30日."""
        if self.kind == "quarter":
            return f"{self.start.year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年{self.start.month}月{self.start.day}日至{self.end.month}月{self.end.day}日"

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time(0))

    @property
    def until(self) -> datetime:
        """The first instant after the period."""
        return datetime.combine(self.end + timedelta(days=1), time(0))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period before: the previous quarter or month, or a range of the same length just before."""
        if self.kind == "quarter":
            first = _add_months(self.start, -3)
            return Period(first, _add_months(first, 3) - timedelta(days=1), "quarter")
        if self.kind == "month":
            first = _add_months(self.start, -1)
            return Period(first, self.start - timedelta(days=1), "month")
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), "range")


def parse_period(text: str) -> Period:
    """`2026-Q4`, `2026-11` or `2026-11-01..2026-11-30`; BadInputError naming --period otherwise."""
    text = text.strip()
    try:
        if m := _QUARTER.fullmatch(text):
            first = date(int(m[1]), 3 * int(m[2]) - 2, 1)
            return Period(first, _add_months(first, 3) - timedelta(days=1), "quarter")
        if m := _MONTH.fullmatch(text):
            first = date(int(m[1]), int(m[2]), 1)
            return Period(first, _add_months(first, 1) - timedelta(days=1), "month")
        if m := _RANGE.fullmatch(text):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            if end < start:
                raise ValueError(f"{end} is before {start}")
            return Period(start, end, "range")
    except ValueError as exc:
        raise BadInputError(f"period {text!r}: {exc}", field="--period") from None
    raise BadInputError(f"period {text!r}: expected 2026-Q4, 2026-11 or 2026-11-01..2026-11-30", field="--period")


def _add_months(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
