"""Primary-account cadence: a post on every working day, with China's holidays and 调休 make-up days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from audit.runner import run_audit
from core.config import Settings
from index.sqlite import SqliteBackend
from tests.audit.factory import add_account, entry, kinds_of, post

AS_OF = datetime(2026, 10, 12, 10, 0)  # a Monday after National Day; checked days: 09-28 … 10-11
WORKDAYS = [date(2026, 9, 28), date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 8), date(2026, 10, 9),
            date(2026, 10, 10)]  # 10-01…10-07 are the holiday, 10-10 (Saturday) a make-up workday


def at(day: date) -> datetime:
    return datetime.combine(day, time(9, 30))


def primary_with_posts(store: SqliteBackend, days: list[date], *, primary: bool = True, status: str = "active") -> None:
    store.upsert_registry([entry("某市发布", "1", primary=primary, status=status)])
    add_account(store, "1", "某市发布", [post("1", at(d)) for d in days])


def cadence(store: SqliteBackend, as_of: datetime = AS_OF, settings: Settings | None = None) -> list:
    run_audit(store, settings or Settings(), as_of)
    return store.list_findings(kind="cadence_primary")


def test_posting_on_every_workday_and_resting_through_the_holiday_passes(store: SqliteBackend) -> None:
    primary_with_posts(store, WORKDAYS)
    assert cadence(store) == []


def test_no_post_on_the_make_up_saturday_is_a_missed_workday(store: SqliteBackend) -> None:
    primary_with_posts(store, [d for d in WORKDAYS if d != date(2026, 10, 10)])
    (finding,) = cadence(store)
    assert finding.evidence["missed_workdays"] == ["2026-10-10"]
    assert finding.evidence["workdays_checked"] == 6 and finding.severity == "deduction"


def test_a_post_on_the_national_day_holiday_is_allowed_but_not_owed(store: SqliteBackend) -> None:
    primary_with_posts(store, [*WORKDAYS, date(2026, 10, 1)])
    assert cadence(store) == []


def test_window_is_the_14_calendar_days_before_today(store: SqliteBackend) -> None:
    as_of = datetime(2026, 11, 24, 10, 0)  # Tuesday; checked days 11-10 (Tue) … 11-23 (Mon)
    checked = [as_of.date() - timedelta(days=k) for k in range(1, 15)]
    workdays = [d for d in checked if d.weekday() < 5]
    primary_with_posts(store, workdays)  # nothing on 11-09 (15th day back) nor today: neither is owed
    assert cadence(store, as_of) == []
    other = SqliteBackend(":memory:")
    other.setup()
    primary_with_posts(other, workdays[:-1])  # newest first: drops 11-10, the 14th day back, which is owed
    try:
        assert [f.evidence["missed_workdays"] for f in cadence(other, as_of)] == [["2026-11-10"]]
    finally:
        other.close()


def test_a_non_primary_or_closed_primary_entry_has_no_daily_duty(store: SqliteBackend) -> None:
    primary_with_posts(store, WORKDAYS[:3] + WORKDAYS[4:], primary=False)
    assert cadence(store) == []
    primary_with_posts(store, WORKDAYS[:3] + WORKDAYS[4:], status="closed")
    assert cadence(store) == []


def test_a_dormant_primary_account_is_dormant_not_late(store: SqliteBackend) -> None:
    primary_with_posts(store, [date(2026, 9, 1)])
    assert cadence(store) == []
    assert "dormant" in kinds_of(store, "weibo:1")


@pytest.mark.parametrize("as_of", [datetime(2027, 1, 5, 10, 0), datetime(2028, 1, 28, 10, 0)])
def test_a_year_without_official_data_gets_a_provisional_calendar(store: SqliteBackend, as_of: datetime) -> None:
    # 2027-01-01 (元旦) and 2028-01-25…27 (除夕 to 初二) are statutory: resting then is not a miss
    resting = {date(2027, 1, 1), date(2028, 1, 25), date(2028, 1, 26), date(2028, 1, 27)}
    days = [as_of.date() - timedelta(days=k) for k in range(1, 15)]
    skipped = next(d for d in days if d.weekday() < 5 and d not in resting)
    primary_with_posts(store, [d for d in days if d not in resting and d != skipped])
    summary = run_audit(store, Settings(), as_of)
    found = [f for f in store.list_findings() if f.kind == "cadence_primary"]
    assert [f.evidence["missed_workdays"] for f in found] == [[skipped.isoformat()]]
    assert found[0].evidence["calendar"] == "provisional"
    assert summary.provisional_years == sorted({d.year for d in days} - {2026})


def test_a_known_year_is_official(store: SqliteBackend) -> None:
    primary_with_posts(store, WORKDAYS[:3] + WORKDAYS[4:])
    assert [f.evidence["calendar"] for f in cadence(store)] == ["official"]


def test_a_year_from_config_is_used_for_holidays_and_make_up_days(store: SqliteBackend) -> None:
    as_of = datetime(2027, 1, 5, 10, 0)  # checked days 2026-12-22 … 2027-01-04
    days = [as_of.date() - timedelta(days=k) for k in range(1, 15)]
    posted = [d for d in days if d != date(2027, 1, 1)]  # rest on New Year's Day (a Friday)
    primary_with_posts(store, posted)
    settings = Settings(calendar={"2027": {"holidays": ["2027-01-01"], "workdays": []}})
    assert cadence(store, as_of, settings) == []
