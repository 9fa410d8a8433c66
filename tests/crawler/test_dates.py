"""Date fast paths: the forms Weibo writes resolve as dateparser resolves them, without calling it."""

from __future__ import annotations

from datetime import datetime

import dateparser
import pytest

from crawler.pages import dates
from crawler.pages.dates import resolve_date

REF = datetime(2026, 11, 23, 10, 17, 33)
SETTINGS = {"DATE_ORDER": "MDY", "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False, "RELATIVE_BASE": REF}

RELATIVE = ["刚刚", "30秒前", "1分钟前", "10 分钟前", "59分钟前", "3小时前", "23小时前", "1天前", "3天前", "7天前",
            "2周前", "今天 08:05", "昨天 12:30", "昨天 00:00", "前天 23:59", "11-20", "06-14", "12-25", "1-5"]


@pytest.mark.parametrize("raw", RELATIVE)
def test_fast_path_gives_what_dateparser_gives(raw: str) -> None:
    assert resolve_date(raw, REF) == dateparser.parse(raw, languages=["zh", "en"], settings=SETTINGS)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-21", datetime(2024, 3, 21)),
        ("2024年3月21日 09:30", datetime(2024, 3, 21, 9, 30)),
        ("3月21日", datetime(2026, 3, 21)),
        ("12-25", datetime(2025, 12, 25)),  # not yet this year: last year's
        ("Tue Nov 20 12:00:00 +0800 2026", datetime(2026, 11, 20, 12, 0)),
        ("1763870400", datetime(2025, 11, 23, 12, 0)),
        ("13-40", None),  # an impossible month-day is not guessed at
    ],
)
def test_absolute_forms_need_no_dateparser(raw: str, expected: datetime | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates.dateparser, "parse", lambda *a, **k: pytest.fail(f"dateparser called for {raw!r}"))
    assert resolve_date(raw, REF) == expected


@pytest.mark.parametrize("raw", RELATIVE)
def test_relative_forms_need_no_dateparser(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates.dateparser, "parse", lambda *a, **k: pytest.fail(f"dateparser called for {raw!r}"))
    assert resolve_date(raw, REF) is not None


def test_other_forms_still_reach_dateparser() -> None:
    assert resolve_date("1个月前", REF) == datetime(2026, 10, 23, 10, 17, 33)
