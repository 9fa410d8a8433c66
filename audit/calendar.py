"""China's working-day calendar (工作日), with 调休 make-up workdays.

chinese_calendar knows each year's official holidays and make-up workdays
only once the State Council publishes them (it raises for later years). A
year it does not know must be given in config:

    [calendar.2027]
    holidays = ["2027-01-01", ...]   # days off that fall on Monday–Friday
    workdays = ["2027-02-07", ...]   # make-up workdays that fall on a weekend

Without it, asking about that year raises CalendarError: treating an unknown
holiday as a workday would flag every primary account that rested on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta

import chinese_calendar

from core.errors import CalendarError, ConfigError


class WorkCalendar:
    """Answers "is this a working day in mainland China?" for known years.

    `overrides` is Settings.calendar: {"2027": {"holidays": [...], "workdays": [...]}}.
    A year present in `overrides` is answered from it alone (so a correction
    to a known year also works); other years come from chinese_calendar.
    """

    def __init__(self, overrides: Mapping[str, Mapping[str, Iterable[str]]] | None = None):
        self._years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
        for year, spec in (overrides or {}).items():
            self._years[_year(year)] = (
                _dates(spec.get("holidays", ()), year, "holidays"),
                _dates(spec.get("workdays", ()), year, "workdays"),
            )

    def is_workday(self, day: date) -> bool:
        """True on Monday–Friday that are not holidays, and on make-up workdays (调休上班)."""
        known = self._years.get(day.year)
        if known is not None:
            holidays, workdays = known
            return day in workdays or (day.weekday() < 5 and day not in holidays)
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError as exc:
            raise CalendarError(
                f"no holiday data for {day.year}: chinese_calendar does not know that year; "
                f"add [calendar.{day.year}] holidays = [...] and workdays = [...] to the config"
            ) from exc

    def workdays_between(self, first: date, last: date) -> Iterator[date]:
        """Working days from `first` to `last`, both included, oldest first."""
        day = first
        while day <= last:
            if self.is_workday(day):
                yield day
            day += timedelta(days=1)


def _year(raw: str | int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"[calendar]: {raw!r} is not a year") from None


def _dates(values: Iterable[str], year: str | int, field: str) -> frozenset[date]:
    out = set()
    for value in values:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            raise ConfigError(f"[calendar.{year}] {field}: {value!r} is not a YYYY-MM-DD date") from None
        if day.year != _year(year):
            raise ConfigError(f"[calendar.{year}] {field}: {value} is not in {year}")
        out.add(day)
    return frozenset(out)
