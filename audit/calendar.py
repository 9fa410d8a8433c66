"""China's working-day calendar (工作日), with 调休 make-up workdays.

chinese_calendar knows each year's official holidays and make-up workdays
only once the State Council publishes them (it raises for later years). For
a year it does not know, the calendar is **provisional** instead of an
error: weekends plus the statutory holidays (audit.holidays, lunar ones
computed), without the 调休 days nobody can know yet. Findings that depend
on working days then carry `calendar: provisional`, and the audit warns
once per year so an operator adds the official days to the config:

    [calendar.2027]
    holidays = ["2027-02-09", ...]   # days off that fall on Monday–Friday
    workdays = ["2027-02-20", ...]   # make-up workdays that fall on a weekend

A year given in config is answered from the config plus the statutory
holidays and is no longer provisional (a correction to a year the package
knows also works this way).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta

import chinese_calendar

from audit.holidays import statutory_holidays
from core.errors import ConfigError

log = logging.getLogger(__name__)


class WorkCalendar:
    """Answers "is this a working day in mainland China?" for any year.

    `overrides` is Settings.calendar: {"2027": {"holidays": [...], "workdays": [...]}}.
    `provisional_years` lists the years answered without official 调休 data so far.
    """

    def __init__(self, overrides: Mapping[str, Mapping[str, Iterable[str]]] | None = None):
        self._years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
        self.provisional_years: set[int] = set()
        for year, spec in (overrides or {}).items():
            holidays = _dates(spec.get("holidays", ()), year, "holidays")
            self._years[_year(year)] = (holidays | frozenset(statutory_holidays(_year(year))),
                                        _dates(spec.get("workdays", ()), year, "workdays"))

    def is_workday(self, day: date) -> bool:
        """True on Monday–Friday that are not holidays, and on make-up workdays (调休上班)."""
        known = self._years.get(day.year)
        if known is None and not self.is_provisional(day):
            return bool(chinese_calendar.is_workday(day))
        holidays, workdays = known if known is not None else self._provisional(day.year)
        return day in workdays or (day.weekday() < 5 and day not in holidays)

    def is_provisional(self, day: date) -> bool:
        """True when `day`'s year has neither official data in chinese_calendar nor a config entry."""
        if day.year in self._years:
            return False
        try:
            chinese_calendar.is_workday(day)
        except NotImplementedError:
            return True
        return False

    def workdays_between(self, first: date, last: date) -> Iterator[date]:
        """Working days from `first` to `last`, both included, oldest first."""
        day = first
        while day <= last:
            if self.is_workday(day):
                yield day
            day += timedelta(days=1)

    def _provisional(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        if year not in self.provisional_years:
            self.provisional_years.add(year)
            log.warning(
                "calendar: chinese_calendar has no official holidays for %d; using a provisional calendar "
                "(weekends and statutory holidays, no 调休 make-up days). Add [calendar.%d] holidays and "
                "workdays to the config when the State Council publishes them.", year, year)
        return frozenset(statutory_holidays(year)), frozenset()


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
