"""What tests/index/test_sqlite_counts.py, test_sqlite_platforms.py and test_sqlite_newest.py share: posts of
one account published a minute apart, search caps small enough for a few dozen posts to pass them, and a
search answered with no platform map (the general way the map's shortcuts must match)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import pytest

from core.models import Post
from index import sqlite_listing, sqlite_newest, sqlite_query, sqlite_request
from index.sqlite import SqliteBackend
from index.sqlite_platforms import PlatformMap

T = TypeVar("T")

T0 = datetime(2026, 11, 1, 9, 0)


def posts(n: int, platform: str, start: int = 0, text: str = "医保 防火") -> list[Post]:
    return [Post(platform, "1", f"{platform}{i}", text=text, published_at=T0 + timedelta(minutes=i))
            for i in range(start, start + n)]


def small_caps(monkeypatch: pytest.MonkeyPatch, total_cap: int, facet_cap: int | None = None) -> None:
    """3 ranked candidates, `total_cap` counted matches, and (when given) `facet_cap` per platform."""
    monkeypatch.setattr(sqlite_query, "CANDIDATES", 3)
    for module in (sqlite_request, sqlite_listing, sqlite_newest):
        monkeypatch.setattr(module, "TOTAL_CAP", total_cap)
    monkeypatch.setattr(sqlite_newest, "EXPECTED", total_cap)
    if facet_cap is not None:
        for module in (sqlite_request, sqlite_newest):
            monkeypatch.setattr(module, "FACET_CAP", facet_cap)


def without_map(store: SqliteBackend, monkeypatch: pytest.MonkeyPatch, run: Callable[[], T]) -> T:
    """run() with no platform map (no counts in one pass, no date order in memory) and nothing kept from
    earlier searches: the figures of a count statement per platform and of the day windows."""
    with monkeypatch.context() as m:
        m.setattr(PlatformMap, "rows", lambda self, db, structure: None)  # every use of the map goes through rows
        store.stats.changed()
        return run()
